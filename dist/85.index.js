export const id = 85;
export const ids = [85];
export const modules = {

/***/ 32635:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ ServiceError),
/* harmony export */   d: () => (/* binding */ InputError)
/* harmony export */ });
/** The user's mistake: a bad input, file or rule. Reported as one clear message, never a stack trace. */
class InputError extends Error {
    at;
    name = 'InputError';
    constructor(message, at = {}) {
        super(message);
        this.at = at;
    }
}
/** A service (registry, Docker, GitHub, a subprocess) failed; the message says which and what was tried. */
class ServiceError extends Error {
    service;
    name = 'ServiceError';
    constructor(service, message, options) {
        super(`${service}: ${message}`, options);
        this.service = service;
    }
}


/***/ }),

/***/ 56085:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  evaluate: () => (/* binding */ evaluate),
  readGateRules: () => (/* binding */ readGateRules)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
;// CONCATENATED MODULE: ./shared/gates/grammar.ts
/*
 * Gate rules: one per line; blank lines and comments (from `#` to the end of the line, outside
 * quotes) are ignored. Whitespace between tokens is free.
 *
 *   rules      = { line , newline } ;
 *   line       = [ rule ] [ comment ] ;
 *   rule       = metric , [ selector ] , operator , threshold ;
 *   metric     = name ;                                   (* f1_macro, accuracy, roc_auc, rmse *)
 *   selector   = "[" , name , "=" , value , "]" ;         (* [class=Gentoo] or a slice [island=Dream] *)
 *   value      = bare | quoted ;
 *   bare       = { any character but whitespace, "]", '"', "#" }- ;
 *   quoted     = '"' , { any character but '"' and "\" | "\" , any character } , '"' ;
 *   operator   = ">=" | "<=" | ">" | "<" | "==" ;
 *   threshold  = number | "baseline" , [ ( "+" | "-" | "*" ) , number ] ;
 *   number     = [ "+" | "-" ] , ( digits , [ "." , [ digits ] ] | "." , digits ) , [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
 *   name       = { letter | digit | "_" }- ;
 *   comment    = "#" , { any character } ;
 *
 * Examples:
 *   accuracy >= 0.9
 *   f1_macro >= baseline - 0.005          # may lose at most half a point of F1
 *   recall[class=Gentoo] > 0.8
 *   rmse[island="Torgersen Island"] <= baseline * 1.05
 *
 * A selector names the metric as the evaluate stage stores it: `recall[class=Gentoo]` is the recall of
 * class Gentoo, `f1_macro[island=Dream]` the macro F1 on the rows whose `island` is Dream.
 */

/** Returns the metric name a rule looks up: `metric` or `metric[key=value]`. */
function metricKey(rule) {
    return rule.selector === undefined ? rule.metric : `${rule.metric}[${rule.selector.key}=${rule.selector.value}]`;
}
/**
 * Parses gate rules, one per line. Throws InputError on the first bad rule, with the rule, the column,
 * what was found and what was expected, and a caret under the spot; `file` goes into the error's location.
 */
function parseGateRules(text, options = {}) {
    const rules = [];
    const lines = text.split(/\r?\n/);
    for (let l = 0; l < lines.length; l++) {
        const source = lines[l];
        const commentAt = findComment(source);
        const withoutComment = commentAt < 0 ? source : source.slice(0, commentAt);
        const trimmed = withoutComment.trim();
        if (trimmed === '')
            continue;
        const indent = withoutComment.length - withoutComment.trimStart().length;
        rules.push(new RuleParser(trimmed, rules.length + 1, l + 1, indent, options.file).parse());
    }
    return rules;
}
/** Index of the `#` that starts a comment (not inside quotes), or −1. */
function findComment(line) {
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted && c === '\\')
            i++;
        else if (c === '"')
            quoted = !quoted;
        else if (c === '#' && !quoted)
            return i;
    }
    return -1;
}
const NAME = /[A-Za-z0-9_]+/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[=<>!]+|[^\s\]\["#=<>!]+|./y;
const OPERATORS = ['>=', '<=', '==', '>', '<'];
class RuleParser {
    at = 0;
    text;
    index;
    line;
    indent;
    file;
    // Plain fields rather than parameter properties, so Node's type stripping can run this file as it is.
    constructor(text, index, line, indent, file) {
        this.text = text;
        this.index = index;
        this.line = line;
        this.indent = indent;
        this.file = file;
    }
    parse() {
        const metric = this.expectName('a metric name (letters, digits, _)');
        let selector;
        this.skipSpace();
        if (this.peek() === '[')
            selector = this.parseSelector();
        this.skipSpace();
        const operator = this.parseOperator();
        this.skipSpace();
        const threshold = this.parseThreshold();
        this.skipSpace();
        if (this.at < this.text.length) {
            this.fail(threshold.kind === 'baseline' && threshold.adjustment === undefined ? 'the end of the rule, or "+", "-" or "*" and a number' : 'the end of the rule');
        }
        return { index: this.index, line: this.line, text: this.text, metric, ...(selector && { selector }), operator, threshold };
    }
    parseSelector() {
        this.at++; // '['
        this.skipSpace();
        const key = this.expectName('a column or "class" after "["');
        this.skipSpace();
        if (this.peek() !== '=')
            this.fail('"=" in the selector, as in [class=Gentoo]');
        this.at++;
        this.skipSpace();
        const value = this.peek() === '"' ? this.parseQuoted() : this.parseBare();
        this.skipSpace();
        if (this.peek() !== ']')
            this.fail('"]" to close the selector');
        this.at++;
        return { key, value };
    }
    parseQuoted() {
        const start = this.at;
        let value = '';
        for (this.at++; this.at < this.text.length; this.at++) {
            const c = this.text[this.at];
            if (c === '"') {
                this.at++;
                return value;
            }
            if (c === '\\' && this.at + 1 < this.text.length)
                this.at++;
            value += this.text[this.at];
        }
        this.at = start;
        return this.fail('a closing \'"\' for the quoted value', this.text.length - start, 'a quote that is never closed');
    }
    parseBare() {
        const match = /[^\s\]"#]+/y;
        match.lastIndex = this.at;
        const found = match.exec(this.text);
        if (found === null)
            this.fail('a value, as in [class=Gentoo] or [island="Biscoe Island"]');
        this.at += found[0].length;
        return found[0];
    }
    parseOperator() {
        const operator = OPERATORS.find((candidate) => this.text.startsWith(candidate, this.at));
        if (operator === undefined)
            this.fail('a comparison: >=, <=, >, < or ==');
        this.at += operator.length;
        return operator;
    }
    parseThreshold() {
        if (this.text.startsWith('baseline', this.at) && !/[A-Za-z0-9_]/.test(this.text[this.at + 8] ?? '')) {
            this.at += 'baseline'.length;
            this.skipSpace();
            const operator = this.peek();
            if (operator !== '+' && operator !== '-' && operator !== '*')
                return { kind: 'baseline' };
            this.at++;
            this.skipSpace();
            return { kind: 'baseline', adjustment: { operator, value: this.expectNumber('a number after "baseline ' + operator + '"') } };
        }
        return { kind: 'number', value: this.expectNumber('a number or "baseline"') };
    }
    expectNumber(expected) {
        NUMBER.lastIndex = this.at;
        const found = NUMBER.exec(this.text);
        // "0.9x" is not a number followed by junk: report the whole word.
        if (found === null || /[A-Za-z0-9_.]/.test(this.text[this.at + found[0].length] ?? ''))
            this.fail(expected);
        this.at += found[0].length;
        return Number(found[0]);
    }
    expectName(expected) {
        NAME.lastIndex = this.at;
        const found = NAME.exec(this.text);
        if (found === null)
            this.fail(expected);
        this.at += found[0].length;
        return found[0];
    }
    skipSpace() {
        while (this.at < this.text.length && /\s/.test(this.text[this.at]))
            this.at++;
    }
    peek() {
        return this.text[this.at];
    }
    fail(expected, width, description) {
        let found;
        if (description !== undefined) {
            found = description;
        }
        else if (this.at >= this.text.length) {
            found = 'the end of the rule';
            width = 1;
        }
        else {
            WORD.lastIndex = this.at;
            const word = WORD.exec(this.text)[0];
            found = `"${word}"`;
            width ??= word.length;
        }
        const column = this.at + 1;
        const caret = ' '.repeat(this.at) + '^'.repeat(Math.max(1, width ?? 1));
        throw new errors/* InputError */.d(`gate ${this.index} "${this.text}": at column ${column} found ${found}, expected ${expected}\n  ${this.text}\n  ${caret}`, {
            ...(this.file !== undefined && { file: this.file }),
            line: this.line,
            column: this.indent + column,
        });
    }
}

;// CONCATENATED MODULE: ./shared/gates/evaluate-gates.ts
// Decides gate rules on bootstrap intervals rather than point values: a gate passes only when the
// whole interval satisfies the rule, fails only when none of it does, and is inconclusive when the
// interval straddles the threshold (the data cannot tell). Rules against the baseline use the paired
// interval of candidate − baseline when there is one, since resampling both models on the same rows
// cancels the noise they share.


const PHRASES = {
    '>=': { pass: 'is at least', fail: 'is below', inconclusive: 'may or may not be at least' },
    '>': { pass: 'is above', fail: 'is not above', inconclusive: 'may or may not be above' },
    '<=': { pass: 'is at most', fail: 'is above', inconclusive: 'may or may not be at most' },
    '<': { pass: 'is below', fail: 'is not below', inconclusive: 'may or may not be below' },
    '==': { pass: 'equals', fail: 'differs from', inconclusive: 'may or may not equal' },
};
/**
 * Decides each rule on the given metrics and returns the decisions and the overall verdict.
 * Throws InputError when a rule names a metric the candidate does not have (listing those it has).
 */
function evaluateGates(rules, metrics) {
    const confidence = `${formatPercent(metrics.confidence ?? 0.95)} CI`;
    const gates = rules.map((rule) => {
        const key = metricKey(rule);
        const measured = metrics.candidate[key];
        if (measured === undefined) {
            const available = Object.keys(metrics.candidate).join(', ');
            throw new errors/* InputError */.d(`gate ${rule.index} "${rule.text}": no metric "${key}" was measured; available: ${available}`, { line: rule.line });
        }
        const candidate = asInterval(measured);
        const phrase = (verdict) => PHRASES[rule.operator][verdict];
        if (!isDefined(candidate)) {
            return { rule, verdict: 'inconclusive', explanation: `${key} is undefined on these rows (for example, a class never occurs), so the gate cannot be decided` };
        }
        if (rule.threshold.kind === 'number') {
            const threshold = rule.threshold.value;
            const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
            return {
                rule,
                verdict,
                explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${formatNumber(threshold)} (${confidence} ${formatNumber(candidate.low)} … ${formatNumber(candidate.high)})`,
            };
        }
        const baselineMetric = metrics.baseline?.[key];
        if (baselineMetric === undefined || !Number.isFinite(asInterval(baselineMetric).value)) {
            const why = metrics.baseline === undefined ? 'there is no baseline model' : `the baseline has no value of ${key}`;
            return { rule, verdict: 'inconclusive', explanation: `${key} ${formatNumber(candidate.value)} cannot be compared with the baseline: ${why}` };
        }
        const base = asInterval(baselineMetric).value;
        const adjustment = rule.threshold.adjustment;
        let threshold = base;
        // The margin over the baseline, computed directly so that "baseline - 0.005" compares with exactly −0.005.
        let margin = 0;
        let thresholdText = `baseline ${formatNumber(base)}`;
        if (adjustment !== undefined) {
            margin = adjustment.operator === '+' ? adjustment.value : adjustment.operator === '-' ? -adjustment.value : base * (adjustment.value - 1);
            threshold = adjustment.operator === '*' ? base * adjustment.value : base + margin;
            thresholdText += ` ${{ '+': '+', '-': '−', '*': '×' }[adjustment.operator]} ${formatNumber(adjustment.value)}`;
        }
        const deltaMetric = metrics.delta?.[key];
        if (deltaMetric !== undefined && isDefined(asInterval(deltaMetric))) {
            // candidate op threshold  ⇔  (candidate − baseline) op (threshold − baseline)
            const delta = asInterval(deltaMetric);
            const verdict = decide(delta.low, delta.high, rule.operator, margin);
            return {
                rule,
                verdict,
                explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText} ` +
                    `(delta ${formatSigned(delta.value)}, ${confidence} ${formatSigned(delta.low)} … ${formatSigned(delta.high)})`,
            };
        }
        const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
        return {
            rule,
            verdict,
            explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText} (${confidence} ${formatNumber(candidate.low)} … ${formatNumber(candidate.high)})`,
        };
    });
    const verdict = gates.some((g) => g.verdict === 'fail') ? 'fail' : gates.some((g) => g.verdict === 'inconclusive') ? 'inconclusive' : 'pass';
    return { gates, verdict };
}
function asInterval(metric) {
    if (typeof metric === 'number')
        return { value: metric, low: metric, high: metric };
    return { value: metric.value, low: metric.low ?? metric.value, high: metric.high ?? metric.value };
}
function isDefined(interval) {
    return Number.isFinite(interval.value) && Number.isFinite(interval.low) && Number.isFinite(interval.high);
}
/** pass when every value in [low, high] satisfies `value op threshold`, fail when none does. */
function decide(low, high, operator, threshold) {
    const verdict = (all, none) => (all ? 'pass' : none ? 'fail' : 'inconclusive');
    switch (operator) {
        case '>=':
            return verdict(low >= threshold, high < threshold);
        case '>':
            return verdict(low > threshold, high <= threshold);
        case '<=':
            return verdict(high <= threshold, low > threshold);
        case '<':
            return verdict(high < threshold, low >= threshold);
        case '==':
            return verdict(low === threshold && high === threshold, threshold < low || threshold > high);
    }
}
/** Three decimals (metrics live mostly in [0, 1]); tiny magnitudes keep two significant digits. Minus sign is U+2212. */
function formatNumber(value) {
    const text = value !== 0 && Math.abs(value) < 0.001 ? value.toPrecision(2) : value.toFixed(3);
    return text.replace('-', '−');
}
function formatSigned(value) {
    return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}
function formatPercent(confidence) {
    return `${Number((confidence * 100).toFixed(1))} %`;
}

// EXTERNAL MODULE: ./shared/report/escape.ts
var report_escape = __webpack_require__(46682);
// EXTERNAL MODULE: ./shared/report/mermaid.ts
var mermaid = __webpack_require__(16530);
;// CONCATENATED MODULE: ./shared/report/evaluate-report.ts




const ICONS = { pass: '✅', fail: '❌', inconclusive: '⚠️' };
function value(estimate) {
    if (estimate === undefined || !Number.isFinite(estimate.value))
        return '–';
    return formatNumber(estimate.value);
}
function signed(x) {
    return x > 0 ? `+${formatNumber(x)}` : formatNumber(x);
}
function withInterval(estimate, format) {
    if (estimate === undefined || !Number.isFinite(estimate.value))
        return '–';
    const { low, high } = estimate;
    const interval = low !== undefined && high !== undefined && Number.isFinite(low) && Number.isFinite(high) ? ` [${format(low)}, ${format(high)}]` : '';
    return `${format(estimate.value)}${interval}`;
}
function percent(confidence) {
    return `${Number((confidence * 100).toFixed(1))} %`;
}
/** The headline metric of a task, for slice charts. */
function headline(task) {
    return task === 'regression' ? 'rmse' : 'accuracy';
}
function metricTable(names, input, byMetric, label) {
    const { candidate, baseline, delta } = input.metrics;
    const ci = input.samples > 0 ? ` [${percent(input.confidence)} CI]` : '';
    const lines = [`| metric | candidate${ci} | baseline | delta${delta && input.samples > 0 ? ci : ''} | gate | verdict |`, '|---|---|---|---|---|---|'];
    for (const name of names) {
        const decisions = byMetric.get(name) ?? [];
        const gate = decisions.map((d) => (0,report_escape/* escapeMarkdownText */.m)(d.rule.text)).join('<br>');
        const verdict = decisions.map((d) => `${ICONS[d.verdict]} ${d.verdict}`).join('<br>');
        lines.push(`| ${label(name)} | ${withInterval(candidate[name], formatNumber)} | ${value(baseline?.[name])} | ${withInterval(delta?.[name], signed)} | ${gate} | ${verdict} |`);
    }
    return lines;
}
/** The Markdown report (and job summary, and pull-request comment) of evaluate: the verdict and why first, then the numbers. */
function renderEvaluateReport(input) {
    const { gates, metrics } = input;
    const lines = [];
    const verdictText = gates.verdict === 'inconclusive' && input.failOnInconclusive ? 'inconclusive (fails the step: fail-on-inconclusive)' : gates.verdict;
    lines.push(`## evaluate: ${ICONS[gates.verdict]} ${verdictText}`, '');
    const counts = ['fail', 'inconclusive', 'pass'].map((v) => [v, gates.gates.filter((g) => g.verdict === v).length]);
    const gateSummary = gates.gates.length === 0 ? 'no gates' : counts.filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v === 'pass' ? 'passed' : v === 'fail' ? 'failed' : 'inconclusive'}`).join(', ');
    const facts = [
        `**${gates.gates.length} gate${gates.gates.length === 1 ? '' : 's'}**: ${gateSummary}`,
        `${(0,report_escape/* escapeMarkdownText */.m)(input.candidateName)}${input.rowCount !== undefined ? ` (${input.rowCount.toLocaleString('en-US')} rows)` : ''}`,
        input.baselineName ? `baseline ${(0,report_escape/* escapeMarkdownText */.m)(input.baselineName)} (${input.baselineKind})` : 'no baseline',
        input.samples > 0 ? `${percent(input.confidence)} intervals from ${input.samples.toLocaleString('en-US')} bootstrap resamples (seed ${input.seed})` : 'point values, no intervals',
    ];
    lines.push(facts.join(' · '), '');
    const explain = (d) => `- ${ICONS[d.verdict]} **${d.verdict}** — ${(0,report_escape/* escapeMarkdownText */.m)(d.rule.text)}: ${(0,report_escape/* escapeMarkdownText */.m)(d.explanation)}`;
    const notPassing = gates.gates.filter((g) => g.verdict !== 'pass');
    const passing = gates.gates.filter((g) => g.verdict === 'pass');
    if (gates.gates.length === 0) {
        lines.push('No gate rules were given, so nothing can fail: add `gates` to decide.', '');
    }
    else {
        if (notPassing.length)
            lines.push(...notPassing.map(explain), '');
        if (passing.length) {
            if (notPassing.length)
                lines.push(`<details><summary>${passing.length} passing gate${passing.length === 1 ? '' : 's'}</summary>`, '');
            lines.push(...passing.map(explain), '');
            if (notPassing.length)
                lines.push('</details>', '');
        }
    }
    const byMetric = new Map();
    for (const decision of gates.gates) {
        const key = metricKey(decision.rule);
        byMetric.set(key, [...(byMetric.get(key) ?? []), decision]);
    }
    const names = Object.keys(metrics.candidate);
    const classNames = names.filter((n) => /^[a-z0-9_]+\[class=/.test(n) && input.classes !== undefined);
    const sliceNames = new Set(input.slices.flatMap((s) => names.filter((n) => n.endsWith(`[${s.column}=${s.value}]`) && !n.startsWith('['))));
    const overall = names.filter((n) => !n.includes('['));
    lines.push('### Metrics', '', ...metricTable(overall, input, byMetric, (n) => (0,report_escape/* escapeMarkdownText */.m)(n)), '');
    if (input.classes && classNames.length) {
        lines.push('### Per class', '');
        const ordered = input.classes.flatMap((c) => ['precision', 'recall', 'f1'].map((m) => `${m}[class=${c}]`)).filter((n) => n in metrics.candidate);
        lines.push(...metricTable(ordered, input, byMetric, (n) => (0,report_escape/* escapeMarkdownText */.m)(n)), '');
    }
    if (input.confusion) {
        const { classes, counts } = input.confusion;
        const table = [
            `| true \\ predicted | ${classes.map((c) => (0,report_escape/* escapeMarkdownText */.m)(c)).join(' | ')} |`,
            `|---|${classes.map(() => '---:').join('|')}|`,
            ...counts.map((row, t) => `| **${(0,report_escape/* escapeMarkdownText */.m)(classes[t])}** | ${row.map((count, p) => (t === p ? `**${count}**` : String(count))).join(' | ')} |`),
        ];
        lines.push('### Confusion matrix', '');
        if (classes.length > 12)
            lines.push(`<details><summary>${classes.length} × ${classes.length}</summary>`, '', ...table, '', '</details>', '');
        else
            lines.push(...table, '');
    }
    if (input.slices.length) {
        lines.push('### Slices', '');
        for (const slice of input.slices) {
            const suffix = `[${slice.column}=${slice.value}]`;
            const sliceMetrics = overall.map((n) => `${n}${suffix}`).filter((n) => sliceNames.has(n));
            lines.push(`#### ${(0,report_escape/* escapeMarkdownText */.m)(slice.column)} = ${(0,report_escape/* escapeMarkdownText */.m)(slice.value === '' ? '(empty)' : slice.value)} (${slice.rows.toLocaleString('en-US')} rows)`, '');
            lines.push(...metricTable(sliceMetrics, input, byMetric, (n) => (0,report_escape/* escapeMarkdownText */.m)(n.slice(0, -suffix.length))), '');
        }
    }
    const charts = renderCharts(input);
    if (charts.length)
        lines.push('### Charts', '', ...charts);
    return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
function renderCharts(input) {
    const { candidate, baseline } = input.metrics;
    const charts = [];
    const finite = (x) => (x !== undefined && Number.isFinite(x) ? x : 0);
    if (input.classes && input.classes.length >= 2 && input.classes.length <= 30 && `recall[class=${input.classes[0]}]` in candidate) {
        const recall = (metrics) => input.classes.map((c) => finite(metrics[`recall[class=${c}]`]?.value));
        const precision = input.classes.map((c) => finite(candidate[`precision[class=${c}]`]?.value));
        const againstBaseline = baseline !== undefined && input.classes.some((c) => `recall[class=${c}]` in baseline);
        charts.push((0,mermaid/* comparisonChart */.e4)({
            title: againstBaseline ? 'Recall per class: candidate vs baseline' : 'Recall and precision per class',
            labels: input.classes,
            first: recall(candidate),
            second: againstBaseline ? recall(baseline) : precision,
            yLabel: againstBaseline ? 'recall' : 'recall, precision',
            legend: (0,report_escape/* escapeHtml */.Z)(againstBaseline ? 'Bars: candidate recall; line: baseline recall.' : 'Bars: recall; line: precision.'),
        }), '');
    }
    const metric = headline(input.task);
    const column = input.slices[0]?.column;
    if (column !== undefined) {
        const slices = input.slices.filter((s) => s.column === column).slice(0, 30);
        const name = (s) => `${metric}[${s.column}=${s.value}]`;
        if (slices.some((s) => name(s) in candidate)) {
            const againstBaseline = baseline !== undefined && slices.some((s) => name(s) in baseline);
            charts.push((0,mermaid/* comparisonChart */.e4)({
                title: `${metric} by ${column}`,
                labels: slices.map((s) => s.value || '(empty)'),
                first: slices.map((s) => finite(candidate[name(s)]?.value)),
                second: againstBaseline ? slices.map((s) => finite(baseline[name(s)]?.value)) : slices.map(() => finite(candidate[metric]?.value)),
                yLabel: metric,
                legend: (0,report_escape/* escapeHtml */.Z)(`Bars: candidate ${metric} per ${column}; line: ${againstBaseline ? 'baseline' : 'all rows'}.`),
            }), '');
        }
    }
    return charts;
}

// EXTERNAL MODULE: ./shared/runtime/local-store.ts
var local_store = __webpack_require__(34626);
;// CONCATENATED MODULE: ./shared/evaluate/metrics-file.ts



/**
 * Reads metrics computed elsewhere: a JSON object of metric name → number or {value, low?, high?};
 * the same under a `metrics` key; or an earlier run's `report-json` (its candidate's metrics).
 * Throws InputError naming `input`, the file and the offending metric.
 */
async function readMetricsFile(path, cwd, input) {
    const text = await (0,promises_.readFile)((0,external_node_path_.resolve)(cwd, path), 'utf8').catch(() => {
        throw new errors/* InputError */.d(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
    });
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* InputError */.d(`Input '${input}': ${path} is not valid JSON (${error.message}); expected an object of metric name → number.`, { file: path });
    }
    return parseMetrics(parsed, `Input '${input}': ${path}`, path);
}
/** Parses the metrics object (see readMetricsFile); `where` prefixes messages. */
function parseMetrics(parsed, where, file) {
    const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!isObject(parsed))
        throw new errors/* InputError */.d(`${where} holds ${JSON.stringify(parsed)?.slice(0, 40)}; expected a JSON object of metric name → number.`, { file });
    let metrics = parsed;
    if (parsed.kind === 'mlops-evaluation' && isObject(parsed.metrics))
        metrics = parsed.metrics.candidate;
    else if (isObject(parsed.metrics))
        metrics = parsed.metrics;
    if (!isObject(metrics))
        throw new errors/* InputError */.d(`${where}: expected its metrics as a JSON object of metric name → number.`, { file });
    const result = {};
    for (const [name, value] of Object.entries(metrics)) {
        if (typeof value === 'number') {
            result[name] = { value };
            continue;
        }
        if (value === null) {
            result[name] = { value: NaN };
            continue;
        }
        const number = (key) => {
            const v = isObject(value) ? value[key] : undefined;
            if (v === undefined)
                return undefined;
            if (v === null)
                return NaN;
            if (typeof v !== 'number')
                throw new errors/* InputError */.d(`${where}: metric ${JSON.stringify(name)} has ${key} ${JSON.stringify(v)}; expected a number.`, { file });
            return v;
        };
        const estimate = isObject(value) && 'value' in value ? { value: number('value') } : undefined;
        if (estimate === undefined) {
            throw new errors/* InputError */.d(`${where}: metric ${JSON.stringify(name)} is ${JSON.stringify(value)?.slice(0, 60)}; expected a number or {"value": …, "low": …, "high": …}.`, { file });
        }
        const low = number('low');
        const high = number('high');
        if (low !== undefined)
            estimate.low = low;
        if (high !== undefined)
            estimate.high = high;
        result[name] = estimate;
    }
    if (Object.keys(result).length === 0)
        throw new errors/* InputError */.d(`${where} holds no metrics.`, { file });
    return result;
}

;// CONCATENATED MODULE: ./shared/metrics/bootstrap.ts
// Percentile bootstrap intervals. A resample is a vector of multiplicities (how often each row was
// drawn), handed to an evaluator that already did the per-row work once: no rows are copied, and one
// buffer serves every resample. Deterministic given the seed: same seed, same resamples, same intervals.

/** Returns a xoshiro128** generator whose state is expanded from `seed` (any number; used as a uint32) by splitmix32. */
function createRng(seed) {
    let x = seed >>> 0;
    const splitmix32 = () => {
        x = (x + 0x9e3779b9) | 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return z ^ (z >>> 16);
    };
    return new Xoshiro128StarStar(splitmix32(), splitmix32(), splitmix32(), splitmix32());
}
// A class with plain int32 fields: V8 keeps them unboxed, which a closure over `let`s does not manage as well.
class Xoshiro128StarStar {
    s0;
    s1;
    s2;
    s3;
    constructor(s0, s1, s2, s3) {
        this.s0 = s0 | 0;
        this.s1 = s1 | 0;
        this.s2 = s2 | 0;
        this.s3 = s3 | 0;
        if ((this.s0 | this.s1 | this.s2 | this.s3) === 0)
            this.s0 = 1;
    }
    nextUint32() {
        const s0 = this.s0;
        const s1 = this.s1;
        let s2 = this.s2;
        let s3 = this.s3;
        const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        this.s1 = s1 ^ s2;
        this.s0 = s0 ^ s3;
        this.s2 = s2 ^ t;
        this.s3 = rotl(s3, 11);
        return result;
    }
}
function rotl(value, bits) {
    return (value << bits) | (value >>> (32 - bits));
}
/**
 * Draws one bootstrap resample of `rowCount` (at most 2^31) rows with replacement into `counts`
 * (multiplicity per row), returning it. Uniform by rejection (no modulo bias).
 */
function drawResampleCounts(rng, rowCount, counts) {
    counts.fill(0);
    // 31-bit draws keep the modulo in int32 arithmetic (a uint32 above 2^31 is a double, and % on doubles is slow).
    const limit = 0x80000000 - (0x80000000 % rowCount);
    for (let drawn = 0; drawn < rowCount; drawn++) {
        let r = rng.nextUint32() >>> 1;
        while (r >= limit)
            r = rng.nextUint32() >>> 1;
        counts[r % rowCount]++;
    }
    return counts;
}
/**
 * Returns, for each metric `evaluate` produces, its value on all rows and its percentile interval over
 * `samples` resamples. Resamples where a metric is NaN (say, ROC AUC drawn without a positive) are left
 * out of that metric's interval; a metric NaN in every resample gets NaN bounds.
 * Throws InputError on a bad option or no rows.
 */
function bootstrapIntervals(rowCount, evaluate, options = {}) {
    const point = evaluate();
    const draws = resampleDraws(rowCount, options, (weights) => [evaluate(weights)]);
    return intervalsOf(point, draws[0], confidenceOf(options));
}
/**
 * Evaluates a candidate and a baseline model on the SAME rows and resamples, and returns both sets of
 * intervals and the interval of their difference. Throws InputError on a bad option or no rows.
 */
function pairedBootstrapIntervals(rowCount, candidate, baseline, options = {}) {
    const candidatePoint = candidate();
    const baselinePoint = baseline();
    const [candidateDraws, baselineDraws] = resampleDraws(rowCount, options, (weights) => [candidate(weights), baseline(weights)]);
    const deltaPoint = {};
    const deltaDraws = new Map();
    for (const name of Object.keys(candidatePoint)) {
        if (!(name in baselinePoint))
            continue;
        deltaPoint[name] = candidatePoint[name] - baselinePoint[name];
        const c = candidateDraws.get(name);
        const b = baselineDraws.get(name);
        deltaDraws.set(name, c.map((value, s) => value - b[s]));
    }
    const confidence = confidenceOf(options);
    return {
        candidate: intervalsOf(candidatePoint, candidateDraws, confidence),
        baseline: intervalsOf(baselinePoint, baselineDraws, confidence),
        delta: intervalsOf(deltaPoint, deltaDraws, confidence),
    };
}
/**
 * Linear-interpolation percentile (NumPy's default method) of ascending `sorted` values at fraction `q`
 * in [0, 1]; NaN for no values.
 */
function percentile(sorted, q) {
    const m = sorted.length;
    if (m === 0)
        return NaN;
    const position = (m - 1) * q;
    const below = Math.floor(position);
    const above = Math.min(below + 1, m - 1);
    const t = position - below;
    return sorted[below] + t * (sorted[above] - sorted[below]);
}
/** Runs the resamples and collects each evaluation's values per metric (one Float64Array of `samples` per name). */
function resampleDraws(rowCount, options, evaluateAll) {
    const samples = options.samples ?? 1000;
    if (!Number.isInteger(samples) || samples < 1) {
        throw new errors/* InputError */.d(`bootstrap samples: expected a whole number of at least 1, found ${samples}`);
    }
    if (!Number.isInteger(rowCount) || rowCount < 1) {
        throw new errors/* InputError */.d(`bootstrap: expected at least one row to resample, found ${rowCount}`);
    }
    if (rowCount > 0x80000000)
        throw new errors/* InputError */.d(`bootstrap: at most 2^31 rows can be resampled, found ${rowCount}`);
    const rng = createRng(options.seed ?? 0);
    const counts = new Float64Array(rowCount);
    let draws;
    for (let s = 0; s < samples; s++) {
        const results = evaluateAll(drawResampleCounts(rng, rowCount, counts));
        draws ??= results.map((values) => new Map(Object.keys(values).map((name) => [name, new Float64Array(samples)])));
        results.forEach((values, r) => {
            for (const [name, column] of draws[r])
                column[s] = values[name] ?? NaN;
        });
    }
    return draws;
}
function confidenceOf(options) {
    const confidence = options.confidence ?? 0.95;
    if (!(confidence > 0 && confidence < 1)) {
        throw new errors/* InputError */.d(`bootstrap confidence: expected a number between 0 and 1 (exclusive), found ${confidence}`);
    }
    return confidence;
}
function intervalsOf(point, draws, confidence) {
    const tail = (1 - confidence) / 2;
    const intervals = {};
    for (const [name, value] of Object.entries(point)) {
        const column = draws.get(name);
        const finite = column === undefined ? new Float64Array(0) : column.filter((v) => !Number.isNaN(v)).sort();
        intervals[name] = { value, low: percentile(finite, tail), high: percentile(finite, 1 - tail) };
    }
    return intervals;
}

;// CONCATENATED MODULE: ./shared/metrics/labels.ts
// Class labels arrive as strings (read from CSV/JSON); their order decides the confusion matrix
// layout and the default positive class, so it must match what scikit-learn does with the same column.
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Compares two strings by Unicode code point, as Python and NumPy compare str (JS `<` compares UTF-16 units). */
function compareCodePoints(a, b) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
        const x = a.codePointAt(i);
        const y = b.codePointAt(i);
        if (x !== y)
            return x < y ? -1 : 1;
        if (x > 0xffff)
            i++;
    }
    return a.length - b.length;
}
/**
 * Returns the distinct labels in scikit-learn's order: numerically when every label is a number
 * (as pandas would read the column, so "9" < "10"), otherwise by code point ("Adelie" < "Gentoo" < "adelie").
 */
function sortLabels(labels) {
    const distinct = [...new Set(labels)];
    if (distinct.length > 0 && distinct.every((label) => NUMBER_PATTERN.test(label))) {
        return distinct.sort((a, b) => Number(a) - Number(b) || compareCodePoints(a, b));
    }
    return distinct.sort(compareCodePoints);
}
/**
 * Returns the positive class of a binary problem: the greater of the two labels in scikit-learn's
 * order, as `roc_auc_score` and `LabelBinarizer` take it. The usual encodings all come out right:
 * "1" over "0", "true" over "false", "yes" over "no", "positive" over "negative".
 */
function defaultPositiveClass(sortedClasses) {
    return sortedClasses[sortedClasses.length - 1];
}

;// CONCATENATED MODULE: ./shared/metrics/ranking.ts
// ROC AUC and average precision for any row weights in one O(n) pass: rows are sorted by score
// once, and each weight vector (a bootstrap resample) only re-accumulates counts in that order.
/** Sorts rows by descending score once; `isPositive[i]` is 1 for rows of the positive class. */
function rankScores(scores, isPositive) {
    const n = scores.length;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++)
        order[i] = i;
    // Sorting a copy of the scores alongside the indices is much faster than a comparator on indices.
    const keyed = new Float64Array(n);
    for (let i = 0; i < n; i++)
        keyed[i] = scores[i];
    order.sort((a, b) => keyed[b] - keyed[a]);
    const positive = new Uint8Array(n);
    const thresholdEnd = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
        const i = order[j];
        positive[j] = isPositive[i] ? 1 : 0;
        // Ties form one threshold, as in scikit-learn's _binary_clf_curve (np.diff(y_score) != 0).
        thresholdEnd[j] = j === n - 1 || keyed[order[j + 1]] !== keyed[i] ? 1 : 0;
    }
    return { order, positive, thresholdEnd };
}
/**
 * Returns ROC AUC (trapezoids between thresholds, as sklearn's roc_curve + auc) and average precision
 * (sklearn's step sum Σ (Rₖ − Rₖ₋₁)·Pₖ); NaN when the weighted rows lack positives (both) or negatives (AUC).
 * Zero-weight rows change neither, which is why sklearn may drop them first.
 */
function rankingValues(ranked, weights) {
    const { order, positive, thresholdEnd } = ranked;
    const n = order.length;
    let tp = 0;
    let fp = 0;
    let tpBefore = 0;
    let fpBefore = 0;
    let doubleArea = 0;
    let precisionSum = 0;
    if (weights === undefined)
        weights = new Float64Array(n).fill(1);
    for (let j = 0; j < n; j++) {
        const w = weights[order[j]];
        const p = positive[j];
        tp += p * w;
        fp += (1 - p) * w;
        if (thresholdEnd[j] === 1) {
            if (fp !== fpBefore)
                doubleArea += (fp - fpBefore) * (tp + tpBefore);
            if (tp !== tpBefore)
                precisionSum += ((tp - tpBefore) * tp) / (tp + fp);
            tpBefore = tp;
            fpBefore = fp;
        }
    }
    return {
        rocAuc: tp > 0 && fp > 0 ? doubleArea / (2 * tp * fp) : NaN,
        averagePrecision: tp > 0 ? precisionSum / tp : NaN,
    };
}

;// CONCATENATED MODULE: ./shared/metrics/classification.ts
// Classification metrics that agree with scikit-learn 1.2 to 1e-9 (checked against it on real data in
// test/integration/metrics/sklearn-agreement.test.ts). Every metric accepts per-row weights: a bootstrap
// resample is a vector of multiplicities, so rows are never copied and the evaluator below does the
// expensive work (label lookup, sorting by score, per-row losses) once for all resamples.
//
// Names of the values returned (the names gates use):
//   accuracy, balanced_accuracy,
//   precision, recall, f1                       binary only: of the positive class
//   precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, f1_weighted
//   precision[class=X], recall[class=X], f1[class=X]   for each class X
//   roc_auc, average_precision, log_loss, brier_score  when scores are given (see ClassificationRows)
// A class absent from a row set scores 0 where sklearn's zero_division=0 gives 0; metrics that are
// undefined for the rows (ROC AUC without both classes, any metric with zero total weight) are NaN,
// where sklearn would raise.



/** Machine epsilon of float64: sklearn 1.2's log_loss clips probabilities to [eps, 1 − eps] with it (eps="auto"). */
const FLOAT64_EPSILON = 2 ** -52;
/**
 * Prepares rows for repeated evaluation (e.g. 1000 bootstrap resamples).
 * Throws InputError when lengths differ, scores are not finite, or probability columns do not fit.
 */
function prepareClassification(rows, options = {}) {
    const { labels, predictions } = rows;
    const n = labels.length;
    if (predictions.length !== n) {
        throw new errors/* InputError */.d(`predictions: expected one prediction per label (${n}), found ${predictions.length}`);
    }
    const labelSet = new Set(labels);
    for (const prediction of predictions)
        labelSet.add(prediction);
    if (options.positiveClass !== undefined)
        labelSet.add(options.positiveClass);
    const classes = sortLabels(labelSet);
    const k = classes.length;
    const classIndex = new Map(classes.map((label, index) => [label, index]));
    const labelIndex = new Int32Array(n);
    const predictionIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) {
        labelIndex[i] = classIndex.get(labels[i]);
        predictionIndex[i] = classIndex.get(predictions[i]);
    }
    const binary = k === 2;
    const positiveClass = binary ? (options.positiveClass ?? defaultPositiveClass(classes)) : undefined;
    const positiveIndex = positiveClass === undefined ? -1 : classIndex.get(positiveClass);
    const scoring = prepareScoring(rows, classes, labelIndex, positiveIndex);
    const confusion = new Float64Array(k * k);
    const cell = new Int32Array(n);
    for (let i = 0; i < n; i++)
        cell[i] = labelIndex[i] * k + predictionIndex[i];
    const ones = new Float64Array(n).fill(1);
    const noLoss = new Float64Array(n);
    const rowLoss = scoring?.rowLogLoss ?? noLoss;
    const rowBrier = scoring?.rowBrier ?? noLoss;
    // One branch-free pass: resamples leave about a third of the rows at weight 0, and skipping them
    // with an `if` costs more in mispredictions than adding zeros.
    function accumulate(weights) {
        if (weights.length !== n) {
            throw new errors/* InputError */.d(`weights: expected one weight per row (${n}), found ${weights.length}`);
        }
        confusion.fill(0);
        let total = 0;
        let logLoss = 0;
        let brier = 0;
        for (let i = 0; i < n; i++) {
            const w = weights[i];
            confusion[cell[i]] += w;
            total += w;
            logLoss += w * rowLoss[i];
            brier += w * rowBrier[i];
        }
        return { total, logLoss, brier };
    }
    return {
        rowCount: n,
        classes,
        positiveClass,
        evaluate(weights = ones) {
            const { total, logLoss, brier } = accumulate(weights);
            const values = confusionMetrics(confusion, classes, positiveIndex, total);
            if (scoring !== undefined) {
                if (binary) {
                    const ranking = rankingValues(scoring.ranked[0], weights);
                    values.roc_auc = ranking.rocAuc;
                    values.average_precision = ranking.averagePrecision;
                }
                else {
                    let sum = 0;
                    for (const ranked of scoring.ranked)
                        sum += rankingValues(ranked, weights).rocAuc;
                    values.roc_auc = sum / scoring.ranked.length;
                }
                values.log_loss = logLoss / total;
                if (scoring.rowBrier !== undefined)
                    values.brier_score = brier / total;
            }
            return values;
        },
        confusionMatrix(weights = ones) {
            accumulate(weights);
            const counts = classes.map((_, t) => Array.from(confusion.subarray(t * k, (t + 1) * k)));
            return { classes: [...classes], counts };
        },
    };
}
/** Returns every classification metric of the rows (weighted when `weights` is given); see the file header for names. */
function classificationMetrics(rows, options = {}) {
    return prepareClassification(rows, options).evaluate(options.weights);
}
/** Returns the confusion matrix with classes in sklearn order (rows: true class, columns: predicted). */
function confusionMatrix(rows, options = {}) {
    return prepareClassification(rows, options).confusionMatrix(options.weights);
}
function prepareScoring(rows, classes, labelIndex, positiveIndex) {
    const n = labelIndex.length;
    const k = classes.length;
    if (rows.scores !== undefined) {
        if (positiveIndex < 0) {
            throw new errors/* InputError */.d(`scores: one score per row fits a binary problem, but the rows have ${k} classes (${classes.join(', ')}); give probabilities per class instead`);
        }
        return binaryScoring(checkedScores(rows.scores, n), labelIndex, positiveIndex);
    }
    if (rows.probabilities === undefined)
        return undefined;
    const probabilities = rows.probabilities;
    if (probabilities.length !== n) {
        throw new errors/* InputError */.d(`probabilities: expected one row of probabilities per label (${n}), found ${probabilities.length}`);
    }
    const columns = rows.probabilityClasses ?? classes;
    const columnOf = new Map(columns.map((label, column) => [label, column]));
    for (const label of classes) {
        if (!columnOf.has(label)) {
            throw new errors/* InputError */.d(`probabilities: class "${label}" occurs in the labels or predictions but has no probability column (columns: ${columns.join(', ')})`);
        }
    }
    const m = columns.length;
    for (let i = 0; i < n; i++) {
        const row = probabilities[i];
        if (row.length !== m)
            throw new errors/* InputError */.d(`probabilities: row ${i + 1} has ${row.length} values, expected ${m} (${columns.join(', ')})`);
        for (let c = 0; c < m; c++) {
            if (!Number.isFinite(row[c]))
                throw new errors/* InputError */.d(`probabilities: row ${i + 1} column "${columns[c]}" is ${row[c]}, expected a finite number`);
        }
    }
    if (positiveIndex >= 0) {
        const column = columnOf.get(classes[positiveIndex]);
        return binaryScoring(Float64Array.from(probabilities, (row) => row[column]), labelIndex, positiveIndex);
    }
    // sklearn's multiclass log_loss: clip each probability, renormalise the row, take −log of the true class.
    const rowLogLoss = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const row = probabilities[i];
        let sum = 0;
        for (let c = 0; c < m; c++)
            sum += clip(row[c]);
        rowLogLoss[i] = -Math.log(clip(row[columnOf.get(classes[labelIndex[i]])]) / sum);
    }
    const ranked = [];
    const isClass = new Uint8Array(n);
    const column = new Float64Array(n);
    for (let c = 0; c < k; c++) {
        const p = columnOf.get(classes[c]);
        for (let i = 0; i < n; i++) {
            isClass[i] = labelIndex[i] === c ? 1 : 0;
            column[i] = probabilities[i][p];
        }
        ranked.push(rankScores(column, isClass));
    }
    return { ranked, rowLogLoss };
}
function binaryScoring(scores, labelIndex, positiveIndex) {
    const n = scores.length;
    const isPositive = new Uint8Array(n);
    const rowLogLoss = new Float64Array(n);
    const rowBrier = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const positive = labelIndex[i] === positiveIndex;
        isPositive[i] = positive ? 1 : 0;
        // sklearn appends 1 − p after clipping and renormalises by the (not always exactly 1) row sum.
        const p = clip(scores[i]);
        const q = 1 - p;
        rowLogLoss[i] = -Math.log((positive ? p : q) / (q + p));
        const error = (positive ? 1 : 0) - scores[i];
        rowBrier[i] = error * error;
    }
    return { ranked: [rankScores(scores, isPositive)], rowLogLoss, rowBrier };
}
function clip(p) {
    return p < FLOAT64_EPSILON ? FLOAT64_EPSILON : p > 1 - FLOAT64_EPSILON ? 1 - FLOAT64_EPSILON : p;
}
function checkedScores(scores, n) {
    if (scores.length !== n)
        throw new errors/* InputError */.d(`scores: expected one score per label (${n}), found ${scores.length}`);
    const copy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const score = scores[i];
        if (!Number.isFinite(score))
            throw new errors/* InputError */.d(`scores: row ${i + 1} is ${score}, expected a finite number`);
        copy[i] = score;
    }
    return copy;
}
/** Accuracy, balanced accuracy and precision/recall/F1 (per class, macro, weighted, binary) from a weighted confusion matrix. */
function confusionMetrics(confusion, classes, positiveIndex, total) {
    const k = classes.length;
    const precision = new Float64Array(k);
    const recall = new Float64Array(k);
    const f1 = new Float64Array(k);
    const support = new Float64Array(k);
    let correct = 0;
    let recallOfPresent = 0;
    let present = 0;
    for (let c = 0; c < k; c++) {
        const tp = confusion[c * k + c];
        let trueSum = 0;
        let predictedSum = 0;
        for (let other = 0; other < k; other++) {
            trueSum += confusion[c * k + other];
            predictedSum += confusion[other * k + c];
        }
        correct += tp;
        // zero_division=0: a class never predicted has precision 0, a class never true has recall 0.
        precision[c] = predictedSum === 0 ? 0 : tp / predictedSum;
        recall[c] = trueSum === 0 ? 0 : tp / trueSum;
        const denominator = precision[c] + recall[c];
        f1[c] = denominator === 0 ? 0 : (2 * precision[c] * recall[c]) / denominator;
        support[c] = trueSum;
        // balanced_accuracy leaves out classes that never occur in the labels (sklearn drops their NaN).
        if (trueSum !== 0) {
            recallOfPresent += tp / trueSum;
            present++;
        }
    }
    const values = {
        accuracy: correct / total,
        balanced_accuracy: present === 0 ? NaN : recallOfPresent / present,
    };
    if (positiveIndex >= 0) {
        values.precision = precision[positiveIndex];
        values.recall = recall[positiveIndex];
        values.f1 = f1[positiveIndex];
    }
    values.precision_macro = mean(precision);
    values.recall_macro = mean(recall);
    values.f1_macro = mean(f1);
    values.precision_weighted = weightedMean(precision, support);
    values.recall_weighted = weightedMean(recall, support);
    values.f1_weighted = weightedMean(f1, support);
    for (let c = 0; c < k; c++) {
        values[`precision[class=${classes[c]}]`] = precision[c];
        values[`recall[class=${classes[c]}]`] = recall[c];
        values[`f1[class=${classes[c]}]`] = f1[c];
    }
    return values;
}
function mean(values) {
    let sum = 0;
    for (const value of values)
        sum += value;
    return values.length === 0 ? NaN : sum / values.length;
}
function weightedMean(values, weights) {
    let sum = 0;
    let weightSum = 0;
    for (let i = 0; i < values.length; i++) {
        sum += values[i] * weights[i];
        weightSum += weights[i];
    }
    // sklearn returns zero_division (0) when no class has any support.
    return weightSum === 0 ? 0 : sum / weightSum;
}

;// CONCATENATED MODULE: ./shared/metrics/regression.ts
// Regression metrics that agree with scikit-learn 1.2 to 1e-9, with per-row weights (bootstrap
// multiplicities). Names returned: mae, rmse, r2, mape, median_absolute_error.
//   mape: sklearn's mean_absolute_percentage_error, |ŷ − y| / max(|y|, eps) with eps the float64 machine
//         epsilon, as a fraction (0.05 is 5 %), not a percentage.
//   r2: 1 when predictions are perfect, 0 when the labels are constant but predictions are not (force_finite).
//   median_absolute_error: np.median without weights; with weights, sklearn's _weighted_percentile
//         (the first sorted error whose cumulative weight reaches half the total: the lower median).

const regression_FLOAT64_EPSILON = 2 ** -52;
/** Prepares rows for repeated evaluation; throws InputError when lengths differ or a value is not finite. */
function prepareRegression(rows) {
    const n = rows.labels.length;
    if (rows.predictions.length !== n) {
        throw new errors/* InputError */.d(`predictions: expected one prediction per label (${n}), found ${rows.predictions.length}`);
    }
    const labels = finite(rows.labels, 'labels');
    const predictions = finite(rows.predictions, 'predictions');
    const absoluteError = new Float64Array(n);
    const percentageError = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        absoluteError[i] = Math.abs(predictions[i] - labels[i]);
        percentageError[i] = absoluteError[i] / Math.max(Math.abs(labels[i]), regression_FLOAT64_EPSILON);
    }
    // Sorted once so that a weighted median is one pass per weight vector.
    const errorOrder = new Int32Array(n);
    for (let i = 0; i < n; i++)
        errorOrder[i] = i;
    errorOrder.sort((a, b) => absoluteError[a] - absoluteError[b]);
    return {
        rowCount: n,
        evaluate(weights) {
            if (weights !== undefined && weights.length !== n) {
                throw new errors/* InputError */.d(`weights: expected one weight per row (${n}), found ${weights.length}`);
            }
            let total = 0;
            let labelSum = 0;
            for (let i = 0; i < n; i++) {
                const w = weights === undefined ? 1 : weights[i];
                total += w;
                labelSum += w * labels[i];
            }
            const labelMean = labelSum / total;
            let absoluteSum = 0;
            let squaredSum = 0;
            let percentageSum = 0;
            let spread = 0;
            for (let i = 0; i < n; i++) {
                const w = weights === undefined ? 1 : weights[i];
                const error = labels[i] - predictions[i];
                absoluteSum += w * absoluteError[i];
                squaredSum += w * error * error;
                percentageSum += w * percentageError[i];
                const deviation = labels[i] - labelMean;
                spread += w * deviation * deviation;
            }
            return {
                mae: absoluteSum / total,
                rmse: Math.sqrt(squaredSum / total),
                r2: spread === 0 ? (squaredSum === 0 ? 1 : 0) : 1 - squaredSum / spread,
                mape: percentageSum / total,
                median_absolute_error: weights === undefined ? median(absoluteError, errorOrder) : weightedMedian(absoluteError, errorOrder, weights),
            };
        },
    };
}
/** Returns mae, rmse, r2, mape and median_absolute_error of the rows (weighted when `weights` is given). */
function regressionMetrics(rows, options = {}) {
    return prepareRegression(rows).evaluate(options.weights);
}
function median(values, order) {
    const n = order.length;
    if (n === 0)
        return NaN;
    const middle = n >> 1;
    return n % 2 === 1 ? values[order[middle]] : (values[order[middle - 1]] + values[order[middle]]) / 2;
}
function weightedMedian(values, order, weights) {
    const n = order.length;
    if (n === 0)
        return NaN;
    let total = 0;
    for (let j = 0; j < n; j++)
        total += weights[order[j]];
    let half = total / 2;
    // sklearn nudges a zero target up so that leading zero-weight rows are skipped (GH20528).
    if (half === 0)
        half = Number.MIN_VALUE;
    let cumulative = 0;
    for (let j = 0; j < n; j++) {
        cumulative += weights[order[j]];
        if (cumulative >= half)
            return values[order[j]];
    }
    return values[order[n - 1]];
}
function finite(values, name) {
    const copy = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i]))
            throw new errors/* InputError */.d(`${name}: row ${i + 1} is ${values[i]}, expected a finite number`);
        copy[i] = values[i];
    }
    return copy;
}

;// CONCATENATED MODULE: ./shared/evaluate/model-metrics.ts
// Every metric of one model's predictions, overall and per slice, as one weighted evaluation: a
// bootstrap resample weights all rows at once, and each slice's metrics come from the same resample.
//
// Slices. Regression: the metrics of the slice's rows (as scikit-learn on those rows). Classification:
// the rows outside the slice get weight 0, which gives scikit-learn's values on the slice's rows, with
// two exceptions: macro averages are re-taken over the classes occurring in the slice (as scikit-learn
// does on those rows), and a multiclass ROC AUC is undefined (NaN) when a class is missing from the
// slice. Per-class metrics are not repeated per slice (a gate names one selector: `recall[class=Gentoo]`
// or `accuracy[island=Dream]`).




/** Most distinct values a slice column may have: more is an identifier, not a slice. */
const MAX_SLICE_VALUES = 100;
/** The metric name of `metric` on a slice: `accuracy[island=Dream]`. */
function sliceMetricName(metric, group) {
    return `${metric}[${group.column}=${group.value}]`;
}
/**
 * Groups the rows by the value of each slice column (values in first-seen order). Throws InputError
 * when a column has more than MAX_SLICE_VALUES distinct values.
 */
function sliceGroups(set) {
    const groups = [];
    for (const [column, values] of set.slices) {
        const rows = new Map();
        values.forEach((value, i) => {
            let list = rows.get(value);
            if (list === undefined) {
                if (rows.size === MAX_SLICE_VALUES) {
                    throw new errors/* InputError */.d(`Input 'slices': column ${column} of ${set.path} has more than ${MAX_SLICE_VALUES} distinct values; slice by a column with fewer (a category, not an identifier).`, { file: set.path, line: 1 });
                }
                list = [];
                rows.set(value, list);
            }
            list.push(i);
        });
        for (const [value, list] of rows)
            groups.push({ column, value, rows: Int32Array.from(list) });
    }
    return groups;
}
/**
 * Prepares a model's predictions: every metric overall and on each slice group, under any row weights.
 * Throws InputError (from the metrics) when scores or probabilities do not fit the classes.
 */
function prepareModelEvaluation(set, groups, options = {}) {
    const n = set.rowCount;
    if (n === 0)
        throw new errors/* InputError */.d(`${set.path} has no rows: expected one row per prediction.`, { file: set.path });
    if (set.task === 'regression') {
        const overall = prepareRegression({ labels: set.numericLabels, predictions: set.numericPredictions });
        const slices = groups.map((group) => ({
            group,
            evaluator: prepareRegression({
                labels: Float64Array.from(group.rows, (i) => set.numericLabels[i]),
                predictions: Float64Array.from(group.rows, (i) => set.numericPredictions[i]),
            }),
            weights: new Float64Array(group.rows.length),
        }));
        return {
            rowCount: n,
            evaluate(weights) {
                const values = overall.evaluate(weights);
                for (const slice of slices) {
                    let sliceValues;
                    if (weights === undefined)
                        sliceValues = slice.evaluator.evaluate();
                    else {
                        for (let j = 0; j < slice.group.rows.length; j++)
                            slice.weights[j] = weights[slice.group.rows[j]];
                        sliceValues = slice.evaluator.evaluate(slice.weights);
                    }
                    for (const [name, value] of Object.entries(sliceValues))
                        values[sliceMetricName(name, slice.group)] = value;
                }
                return values;
            },
        };
    }
    const evaluator = prepareClassification({ labels: set.labels, predictions: set.predictions, scores: set.scores, probabilities: set.probabilities, probabilityClasses: set.probabilityClasses }, { positiveClass: options.positiveClass });
    if (options.positiveClass !== undefined && evaluator.positiveClass === undefined) {
        throw new errors/* InputError */.d(`Input 'positive-class': ${JSON.stringify(options.positiveClass)} was given, but ${set.path} has ${evaluator.classes.length} classes (${evaluator.classes.join(', ')}), not 2.`);
    }
    const masks = groups.map((group) => {
        const mask = new Float64Array(n);
        for (const i of group.rows)
            mask[i] = 1;
        return mask;
    });
    const classIndex = new Map(evaluator.classes.map((c, i) => [c, i]));
    const k = evaluator.classes.length;
    const classesOf = groups.map((group) => ({
        label: Int32Array.from(group.rows, (i) => classIndex.get(set.labels[i])),
        prediction: Int32Array.from(group.rows, (i) => classIndex.get(set.predictions[i])),
    }));
    const present = new Uint8Array(k);
    const masked = new Float64Array(n);
    return {
        rowCount: n,
        classes: [...evaluator.classes],
        positiveClass: evaluator.positiveClass,
        confusion: evaluator.confusionMatrix(),
        evaluate(weights) {
            const values = evaluator.evaluate(weights);
            groups.forEach((group, g) => {
                const mask = masks[g];
                if (weights === undefined)
                    masked.set(mask);
                else
                    for (let i = 0; i < n; i++)
                        masked[i] = mask[i] * weights[i];
                const sliceValues = evaluator.evaluate(masked);
                // Macro averages over the classes that occur in the slice's rows, as scikit-learn on those rows.
                present.fill(0);
                const { label, prediction } = classesOf[g];
                for (let j = 0; j < group.rows.length; j++) {
                    if (weights === undefined || weights[group.rows[j]] > 0) {
                        present[label[j]] = 1;
                        present[prediction[j]] = 1;
                    }
                }
                for (const metric of ['precision', 'recall', 'f1']) {
                    let sum = 0;
                    let count = 0;
                    for (let c = 0; c < k; c++) {
                        if (present[c] === 0)
                            continue;
                        sum += sliceValues[`${metric}[class=${evaluator.classes[c]}]`];
                        count++;
                    }
                    sliceValues[`${metric}_macro`] = count === 0 ? NaN : sum / count;
                }
                for (const [name, value] of Object.entries(sliceValues)) {
                    if (!name.includes('['))
                        values[sliceMetricName(name, group)] = value;
                }
            });
            return values;
        },
    };
}
/**
 * Returns intervals for the candidate and, when given, the baseline and candidate − baseline. A
 * `baseline` evaluation must be on the candidate's rows in the same order (paired); `baselineMetrics`
 * are fixed values from a file. With `samples` 0 the values are points without intervals.
 */
function compareModels(candidate, baseline, options) {
    const bootstrap = { samples: options.samples, confidence: options.confidence, seed: options.seed };
    const points = (evaluation) => Object.fromEntries(Object.entries(evaluation.evaluate()).map(([name, value]) => [name, { value }]));
    const intervals = (evaluation) => bootstrapIntervals(evaluation.rowCount, (weights) => evaluation.evaluate(weights), bootstrap);
    if (baseline.paired !== undefined) {
        if (options.samples === 0) {
            const c = points(candidate);
            const b = points(baseline.paired);
            const delta = {};
            for (const name of Object.keys(c))
                if (name in b)
                    delta[name] = { value: c[name].value - b[name].value };
            return { candidate: c, baseline: b, delta };
        }
        const paired = pairedBootstrapIntervals(candidate.rowCount, (w) => candidate.evaluate(w), (w) => baseline.paired.evaluate(w), bootstrap);
        return paired;
    }
    const candidateMetrics = options.samples === 0 ? points(candidate) : intervals(candidate);
    if (baseline.unpaired !== undefined) {
        return { candidate: candidateMetrics, baseline: options.samples === 0 ? points(baseline.unpaired) : intervals(baseline.unpaired) };
    }
    return { candidate: candidateMetrics, baseline: baseline.metrics };
}

;// CONCATENATED MODULE: ./shared/evaluate/pairing.ts
// Pairs a baseline's predictions with the candidate's row by row, so that both models can be
// resampled on the same rows and the noise they share cancels in candidate − baseline.

/**
 * Returns the baseline's rows reordered to the candidate's order: matched by id when both have ids,
 * else by position. Throws InputError when a candidate row has no baseline row, or when a matched
 * pair of rows disagrees on the true label (naming the first such row in both files).
 */
function pairBaseline(candidate, baseline) {
    let order;
    let method;
    if (candidate.ids !== undefined && baseline.ids !== undefined) {
        method = 'id';
        const position = new Map(baseline.ids.map((id, i) => [id, i]));
        order = new Int32Array(candidate.rowCount);
        candidate.ids.forEach((id, i) => {
            const found = position.get(id);
            if (found === undefined) {
                throw new errors/* InputError */.d(`Input 'baseline': ${baseline.path} has no row with id ${JSON.stringify(id)} (${candidate.path} line ${candidate.lines[i]}); candidate and baseline must be predictions on the same rows.`, { file: baseline.path });
            }
            order[i] = found;
        });
        if (baseline.rowCount !== candidate.rowCount) {
            const extra = baseline.ids.find((id) => !candidate.ids.includes(id));
            throw new errors/* InputError */.d(`Input 'baseline': ${baseline.path} has ${baseline.rowCount} rows but ${candidate.path} has ${candidate.rowCount}` +
                `${extra === undefined ? '' : ` (id ${JSON.stringify(extra)} is only in the baseline)`}; candidate and baseline must be predictions on the same rows.`, { file: baseline.path });
        }
    }
    else {
        method = 'row order';
        if (baseline.rowCount !== candidate.rowCount) {
            throw new errors/* InputError */.d(`Input 'baseline': ${baseline.path} has ${baseline.rowCount} rows but ${candidate.path} has ${candidate.rowCount}; without an id-column, rows are matched by position, so both need the same rows in the same order.`, { file: baseline.path });
        }
        order = Int32Array.from({ length: candidate.rowCount }, (_, i) => i);
    }
    for (let i = 0; i < candidate.rowCount; i++) {
        const j = order[i];
        if (candidate.labels[i] !== baseline.labels[j]) {
            const which = method === 'id' ? `the row with id ${JSON.stringify(candidate.ids[i])}` : `row ${i + 1}`;
            throw new errors/* InputError */.d(`Input 'baseline': the true labels differ on ${which}: ${JSON.stringify(candidate.labels[i])} in ${candidate.path} (line ${candidate.lines[i]}) but ` +
                `${JSON.stringify(baseline.labels[j])} in ${baseline.path} (line ${baseline.lines[j]}); the two files are not predictions on the same rows` +
                `${method === 'row order' ? ' in the same order (set id-column to match rows by id)' : ''}.`, { file: baseline.path, line: baseline.lines[j] });
        }
    }
    return { baseline: selectRows(baseline, order), method };
}
/** The rows of `set` at `order`, in that order. */
function selectRows(set, order) {
    const pick = (values) => Array.from(order, (i) => values[i]);
    const pickNumbers = (values) => Float64Array.from(order, (i) => values[i]);
    return {
        ...set,
        rowCount: order.length,
        labels: pick(set.labels),
        predictions: pick(set.predictions),
        numericLabels: set.numericLabels && pickNumbers(set.numericLabels),
        numericPredictions: set.numericPredictions && pickNumbers(set.numericPredictions),
        scores: set.scores && pickNumbers(set.scores),
        probabilities: set.probabilities && pick(set.probabilities),
        ids: set.ids && pick(set.ids),
        slices: new Map([...set.slices].map(([name, values]) => [name, pick(values)])),
        lines: pick(set.lines),
    };
}

;// CONCATENATED MODULE: ./shared/evaluate/prediction-set.ts
// Turns a predictions table into the rows the metrics take: labels, predictions, scores or per-class
// probabilities, ids for pairing with a baseline, and the values of the slice columns.

const SCORE_PREFIX = 'score_';
/**
 * Reads the rows of `table` with the given columns. Throws InputError naming the input, the file and
 * the row when a column is missing, a label or prediction is empty, or a score is not a number.
 */
function readPredictionSet(table, columns) {
    const column = (name, input) => {
        const cells = table.cells.get(name);
        if (cells === undefined) {
            throw new errors/* InputError */.d(`Input '${input}': ${table.path} has no column ${JSON.stringify(name)}; its columns are ${table.columns.join(', ')}.`, { file: table.path, line: 1 });
        }
        return cells;
    };
    const required = (name, input) => {
        const cells = column(name, input);
        return cells.map((cell, i) => {
            if (cell === null) {
                throw new errors/* InputError */.d(`${table.path}:${table.lines[i]}: column ${name} is empty; every row needs a ${input === 'label-column' ? 'label' : 'prediction'}.`, { file: table.path, line: table.lines[i] });
            }
            return cell;
        });
    };
    const labels = required(columns.label, 'label-column');
    const predictions = required(columns.prediction, 'prediction-column');
    const set = { path: table.path, task: columns.task, rowCount: table.rowCount, labels, predictions, scoreColumns: [], slices: new Map(), lines: table.lines };
    if (columns.task === 'regression') {
        set.numericLabels = numbers(table, columns.label, labels);
        set.numericPredictions = numbers(table, columns.prediction, predictions);
    }
    else {
        const scoreColumns = resolveScoreColumns(table, columns.scores);
        set.scoreColumns = scoreColumns;
        if (scoreColumns.length === 1) {
            set.scores = numbers(table, scoreColumns[0], required(scoreColumns[0], 'score-columns'));
        }
        else if (scoreColumns.length > 1) {
            const values = scoreColumns.map((name) => numbers(table, name, required(name, 'score-columns')));
            set.probabilities = Array.from({ length: table.rowCount }, (_, i) => Float64Array.from(values, (v) => v[i]));
            set.probabilityClasses = scoreColumns.map((name) => (name.startsWith(SCORE_PREFIX) ? name.slice(SCORE_PREFIX.length) : name));
        }
    }
    if (columns.id !== undefined) {
        const ids = column(columns.id, 'id-column').map((cell, i) => {
            if (cell === null)
                throw new errors/* InputError */.d(`${table.path}:${table.lines[i]}: column ${columns.id} (the id column) is empty.`, { file: table.path, line: table.lines[i] });
            return cell;
        });
        const seen = new Map();
        ids.forEach((id, i) => {
            const before = seen.get(id);
            if (before !== undefined) {
                throw new errors/* InputError */.d(`${table.path}:${table.lines[i]}: id ${JSON.stringify(id)} occurs twice (also on line ${table.lines[before]}); the id column must identify each row.`, { file: table.path, line: table.lines[i] });
            }
            seen.set(id, i);
        });
        set.ids = ids;
    }
    for (const name of columns.slices ?? [])
        set.slices.set(name, column(name, 'slices').map((cell) => cell ?? ''));
    return set;
}
/** The score columns to use: as listed, `prefix*` expanded in header order, or by default every `score_*` column. */
function resolveScoreColumns(table, given) {
    const patterns = given ?? [`${SCORE_PREFIX}*`];
    const found = [];
    for (const pattern of patterns) {
        if (pattern.endsWith('*')) {
            const prefix = pattern.slice(0, -1);
            const matches = table.columns.filter((name) => name.startsWith(prefix));
            if (matches.length === 0 && given !== undefined) {
                throw new errors/* InputError */.d(`Input 'score-columns': ${pattern} matches no column of ${table.path}; its columns are ${table.columns.join(', ')}.`, { file: table.path, line: 1 });
            }
            for (const name of matches)
                if (!found.includes(name))
                    found.push(name);
        }
        else {
            if (!table.cells.has(pattern)) {
                throw new errors/* InputError */.d(`Input 'score-columns': ${table.path} has no column ${JSON.stringify(pattern)}; its columns are ${table.columns.join(', ')}.`, { file: table.path, line: 1 });
            }
            if (!found.includes(pattern))
                found.push(pattern);
        }
    }
    return found;
}
function numbers(table, name, cells) {
    const values = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
        const text = cells[i].trim();
        const value = text === '' ? NaN : Number(text);
        if (!Number.isFinite(value)) {
            throw new errors/* InputError */.d(`${table.path}:${table.lines[i]}: column ${name} is ${JSON.stringify(cells[i])}, expected a finite number.`, { file: table.path, line: table.lines[i] });
        }
        values[i] = value;
    }
    return values;
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: ./shared/data/csv-scanner.ts
var csv_scanner = __webpack_require__(63916);
// EXTERNAL MODULE: ./shared/data/table-schema/index.ts + 2 modules
var table_schema = __webpack_require__(107);
// EXTERNAL MODULE: ./shared/data/parquet.ts
var parquet = __webpack_require__(66523);
// EXTERNAL MODULE: ./shared/data/sources.ts
var sources = __webpack_require__(21917);
;// CONCATENATED MODULE: ./shared/evaluate/prediction-table.ts
// Reads a predictions file (CSV, TSV, JSON lines, Parquet) into columns of text. Prediction files hold
// one row per evaluated example, small next to training data, so they are read whole.








/** True when `path` names a file this module reads (by extension), false for anything else (e.g. a .json metrics file). */
const isPredictionFile = sources/* isTableFile */.vf;
/**
 * Reads the predictions file `path` (relative to `cwd`). `input` names the action input in messages.
 * Throws InputError when the file is missing, of an unknown format, empty, or malformed.
 */
async function readPredictionTable(path, cwd, input) {
    const { format, gzip } = (0,sources/* formatOf */.be)(path, input);
    const absolute = (0,external_node_path_.resolve)(cwd, path);
    let bytes = await (0,promises_.readFile)(absolute).catch(() => {
        throw new errors/* InputError */.d(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
    });
    if (format === 'parquet')
        return readParquet(absolute, path);
    if (gzip) {
        try {
            bytes = (0,external_node_zlib_.gunzipSync)(bytes);
        }
        catch (error) {
            throw new errors/* InputError */.d(`Input '${input}': ${path} is not valid gzip: ${error.message}`, { file: path });
        }
    }
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
        bytes = bytes.subarray(3);
    if (bytes.toString('utf8').trim() === '')
        throw new errors/* InputError */.d(`Input '${input}': ${path} is empty: expected a header and one row per prediction.`, { file: path, line: 1 });
    return format === 'jsonl' ? readJsonLines(bytes, path) : readDelimited(bytes, path, format === 'tsv' ? 0x09 : 0x2c);
}
function readDelimited(bytes, path, delimiter) {
    const rows = [];
    let unterminatedAt = 0;
    new csv_scanner/* CsvScanner */.BR(delimiter).scan(bytes, 0, bytes.length, true, {
        record(buf, fields, count, line) {
            const cells = [];
            for (let i = 0; i < count; i++)
                cells.push((0,csv_scanner/* fieldText */.gF)(buf, fields, i));
            rows.push({ cells, line });
        },
        unterminatedQuote(line) {
            unterminatedAt = line;
        },
    });
    if (unterminatedAt)
        throw new errors/* InputError */.d(`${path}:${unterminatedAt}: a quoted field starts on this line and is never closed.`, { file: path, line: unterminatedAt });
    const header = rows.shift();
    const columns = header.cells.map((c) => c.trim());
    checkColumns(columns, path);
    const cells = new Map(columns.map((name) => [name, []]));
    const lists = columns.map((name) => cells.get(name));
    const lines = [];
    for (const row of rows) {
        if (row.cells.length !== columns.length) {
            throw new errors/* InputError */.d(`${path}:${row.line}: ${row.cells.length} fields, expected ${columns.length} (${columns.join(', ')}).`, { file: path, line: row.line });
        }
        for (let c = 0; c < columns.length; c++)
            lists[c].push(row.cells[c] === '' ? null : row.cells[c]);
        lines.push(row.line);
    }
    return { path, columns, cells, rowCount: rows.length, lines };
}
function readJsonLines(bytes, path) {
    const records = [];
    const columns = [];
    const seen = new Set();
    bytes
        .toString('utf8')
        .split('\n')
        .forEach((text, i) => {
        if (text.trim() === '')
            return;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch (error) {
            throw new errors/* InputError */.d(`${path}:${i + 1}: not valid JSON: ${error.message}`, { file: path, line: i + 1 });
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            throw new errors/* InputError */.d(`${path}:${i + 1}: expected a JSON object on each line.`, { file: path, line: i + 1 });
        }
        for (const key of Object.keys(value)) {
            if (!seen.has(key)) {
                seen.add(key);
                columns.push(key);
            }
        }
        records.push({ record: value, line: i + 1 });
    });
    return fromRecords(records, columns, path);
}
async function readParquet(absolute, path) {
    try {
        const table = await (0,parquet/* openParquet */.D)(absolute);
        const rows = await table.rows(0, table.rowCount);
        return fromRecords(rows.map((record, i) => ({ record, line: i + 1 })), table.columns, path);
    }
    catch (error) {
        if (error instanceof errors/* InputError */.d)
            throw error;
        throw new errors/* InputError */.d(`${path} is not a readable Parquet file: ${error.message}`, { file: path });
    }
}
function fromRecords(records, columns, path) {
    const cells = new Map(columns.map((name) => [name, []]));
    for (const { record } of records) {
        for (const name of columns)
            cells.get(name).push(cellText(record[name]));
    }
    return { path, columns, cells, rowCount: records.length, lines: records.map((r) => r.line) };
}
function cellText(value) {
    if (value === null || value === undefined)
        return null;
    if (typeof value === 'bigint')
        return value.toString();
    if (value instanceof Date)
        return value.toISOString();
    return (0,table_schema/* jsonValueText */.$y)(value);
}
function checkColumns(columns, path) {
    const seen = new Set();
    columns.forEach((name, i) => {
        if (name === '')
            throw new errors/* InputError */.d(`${path}: column ${i + 1} of the header has no name.`, { file: path, line: 1 });
        if (seen.has(name))
            throw new errors/* InputError */.d(`${path}: the header names column ${JSON.stringify(name)} twice.`, { file: path, line: 1 });
        seen.add(name);
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./shared/github/sticky-comment.ts

/** GitHub refuses issue and pull-request comments longer than this many characters. */
const COMMENT_BODY_LIMIT = 65_536;
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const DEFAULT_HINT = 'the job summary of this run and its artifacts';
/** The hidden first line that identifies the comment of pipeline `key`. Throws InputError for keys that could break the HTML comment. */
function stickyMarker(key) {
    if (!KEY_PATTERN.test(key)) {
        throw new errors/* InputError */.d(`comment key ${JSON.stringify(key)} is not valid: expected letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit`);
    }
    return `<!-- mlops-actions:${key} -->`;
}
/**
 * Returns the comment of pipeline `key` on the pull request, paging through all its comments, or
 * undefined when there is none. Throws what Octokit throws (RequestError).
 */
async function findStickyComment(client, where) {
    const marker = stickyMarker(where.key);
    const pages = client.paginate.iterator(client.rest.issues.listComments, {
        owner: where.owner,
        repo: where.repo,
        issue_number: where.issueNumber,
        per_page: 100,
    });
    for await (const page of pages) {
        const found = page.data.find((comment) => comment.body?.trimStart().startsWith(marker));
        if (found)
            return { id: found.id, body: found.body ?? '' };
    }
    return undefined;
}
/**
 * Returns `text` unchanged when it fits in a comment; otherwise cut at a line boundary, with open
 * code fences and `<details>` closed, and a note saying where the full report is (`hint`).
 */
function fitCommentBody(text, hint = DEFAULT_HINT, limit = COMMENT_BODY_LIMIT) {
    if (text.length <= limit)
        return text;
    const note = `\n\n---\n> [!WARNING]\n> This report was cut at a line boundary to fit GitHub's limit of ${limit.toLocaleString('en-US')} ` +
        `characters per comment (it has ${text.length.toLocaleString('en-US')}). The full report is in ${hint.slice(0, 1000)}.`;
    const closersReserve = 200;
    const budget = limit - note.length - closersReserve;
    let cut = text.lastIndexOf('\n', budget);
    if (cut < budget / 2) {
        cut = budget;
        if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? ''))
            cut--; // never split a surrogate pair
    }
    let kept = text.slice(0, cut);
    const fences = kept.split('\n').filter((line) => /^ {0,3}(```|~~~)/.test(line)).length;
    if (fences % 2 === 1)
        kept += '\n```';
    const openDetails = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
    for (let i = 0; i < Math.min(openDetails, 10); i++)
        kept += '\n</details>';
    return kept + note;
}
/**
 * Creates the pipeline's comment on the pull request, or updates it in place when one with the same
 * marker exists. Returns `forbidden` on 403 (a fork's read-only token), for the caller to warn.
 * Throws ServiceError when the pull request is gone (404) or GitHub keeps failing (5xx after retries).
 */
async function upsertStickyComment(client, request) {
    const { owner, repo, issueNumber } = request;
    if (!Number.isInteger(issueNumber) || issueNumber < 1) {
        throw new errors/* InputError */.d(`pull request number ${JSON.stringify(issueNumber)} is not valid: expected a positive integer`);
    }
    const body = fitCommentBody(`${stickyMarker(request.key)}\n${request.body}`, request.fullReportHint);
    const target = `pull request ${owner}/${repo}#${issueNumber}`;
    let step = `listing the comments of ${target}`;
    try {
        const existing = await findStickyComment(client, { owner, repo, issueNumber, key: request.key });
        if (existing) {
            step = `updating comment ${existing.id} on ${target}`;
            try {
                const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
                return { action: 'updated', url: data.html_url, id: data.id };
            }
            catch (error) {
                if (httpStatus(error) !== 404)
                    throw error;
                // Deleted since we listed it: fall through and post a new one.
            }
        }
        step = `creating a comment on ${target}`;
        const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
        return { action: 'created', url: data.html_url, id: data.id };
    }
    catch (error) {
        const status = httpStatus(error);
        const detail = error instanceof Error ? error.message : String(error);
        if (status === 403) {
            return {
                action: 'forbidden',
                message: `GitHub refused ${step} (403: ${detail}). Pull requests from forks get a read-only token; the report is in the job summary.`,
            };
        }
        if (status === 404) {
            throw new errors/* ServiceError */._('GitHub', `${target} was not found (404) while ${step}: it may have been deleted, or the token cannot see ${owner}/${repo}`, { cause: error });
        }
        if (status !== undefined && status >= 500) {
            throw new errors/* ServiceError */._('GitHub', `${step} failed with ${status} after retries: ${detail}`, { cause: error });
        }
        throw new errors/* ServiceError */._('GitHub', `${step} failed${status ? ` with ${status}` : ''}: ${detail}`, { cause: error });
    }
}
/** The HTTP status of an Octokit RequestError, undefined for network failures and other errors. */
function httpStatus(error) {
    if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number')
        return error.status;
    return undefined;
}

;// CONCATENATED MODULE: ./shared/evaluate/pull-request-comment.ts


const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** The pull request number an event refers to: `pull_request.number`, or an issue comment's issue when it is a pull request. */
function pullRequestNumber(event) {
    const payload = event.payload;
    const number = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
    return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}
function localEvent() {
    const path = process.env.GITHUB_EVENT_PATH;
    if (!path)
        return { name: 'local', payload: {} };
    try {
        return { name: process.env.GITHUB_EVENT_NAME ?? 'local', payload: JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8')) };
    }
    catch {
        return { name: 'local', payload: {} };
    }
}
/**
 * Writes the evaluation to the pull request's sticky comment when `mode` and the event ask for it;
 * returns the comment's URL, or undefined when none was written (the log says why). A 403 (fork
 * pull requests get a read-only token) becomes a warning. Throws ServiceError when GitHub fails
 * otherwise (404, 5xx after retries).
 */
async function writeEvaluationComment(runtime, request) {
    if (request.mode === 'never') {
        runtime.info('Pull-request comment: off (comment: never).');
        return undefined;
    }
    const local = runtime.kind === 'local';
    if (local && request.mode !== 'always') {
        runtime.info('Pull-request comment: skipped, running locally (pass --comment always with GITHUB_TOKEN, GITHUB_REPOSITORY and a pull_request GITHUB_EVENT_PATH to post one).');
        return undefined;
    }
    const event = local ? localEvent() : runtime.event();
    if (request.mode === 'auto' && !PULL_REQUEST_EVENTS.has(event.name)) {
        runtime.info(`Pull-request comment: skipped, the event is ${event.name}, not a pull request (comment: auto).`);
        return undefined;
    }
    const skip = (why) => {
        if (local)
            runtime.info(`Pull-request comment: skipped, ${why}.`);
        else
            runtime.warning(`No pull-request comment written: ${why}. The report is in the job summary.`, { title: 'evaluate: comment' });
        return undefined;
    };
    const number = pullRequestNumber(event);
    if (number === undefined)
        return skip(`the ${event.name} event names no pull request`);
    const [owner, repo, ...rest] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo || rest.length)
        return skip('GITHUB_REPOSITORY (owner/name) is not set');
    const token = request.token ?? (local ? process.env.GITHUB_TOKEN : undefined);
    if (!token)
        return skip(local ? 'GITHUB_TOKEN is not set' : 'the github-token input is empty');
    runtime.mask(token);
    // Loaded only when a comment is written: Octokit is large, and most runs never comment.
    const { createGitHubClient } = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(913), __webpack_require__.e(317)]).then(__webpack_require__.bind(__webpack_require__, 16317));
    const client = createGitHubClient({ token });
    const result = await upsertStickyComment(client, { owner, repo, issueNumber: number, key: request.key, body: request.body, fullReportHint: request.fullReportHint });
    if (result.action === 'forbidden') {
        runtime.warning(result.message, { title: 'evaluate: comment' });
        return undefined;
    }
    runtime.info(`Pull-request comment ${result.action}: ${result.url}`);
    return result.url;
}

;// CONCATENATED MODULE: ./shared/evaluate/evaluate.ts













/** The rules of the `gates` input: inline, or read from the file it names. Throws InputError on a bad rule (rule, column, expected). */
async function readGateRules(gates, cwd) {
    if (gates === undefined || gates.trim() === '')
        return { rules: [] };
    const text = gates.trim();
    if (!text.includes('\n')) {
        const info = await (0,promises_.stat)((0,external_node_path_.resolve)(cwd, text)).catch(() => undefined);
        if (info?.isFile()) {
            const content = await (0,promises_.readFile)((0,external_node_path_.resolve)(cwd, text), 'utf8');
            return { rules: parseGateRules(content, { file: text }), file: text };
        }
    }
    return { rules: parseGateRules(gates) };
}
async function readModel(path, cwd, input, columns) {
    if (isPredictionFile(path))
        return { name: path, set: readPredictionSet(await readPredictionTable(path, cwd, input), columns) };
    if (path.toLowerCase().endsWith('.json'))
        return { name: path, metrics: await readMetricsFile(path, cwd, input) };
    throw new errors/* InputError */.d(`Input '${input}': cannot read ${path}: expected predictions (.csv, .tsv, .jsonl, .ndjson, .parquet) or metrics (.json).`, { file: path });
}
function artifactName(commentId) {
    return commentId === 'evaluate' ? 'evaluate-report' : `evaluate-report-${commentId.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}
/**
 * The evaluate stage: computes the candidate's metrics with bootstrap intervals (paired with the
 * baseline's when both are predictions on the same rows), decides the gates on the intervals, writes
 * the report (file, job summary, artifact, pull-request comment) and returns the verdict.
 */
async function evaluate(inputs, runtime) {
    const cwd = (0,external_node_path_.resolve)(runtime.workspace, inputs['working-directory']);
    if ((inputs.predictions === undefined) === (inputs['metrics-file'] === undefined)) {
        throw new errors/* InputError */.d(inputs.predictions === undefined
            ? "Inputs 'predictions' and 'metrics-file' are both empty: give one, the predictions to evaluate or the metrics already computed."
            : "Inputs 'predictions' and 'metrics-file' are both given: give one of them.");
    }
    const gateInput = await readGateRules(inputs.gates, cwd);
    const columns = {
        task: inputs.task,
        label: inputs['label-column'],
        prediction: inputs['prediction-column'],
        scores: inputs['score-columns']?.length ? inputs['score-columns'] : undefined,
        id: inputs['id-column'],
        slices: inputs.slices,
    };
    if (inputs.predictions === undefined && inputs.slices?.length) {
        throw new errors/* InputError */.d("Input 'slices' needs 'predictions': slices are computed from the rows, which a metrics file does not have.");
    }
    const started = performance.now();
    const candidate = inputs.predictions
        ? { name: inputs.predictions, set: readPredictionSet(await readPredictionTable(inputs.predictions, cwd, 'predictions'), columns) }
        : { name: inputs['metrics-file'], metrics: await readMetricsFile(inputs['metrics-file'], cwd, 'metrics-file') };
    const baseline = inputs.baseline ? await readModel(inputs.baseline, cwd, 'baseline', { ...columns, slices: [] }) : undefined;
    const positiveClass = inputs['positive-class'];
    let groups = [];
    let candidateEvaluation;
    let baselineKind;
    const baselineModels = {};
    if (candidate.set) {
        groups = sliceGroups(candidate.set);
        candidateEvaluation = prepareModelEvaluation(candidate.set, groups, { positiveClass });
    }
    if (baseline?.set) {
        if (candidate.set) {
            const paired = pairBaseline(candidate.set, baseline.set);
            baselineModels.paired = prepareModelEvaluation(paired.baseline, groups, { positiveClass });
            baselineKind = paired.method === 'id' ? 'paired by id' : 'paired by row order';
        }
        else {
            baselineModels.unpaired = prepareModelEvaluation(baseline.set, [], { positiveClass });
            baselineKind = 'unpaired';
        }
    }
    else if (baseline?.metrics) {
        baselineModels.metrics = baseline.metrics;
        baselineKind = 'metrics file';
    }
    const options = { samples: inputs['bootstrap-samples'], confidence: inputs.confidence, seed: inputs.seed };
    const metrics = candidateEvaluation
        ? compareModels(candidateEvaluation, baselineModels, options)
        : {
            candidate: candidate.metrics,
            baseline: baselineModels.unpaired ? compareModels(baselineModels.unpaired, {}, options).candidate : baselineModels.metrics,
        };
    runtime.info(`Evaluated ${candidate.name}${candidate.set ? ` (${candidate.set.rowCount} rows)` : ''}${baseline ? ` against ${baseline.name} (${baselineKind})` : ''}: ` +
        `${Object.keys(metrics.candidate).length} metrics in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
    let gates;
    try {
        gates = evaluateGates(gateInput.rules, { candidate: metrics.candidate, baseline: metrics.baseline, delta: metrics.delta, confidence: inputs.confidence });
    }
    catch (error) {
        if (error instanceof errors/* InputError */.d && gateInput.file)
            throw new errors/* InputError */.d(`${gateInput.file}: ${error.message}`, { ...error.at, file: gateInput.file });
        throw error;
    }
    const failOnInconclusive = inputs['fail-on-inconclusive'];
    const passed = gates.verdict === 'pass' || (gates.verdict === 'inconclusive' && !failOnInconclusive);
    const reportInput = {
        task: inputs.task,
        rowCount: candidate.set?.rowCount,
        candidateName: candidate.name,
        baselineName: baseline?.name,
        baselineKind,
        metrics,
        gates,
        failOnInconclusive,
        passed,
        confidence: inputs.confidence,
        samples: inputs['bootstrap-samples'],
        seed: inputs.seed,
        classes: candidateEvaluation?.classes,
        positiveClass: candidateEvaluation?.positiveClass,
        confusion: candidateEvaluation?.confusion,
        slices: groups.map((g) => ({ column: g.column, value: g.value, rows: g.rows.length })),
    };
    const report = renderEvaluateReport(reportInput);
    const outDir = (0,external_node_path_.join)(runtime.stateDir, 'runs', runtime.runId, 'evaluate');
    const reportPath = (0,external_node_path_.join)(outDir, 'report.md');
    const reportJsonPath = (0,external_node_path_.join)(outDir, 'report.json');
    await (0,local_store/* writeFileAtomic */.Zf)(reportPath, report);
    await (0,local_store/* writeFileAtomic */.Zf)(reportJsonPath, `${JSON.stringify({
        kind: 'mlops-evaluation',
        version: 1,
        task: inputs.task,
        verdict: gates.verdict,
        passed,
        rows: candidate.set?.rowCount ?? null,
        candidate: candidate.name,
        baseline: baseline ? { name: baseline.name, kind: baselineKind } : null,
        confidence: inputs.confidence,
        bootstrapSamples: inputs['bootstrap-samples'],
        seed: inputs.seed,
        classes: candidateEvaluation?.classes ?? null,
        positiveClass: candidateEvaluation?.positiveClass ?? null,
        metrics,
        gates: gates.gates.map((g) => ({ rule: g.rule.text, line: g.rule.line, verdict: g.verdict, explanation: g.explanation })),
        confusion: candidateEvaluation?.confusion ?? null,
        slices: reportInput.slices,
    }, null, 2)}\n`);
    await runtime.summary(report);
    const problems = [];
    const artifact = artifactName(inputs['comment-id']);
    try {
        await runtime.uploadArtifact(artifact, [reportPath, reportJsonPath], outDir);
    }
    catch (error) {
        problems.push(`the report could not be stored as artifact ${artifact}: ${error.message}`);
    }
    let commentUrl;
    try {
        commentUrl = await writeEvaluationComment(runtime, {
            mode: inputs.comment,
            key: inputs['comment-id'],
            token: inputs['github-token'],
            body: report,
            fullReportHint: `the job summary of this run and its artifact \`${artifact}\``,
        });
    }
    catch (error) {
        if (!(error instanceof errors/* ServiceError */._))
            throw error;
        problems.push(`the pull-request comment could not be written: ${error.message}`);
    }
    for (const decision of gates.gates) {
        if (decision.verdict === 'pass')
            continue;
        const at = gateInput.file ? { file: (0,external_node_path_.relative)(runtime.workspace, (0,external_node_path_.resolve)(cwd, gateInput.file)), line: decision.rule.line } : {};
        if (decision.verdict === 'inconclusive' && !failOnInconclusive)
            runtime.warning(decision.explanation, { ...at, title: `evaluate: gate ${decision.rule.text} is inconclusive` });
        else if (gateInput.file)
            runtime.notice(decision.explanation, { ...at, title: `evaluate: gate ${decision.rule.text} ${decision.verdict === 'fail' ? 'failed' : 'is inconclusive'}` });
    }
    let failure;
    if (!passed) {
        const blocking = gates.gates.filter((g) => g.verdict === 'fail' || (failOnInconclusive && g.verdict === 'inconclusive'));
        failure = `evaluate: ${gates.verdict}: ${blocking.map((g) => `${g.rule.text}: ${g.explanation}`).join('; ')}`;
    }
    if (problems.length)
        failure = [failure, `evaluate: ${problems.join('; ')}`].filter(Boolean).join('\n');
    return {
        outputs: {
            passed,
            verdict: gates.verdict,
            metrics: JSON.stringify(metrics.candidate),
            report: reportPath,
            'report-json': reportJsonPath,
            'comment-url': commentUrl ?? '',
        },
        failure,
    };
}


/***/ })

};

//# sourceMappingURL=85.index.js.map