export const id = 249;
export const ids = [249];
export const modules = {

/***/ 94249:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./shared/digest.ts


/** The hex sha256 of a file's bytes, read through one reused buffer (no garbage per block). */
async function sha256OfFile(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const block = Buffer.allocUnsafe(1 << 20);
        for (;;) {
            const { bytesRead } = await handle.read(block, 0, block.length, null);
            if (bytesRead === 0)
                break;
            hash.update(block.subarray(0, bytesRead));
        }
    }
    finally {
        await handle.close();
    }
    return hash.digest('hex');
}

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/data/sketch/drift.ts
var sketch_drift = __webpack_require__(96763);
// EXTERNAL MODULE: ./shared/data/sketch/quantiles.ts + 1 modules
var quantiles = __webpack_require__(69716);
;// CONCATENATED MODULE: ./shared/report/escape.ts
/**
 * Escaping for strings that come from data (labels, column names, file names, messages) before they
 * go into a pull-request comment or job summary. GitHub renders Markdown, raw HTML and @mentions,
 * so a hostile label could otherwise break a table, inject an image or notify strangers.
 */
/** Zero-width joiner: keeps `@name` and `#123` readable while GitHub no longer links or notifies. */
const ZWJ = '\u200D';
/** ASCII punctuation Markdown (GFM, with tables, math and strikethrough) gives a meaning to. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()<>!|~$]/g;
/**
 * Returns `text` safe to put inline in Markdown, table cells included: line breaks become spaces,
 * Markdown punctuation is backslash-escaped (and `://`, `www.`, so no URL is autolinked), `&` becomes
 * `&amp;`, and a zero-width joiner follows every `@` and `#` so mentions and issue references are not
 * created. Renders as the original text.
 */
function escapeMarkdownText(text) {
    return text
        .replace(/\r\n?|\n/g, ' ')
        .replace(/&/g, '&amp;')
        .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
        .replace(/[@#]/g, (char) => char + ZWJ)
        .replace(/:(?=\/\/)/g, '\\:') // no bare-URL autolinks: links in a report come from our code only
        .replace(/\b(www)\./gi, '$1\\.')
        .replace(/^(\s*)([-+=])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}
const HTML_ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '`': '&#96;',
    '*': '&#42;',
    _: '&#95;',
    '[': '&#91;',
    ']': '&#93;',
    '|': '&#124;',
    '\\': '&#92;',
    '~': '&#126;',
    $: '&#36;',
    '\n': '&#10;',
};
/**
 * Returns `text` safe inside HTML elements and attribute values (`<summary>`, `<td>`, `title="…"`):
 * HTML special characters and Markdown punctuation become entities, line breaks become `&#10;` (a
 * blank line would end the HTML block and switch GitHub back to Markdown), `://` and `www.` are
 * broken up so nothing is autolinked, and a zero-width joiner follows every `@` and `#`.
 */
function escapeHtml(text) {
    return text
        .replace(/\r\n?/g, '\n')
        .replace(/[@#]/g, (char) => char + ZWJ) // before the entities, which contain '#'
        .replace(/[&<>"'`*_[\]|\\~$\n]/g, (char) => HTML_ENTITIES[char])
        .replace(/:(?=\/\/)/g, '&#58;') // inline HTML content is still autolinked by GitHub
        .replace(/\b(www)\./gi, '$1&#46;');
}

;// CONCATENATED MODULE: ./shared/report/mermaid.ts
/** Text safe inside a quoted Mermaid string: no quotes, no line breaks, nothing that ends the block. */
function mermaidText(text) {
    return text.replace(/["`\r\n]/g, ' ').replace(/[<>#;]/g, ' ').slice(0, 60).trim() || '-';
}
function number(x) {
    return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '0';
}
/**
 * A Mermaid xychart comparing two series over the same categories: `first` as bars, `second` as a
 * line. GitHub renders it in Markdown, so no image is uploaded anywhere.
 */
function comparisonChart(options) {
    const max = Math.max(1e-9, ...options.first, ...options.second);
    return [
        '```mermaid',
        'xychart-beta',
        `    title "${mermaidText(options.title)}"`,
        `    x-axis [${options.labels.map((l) => `"${mermaidText(l)}"`).join(', ')}]`,
        `    y-axis "${mermaidText(options.yLabel)}" 0 --> ${number(max * 1.1)}`,
        `    bar [${options.first.map(number).join(', ')}]`,
        `    line [${options.second.map(number).join(', ')}]`,
        '```',
        `<sub>${options.legend}</sub>`,
    ].join('\n');
}
/** A Mermaid line chart of one or more series over steps (learning curves). */
function lineChart(options) {
    const all = options.series.flat().filter(Number.isFinite);
    const min = Math.min(...all);
    const max = Math.max(...all);
    return [
        '```mermaid',
        'xychart-beta',
        `    title "${mermaidText(options.title)}"`,
        `    x-axis [${options.steps.map((s) => String(s)).join(', ')}]`,
        `    y-axis "${mermaidText(options.yLabel)}" ${number(min)} --> ${number(max === min ? max + 1 : max)}`,
        ...options.series.map((s) => `    line [${s.map(number).join(', ')}]`),
        '```',
    ].join('\n');
}

;// CONCATENATED MODULE: ./shared/report/validate-data-report.ts




function formatValue(column, value) {
    if (value === null || value === undefined || Number.isNaN(value))
        return '–';
    if (column.kind === 'temporal' && column.type !== 'time') {
        const iso = new Date(value).toISOString();
        return column.type === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
    }
    if (Number.isInteger(value))
        return String(value);
    return Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3 ? value.toPrecision(4) : String(Number(value.toPrecision(5)));
}
function percent(part, whole) {
    return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(part === 0 ? 0 : 1)} %`;
}
function driftCell(drift) {
    if (!drift)
        return '–';
    if (drift.score === null)
        return 'insufficient data';
    const name = drift.statistic === 'psi' ? 'PSI' : 'JS';
    const ks = drift.ks === null ? '' : `, KS ${drift.ks.toFixed(3)}`;
    return `${drift.status === 'drift' ? '**drift**' : 'stable'}: ${name} ${drift.score.toFixed(3)} (threshold ${drift.threshold}${ks})`;
}
/** The chart of the most drifted column: reference share of rows as bars, current as a line. */
function driftChart(reference, current, drift) {
    let labels;
    let before;
    let after;
    if (current.kind === 'categorical') {
        const top = (reference.sketches.top?.entries ?? []).slice(0, 12).map(([value]) => value);
        const share = (c, v) => {
            const entry = c.sketches.top?.entries.find(([value]) => value === v);
            return c.count === 0 ? 0 : (100 * (entry?.[1] ?? 0)) / c.count;
        };
        labels = top;
        before = top.map((v) => share(reference, v));
        after = top.map((v) => share(current, v));
    }
    else {
        const edges = reference.histogram?.edges ?? [];
        const ref = quantiles/* QuantileSketch */.w.fromJSON(reference.sketches.quantiles);
        const cur = quantiles/* QuantileSketch */.w.fromJSON(current.sketches.quantiles);
        labels = edges.slice(0, -1).map((e) => formatValue(current, e));
        before = (0,sketch_drift/* histogram */.JW)(ref, edges).map((c) => (100 * c) / Math.max(1, ref.count));
        after = (0,sketch_drift/* histogram */.JW)(cur, edges).map((c) => (100 * c) / Math.max(1, cur.count));
    }
    return comparisonChart({
        title: `${current.name}: reference vs current`,
        labels,
        first: before,
        second: after,
        yLabel: '% of rows',
        legend: `Bars: reference; line: current data. ${drift.statistic === 'psi' ? 'PSI' : 'Jensen–Shannon distance'} ${drift.score?.toFixed(3)}.`,
    });
}
/** The Markdown report (and job summary) of validate-data: verdict first, then the details. */
function renderValidateDataReport(input) {
    const { profile, drift } = input;
    const drifted = (drift ?? []).filter((d) => d.status === 'drift');
    const lines = [];
    const verdict = input.valid ? (drifted.length ? '⚠️ valid, with drift' : '✅ valid') : `❌ ${input.violationCount} violation${input.violationCount === 1 ? '' : 's'}`;
    lines.push(`## validate-data: ${verdict}`, '');
    const files = profile.sources.length;
    lines.push(`**${profile.rows.toLocaleString('en-US')} rows** in ${files} file${files === 1 ? '' : 's'} · ${input.violationCount} violation${input.violationCount === 1 ? '' : 's'} · fingerprint \`${profile.fingerprint.slice(0, 19)}…\``);
    if (drift) {
        const insufficient = drift.filter((d) => d.status === 'insufficient data').length;
        lines.push('', `Drift against ${escapeMarkdownText(input.referenceName ?? 'the reference')}: ${drifted.length ? `**${drifted.map((d) => escapeMarkdownText(d.column)).join(', ')}** drifted` : 'no column drifted'}${insufficient ? ` (${insufficient} column${insufficient === 1 ? '' : 's'} with too few rows to judge)` : ''}.`);
    }
    if (input.violations.length) {
        const shown = input.violations.length < input.violationCount ? ` (first ${input.violations.length} of ${input.violationCount})` : '';
        lines.push('', `### Violations${shown}`, '', '| file | line | column | value | rule | problem |', '|---|---:|---|---|---|---|');
        for (const v of input.violations) {
            lines.push(`| ${escapeMarkdownText(v.file)} | ${v.line ?? ''} | ${escapeMarkdownText(v.column ?? '')} | ${v.value === undefined ? '' : `\`${escapeMarkdownText(v.value).replace(/`/g, "'")}\``} | ${v.rule} | ${escapeMarkdownText(v.message)} |`);
        }
    }
    const byColumn = new Map((drift ?? []).map((d) => [d.column, d]));
    lines.push('', '### Columns', '', '| column | type | nulls | min / median / max | distinct | drift |', '|---|---|---:|---|---:|---|');
    for (const c of profile.columns) {
        const total = c.count + c.nulls + c.typeErrors;
        const spread = c.kind === 'categorical' ? (c.top.length ? `top: ${c.top.slice(0, 3).map((t) => `${escapeMarkdownText(t.value)} (${t.count})`).join(', ')}` : '–') : `${formatValue(c, c.min)} / ${formatValue(c, c.quantiles?.p50)} / ${formatValue(c, c.max)}`;
        const typeErrors = c.typeErrors ? ` (${c.typeErrors} not ${c.type})` : '';
        lines.push(`| ${escapeMarkdownText(c.name)} | ${c.type}${typeErrors} | ${c.nulls} (${percent(c.nulls, total)}) | ${spread} | ${c.distinct} | ${driftCell(byColumn.get(c.name))} |`);
    }
    const judged = (drift ?? []).filter((d) => d.score !== null);
    if (input.reference && judged.length) {
        const worst = judged.reduce((a, b) => (b.score / b.threshold > a.score / a.threshold ? b : a));
        const ref = input.reference.columns.find((c) => c.name === worst.column);
        const cur = profile.columns.find((c) => c.name === worst.column);
        lines.push('', `### Most drifted column: ${escapeMarkdownText(worst.column)}`, '', driftChart(ref, cur, worst));
    }
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./shared/runtime/local-store.ts



/** Writes a file atomically: a temp file beside it, then a rename, so readers never see half a file. */
async function local_store_writeFileAtomic(path, data) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
    const temp = `${path}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    try {
        await (0,promises_.writeFile)(temp, data);
        await (0,promises_.rename)(temp, path);
    }
    catch (error) {
        await (0,promises_.rm)(temp, { force: true });
        throw error;
    }
}
/** A file-system name for a cache key or artifact name (keys may hold any character). */
function safeName(name) {
    const readable = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    return `${readable}-${(0,external_node_crypto_.createHash)('sha256').update(name).digest('hex').slice(0, 12)}`;
}
/** Copies `paths` (relative to `root`) into a new folder at `target`, atomically (temp folder + rename). */
async function copyIntoFolder(paths, root, target) {
    const temp = `${target}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    await (0,promises_.mkdir)(temp, { recursive: true });
    try {
        for (const path of paths) {
            const absolute = (0,external_node_path_.resolve)(root, path);
            const inside = (0,external_node_path_.relative)(root, absolute);
            if (inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside))
                throw new Error(`${path} is outside ${root}`);
            await (0,promises_.cp)(absolute, (0,external_node_path_.join)(temp, inside), { recursive: true, preserveTimestamps: true });
        }
        await (0,promises_.rm)(target, { recursive: true, force: true });
        await (0,promises_.rename)(temp, target);
    }
    catch (error) {
        await (0,promises_.rm)(temp, { recursive: true, force: true });
        throw error;
    }
}
/** The local cache under `.mlops/cache`: one folder per key, holding the paths relative to the workspace. */
class local_store_LocalCache {
    cacheDir;
    workspace;
    constructor(cacheDir, workspace) {
        this.cacheDir = cacheDir;
        this.workspace = workspace;
    }
    /** Restores the entry for `key`, else the newest entry whose key starts with one of `restoreKeys`. */
    async restore(paths, key, restoreKeys = []) {
        const found = (await this.exists(key)) ? key : await this.newestWithPrefix(restoreKeys);
        if (found === undefined)
            return undefined;
        const folder = (0,external_node_path_.join)(this.cacheDir, safeName(found), 'files');
        for (const path of paths) {
            const inside = (0,external_node_path_.relative)(this.workspace, (0,external_node_path_.resolve)(this.workspace, path));
            const source = (0,external_node_path_.join)(folder, inside);
            if (!(await (0,promises_.stat)(source).catch(() => undefined)))
                continue;
            const target = (0,external_node_path_.join)(this.workspace, inside);
            await (0,promises_.rm)(target, { recursive: true, force: true });
            await (0,promises_.cp)(source, target, { recursive: true, preserveTimestamps: true });
        }
        return found;
    }
    async save(paths, key) {
        const entry = (0,external_node_path_.join)(this.cacheDir, safeName(key));
        await (0,promises_.mkdir)(this.cacheDir, { recursive: true });
        const staging = `${entry}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
        await copyIntoFolder(paths, this.workspace, (0,external_node_path_.join)(staging, 'files'));
        await (0,promises_.writeFile)((0,external_node_path_.join)(staging, 'key'), key);
        await (0,promises_.rm)(entry, { recursive: true, force: true });
        await (0,promises_.rename)(staging, entry);
    }
    async exists(key) {
        return (await (0,promises_.stat)((0,external_node_path_.join)(this.cacheDir, safeName(key), 'key')).catch(() => undefined)) !== undefined;
    }
    async newestWithPrefix(prefixes) {
        if (prefixes.length === 0)
            return undefined;
        const names = await (0,promises_.readdir)(this.cacheDir).catch(() => []);
        let best;
        for (const name of names) {
            const keyFile = (0,external_node_path_.join)(this.cacheDir, name, 'key');
            const info = await (0,promises_.stat)(keyFile).catch(() => undefined);
            if (!info)
                continue;
            const value = await (0,promises_.readFile)(keyFile, 'utf8');
            if (prefixes.some((p) => value.startsWith(p)) && (!best || info.mtimeMs > best.time)) {
                best = { key: value, time: info.mtimeMs };
            }
        }
        return best?.key;
    }
}
/** The local artifact store under `.mlops/artifacts/<name>`. */
async function local_store_storeLocalArtifact(artifactsDir, name, files, rootDir) {
    const target = (0,external_node_path_.join)(artifactsDir, name);
    await copyIntoFolder(files.map((f) => (0,external_node_path_.relative)(rootDir, (0,external_node_path_.resolve)(rootDir, f))), rootDir, target);
    return target;
}

;// CONCATENATED MODULE: ./shared/data/drift.ts



/** Below this many values on either side, a drift score says more about noise than about the data. */
const MIN_ROWS_FOR_DRIFT = 100;
function categoryCounts(column) {
    const counts = new Map();
    let listed = 0;
    for (const [value, count] of column.sketches.top?.entries ?? []) {
        counts.set(`v:${value}`, count);
        listed += count;
    }
    // Values that fell out of the top list still carry weight: one bucket for them all.
    if (column.count > listed)
        counts.set('other', column.count - listed);
    return counts;
}
/**
 * Checks that `current` describes the same table as `reference`; throws InputError listing the
 * missing, extra and retyped columns.
 */
function checkSameColumns(reference, current, referenceName) {
    const ref = new Map(reference.columns.map((c) => [c.name, c]));
    const cur = new Map(current.columns.map((c) => [c.name, c]));
    const missing = [...ref.keys()].filter((n) => !cur.has(n));
    const extra = [...cur.keys()].filter((n) => !ref.has(n));
    const retyped = [...cur.values()].filter((c) => ref.has(c.name) && ref.get(c.name).kind !== c.kind).map((c) => `${c.name} (${ref.get(c.name).type} → ${c.type})`);
    if (missing.length + extra.length + retyped.length === 0)
        return;
    const parts = [
        missing.length ? `missing from the data: ${missing.join(', ')}` : '',
        extra.length ? `not in the reference: ${extra.join(', ')}` : '',
        retyped.length ? `of another type: ${retyped.join(', ')}` : '',
    ].filter(Boolean);
    throw new errors/* InputError */.d(`The reference profile ${referenceName} does not match the data's columns: ${parts.join('; ')}.`, { file: referenceName });
}
/** Drift of every column of `current` against `reference`, with per-column threshold overrides. */
function measureDrift(reference, current, thresholds, overrides = {}) {
    const ref = new Map(reference.columns.map((c) => [c.name, c]));
    return current.columns.map((column) => {
        const before = ref.get(column.name);
        const numeric = column.kind !== 'categorical';
        const statistic = numeric ? 'psi' : 'js';
        const threshold = overrides[column.name] ?? (numeric ? thresholds.psi : thresholds.js);
        if (before.count < MIN_ROWS_FOR_DRIFT || column.count < MIN_ROWS_FOR_DRIFT) {
            return { column: column.name, statistic, score: null, ks: null, threshold, status: 'insufficient data' };
        }
        let score;
        let ks = null;
        if (numeric) {
            const a = quantiles/* QuantileSketch */.w.fromJSON(before.sketches.quantiles);
            const b = quantiles/* QuantileSketch */.w.fromJSON(column.sketches.quantiles);
            score = (0,sketch_drift/* populationStabilityIndex */.V5)(a, b);
            ks = (0,sketch_drift/* kolmogorovSmirnov */.gJ)(a, b);
        }
        else {
            score = (0,sketch_drift/* jensenShannonDistance */.M$)(categoryCounts(before), categoryCounts(column));
        }
        return { column: column.name, statistic, score, ks, threshold, status: score > threshold ? 'drift' : 'stable' };
    });
}

// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(42463);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./shared/data/expectations.ts





const range = {
    type: 'object',
    properties: { min: { type: 'number' }, max: { type: 'number' } },
    additionalProperties: false,
    minProperties: 1,
};
/** The JSON Schema of an expectations file (also shipped for editors). */
const expectationsJsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'mlops validate-data expectations',
    type: 'object',
    properties: {
        rows: range,
        columns: {
            type: 'object',
            additionalProperties: {
                type: 'object',
                properties: {
                    'max-null-fraction': { type: 'number', minimum: 0, maximum: 1 },
                    mean: range,
                    quantiles: { type: 'object', propertyNames: { enum: ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] }, additionalProperties: range },
                    distinct: range,
                    'drift-threshold': { type: 'number', exclusiveMinimum: 0 },
                },
                additionalProperties: false,
            },
        },
    },
    additionalProperties: false,
};
const validate = new ajv.Ajv({ allErrors: false, strict: false }).compile(expectationsJsonSchema);
/**
 * Reads expectations from a YAML file, or inline YAML when no such file exists. Throws InputError
 * naming the file and the JSON pointer of a bad rule.
 */
async function loadExpectations(value, cwd) {
    const path = (0,external_node_path_.resolve)(cwd, value);
    const isFile = !value.includes('\n') && (await (0,promises_.stat)(path).catch(() => undefined))?.isFile();
    const file = isFile ? value : "input 'expectations'";
    const text = isFile ? await (0,promises_.readFile)(path, 'utf8') : value;
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        throw new errors/* InputError */.d(`${file} is not valid YAML: ${e.message.split('\n')[0]}`, { file: isFile ? value : undefined, line: e.linePos?.[0]?.line });
    }
    const data = doc.toJS();
    if (!isFile && (typeof data !== 'object' || data === null)) {
        throw new errors/* InputError */.d(`Input 'expectations': ${value} is neither a file (looked in ${cwd}) nor inline YAML rules.`);
    }
    // A rule's line is the line of its key (`mean:`), not of its value, which may start lines later.
    const lineOf = (pointer) => {
        const parent = pointer.length === 0 ? doc.contents : doc.getIn(pointer.slice(0, -1), true);
        const key = (0,dist/* isMap */.jh)(parent) ? parent.items.find((pair) => (0,dist/* isScalar */.jn)(pair.key) && String(pair.key.value) === pointer.at(-1))?.key : undefined;
        const node = (key ?? doc.getIn(pointer, true));
        return node?.range ? lines.linePos(node.range[0]).line : undefined;
    };
    if (!validate(data)) {
        const error = validate.errors[0];
        const pointer = error.instancePath || '/';
        const params = error.params;
        const detail = params.additionalProperty ? `unknown key "${String(params.additionalProperty)}"` : error.message;
        const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
        if (params.additionalProperty)
            parts.push(String(params.additionalProperty));
        throw new errors/* InputError */.d(`${file}: ${pointer}: ${detail} (see the expectations format in the README).`, { file: isFile ? value : undefined, line: lineOf(parts) });
    }
    return { ...data, file, lineOf };
}
function outside(value, r) {
    if (!r)
        return false;
    if (value === null || Number.isNaN(value))
        return true;
    return (r.min !== undefined && value < r.min) || (r.max !== undefined && value > r.max);
}
function bounds(r) {
    if (r.min !== undefined && r.max !== undefined)
        return `between ${r.min} and ${r.max}`;
    return r.min !== undefined ? `>= ${r.min}` : `<= ${r.max}`;
}
/** Checks a profile against expectations; each broken rule becomes a violation pointing at the rule. */
function checkExpectations(expectations, profile, log) {
    const file = expectations.file;
    const at = (pointer) => expectations.lineOf(pointer);
    if (outside(profile.rows, expectations.rows)) {
        log.add(file, at(['rows']), 'expectation', () => `row count ${profile.rows} is not ${bounds(expectations.rows)}`);
    }
    for (const [name, rules] of Object.entries(expectations.columns ?? {})) {
        const column = profile.columns.find((c) => c.name === name);
        if (!column) {
            log.add(file, at(['columns', name]), 'expectation', () => `column ${name} is not in the data (columns: ${profile.columns.map((c) => c.name).join(', ')})`, name);
            continue;
        }
        const total = column.count + column.nulls + column.typeErrors;
        const nullFraction = total === 0 ? 0 : column.nulls / total;
        if (rules['max-null-fraction'] !== undefined && nullFraction > rules['max-null-fraction']) {
            log.add(file, at(['columns', name, 'max-null-fraction']), 'expectation', () => `column ${name}: null fraction ${nullFraction.toFixed(4)} is above ${rules['max-null-fraction']}`, name);
        }
        if (rules.mean && outside(column.mean, rules.mean)) {
            log.add(file, at(['columns', name, 'mean']), 'expectation', () => `column ${name}: mean ${column.mean ?? 'n/a'} is not ${bounds(rules.mean)}`, name);
        }
        for (const [q, r] of Object.entries(rules.quantiles ?? {})) {
            const value = column.quantiles?.[q] ?? null;
            if (outside(value, r))
                log.add(file, at(['columns', name, 'quantiles', q]), 'expectation', () => `column ${name}: ${q} ${value ?? 'n/a'} is not ${bounds(r)}`, name);
        }
        if (rules.distinct && outside(column.distinct, rules.distinct)) {
            log.add(file, at(['columns', name, 'distinct']), 'expectation', () => `column ${name}: about ${column.distinct} distinct values, expected ${bounds(rules.distinct)}`, name);
        }
    }
}

// EXTERNAL MODULE: ./shared/data/parallel-profile.ts + 3 modules
var parallel_profile = __webpack_require__(90843);
// EXTERNAL MODULE: ./shared/data/profile.ts + 2 modules
var data_profile = __webpack_require__(11922);
// EXTERNAL MODULE: ./shared/data/read-table.ts + 1 modules
var read_table = __webpack_require__(79854);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./shared/data/sources.ts




const FORMATS = {
    '.csv': 'csv',
    '.tsv': 'tsv',
    '.tab': 'tsv',
    '.jsonl': 'jsonl',
    '.ndjson': 'jsonl',
    '.parquet': 'parquet',
};
function formatByName(path) {
    const gzip = path.toLowerCase().endsWith('.gz');
    const format = FORMATS[(0,external_node_path_.extname)(gzip ? path.slice(0, -3) : path).toLowerCase()];
    return { format: gzip && format === 'parquet' ? undefined : format, gzip };
}
/** True when `path` names a table file by its extension (e.g. false for a .json metrics file). */
function isTableFile(path) {
    return formatByName(path).format !== undefined;
}
/** The format of a file from its name; throws InputError naming `input` for names it cannot read. */
function formatOf(path, input = 'data') {
    const { format, gzip } = formatByName(path);
    if (!format) {
        throw new errors/* InputError */.d(`Input '${input}': cannot read ${path}: expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (csv, tsv and jsonl may be gzip-compressed, .gz).`, { file: path });
    }
    return { format, gzip };
}
const GLOB_CHARS = /[*?[\]{}]/;
/**
 * Resolves the `data` input (paths or globs, relative to `cwd`) to files, sorted by path within each
 * pattern so the fingerprint does not depend on directory order. Throws InputError for a missing file
 * or a pattern that matches nothing.
 */
async function resolveDataSources(patterns, cwd) {
    const found = [];
    const seen = new Set();
    for (const pattern of patterns) {
        let paths;
        if (GLOB_CHARS.test(pattern)) {
            paths = [];
            for await (const match of (0,promises_.glob)(pattern, { cwd }))
                paths.push(match);
            paths.sort();
            if (paths.length === 0)
                throw new errors/* InputError */.d(`Input 'data': the pattern ${pattern} matches no file in ${cwd}.`);
        }
        else {
            paths = [pattern];
        }
        for (const path of paths) {
            const absolute = (0,external_node_path_.resolve)(cwd, path);
            if (seen.has(absolute))
                continue;
            const info = await (0,promises_.stat)(absolute).catch(() => undefined);
            if (!info)
                throw new errors/* InputError */.d(`Input 'data': ${path} does not exist (looked in ${cwd}).`, { file: path });
            if (info.isDirectory())
                continue;
            await (0,promises_.access)(absolute, external_node_fs_.constants.R_OK).catch((error) => {
                throw new errors/* InputError */.d(`Input 'data': ${path} cannot be read (${error.code ?? error.message}).`, { file: path });
            });
            seen.add(absolute);
            const shown = (0,external_node_path_.relative)(cwd, absolute);
            found.push({ path: shown.startsWith('..') ? absolute : shown, absolute, ...formatOf(path), size: info.size });
        }
    }
    if (found.length === 0)
        throw new errors/* InputError */.d(`Input 'data': ${patterns.join(', ')} names no file.`);
    return found;
}

// EXTERNAL MODULE: ./shared/data/table-schema/field.ts
var table_schema_field = __webpack_require__(47592);
;// CONCATENATED MODULE: ./shared/data/table-schema/descriptor.ts





/** The field types of Frictionless Table Schema v1. */
const FIELD_TYPES = [
    'string',
    'number',
    'integer',
    'boolean',
    'date',
    'datetime',
    'time',
    'year',
    'yearmonth',
    'duration',
    'object',
    'array',
    'geopoint',
    'geojson',
    'any',
];
const CONSTRAINT_NAMES = ['required', 'unique', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'enum'];
/** JSON Schema (draft-07) of a Table Schema descriptor, written from the Frictionless v1 specification. */
const tableSchemaJsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/mlops-actions/schemas/table-schema.json',
    title: 'Frictionless Table Schema (v1)',
    type: 'object',
    required: ['fields'],
    properties: {
        fields: { type: 'array', items: { $ref: '#/definitions/field' } },
        missingValues: { type: 'array', items: { type: 'string' } },
        primaryKey: { type: ['string', 'array'], items: { type: 'string' }, minItems: 1 },
        foreignKeys: {
            type: 'array',
            items: {
                type: 'object',
                required: ['fields', 'reference'],
                properties: {
                    fields: { type: ['string', 'array'], items: { type: 'string' } },
                    reference: { type: 'object' },
                },
            },
        },
    },
    definitions: {
        field: {
            type: 'object',
            required: ['name'],
            properties: {
                name: { type: 'string', minLength: 1 },
                type: { enum: [...FIELD_TYPES] },
                format: { type: 'string' },
                title: { type: 'string' },
                description: { type: 'string' },
                rdfType: { type: 'string' },
                constraints: { $ref: '#/definitions/constraints' },
                trueValues: { type: 'array', items: { type: 'string' } },
                falseValues: { type: 'array', items: { type: 'string' } },
                decimalChar: { type: 'string', minLength: 1 },
                groupChar: { type: 'string', minLength: 1 },
                bareNumber: { type: 'boolean' },
            },
        },
        constraints: {
            type: 'object',
            // The spec does not forbid other keys, but a misspelt constraint silently checks nothing.
            additionalProperties: false,
            properties: {
                required: { type: 'boolean' },
                unique: { type: 'boolean' },
                minimum: { type: ['number', 'string'] },
                maximum: { type: ['number', 'string'] },
                minLength: { type: 'integer', minimum: 0 },
                maxLength: { type: 'integer', minimum: 0 },
                pattern: { type: 'string' },
                enum: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
            },
        },
    },
};
let validateDescriptor;
function descriptorValidator() {
    validateDescriptor ??= new ajv.Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(tableSchemaJsonSchema);
    return validateDescriptor;
}
/**
 * Reads a Table Schema from a JSON or YAML file and checks it.
 * Returns the descriptor as written (defaults are applied by `compileField`).
 * Throws InputError naming the file, the JSON pointer, the bad value and what was expected,
 * with the line set for an annotation, when the file is missing, does not parse or is not a valid schema.
 */
async function loadTableSchema(path) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
        throw new errors/* InputError */.d(`${path}: cannot read the Table Schema: ${why}`, { file: path });
    }
    return parseTableSchema(text, path);
}
/**
 * Parses and checks a Table Schema held in `text` (JSON or YAML); `file` names it in messages.
 * Throws InputError as `loadTableSchema` does.
 */
function parseTableSchema(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    let data;
    if (/\.json$/i.test(file)) {
        try {
            data = JSON.parse(text);
        }
        catch (error) {
            const message = error.message;
            const position = /at position (\d+)/.exec(message);
            const at = position ? lineAndColumn(text, Number(position[1])) : {};
            const reason = message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '');
            throw new errors/* InputError */.d(`${file}: not valid JSON${at.line ? ` at line ${at.line}` : ''}: ${reason}`, { file, ...at });
        }
    }
    // YAML 1.2 reads JSON too, so one parser gives source positions for both.
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false });
    if (data === undefined) {
        const yamlError = doc.errors[0];
        if (yamlError) {
            const pos = lineCounter.linePos(yamlError.pos[0]);
            const reason = yamlError.message.split('\n')[0];
            throw new errors/* InputError */.d(`${file}: not valid YAML at line ${pos.line}: ${reason}`, {
                file,
                line: pos.line,
                column: pos.col,
            });
        }
        data = doc.toJS({ maxAliasCount: 100 });
    }
    const issue = findDescriptorIssue(data);
    if (issue) {
        const line = doc.errors.length === 0 ? lineOfPointer(doc, lineCounter, issue.pointer) : undefined;
        throw new errors/* InputError */.d(`${file}: ${issue.message}`, line ? { file, line } : { file });
    }
    return data;
}
function findDescriptorIssue(data) {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        return { pointer: '', message: `the document is ${describeValue(data)}; expected an object with a "fields" array` };
    }
    const validate = descriptorValidator();
    if (!validate(data))
        return issueFromAjv(validate.errors[0], data);
    const schema = data;
    const seen = new Map();
    for (const [index, field] of schema.fields.entries()) {
        const first = seen.get(field.name);
        if (first !== undefined) {
            return {
                pointer: `/fields/${index}/name`,
                message: `/fields/${index}/name is ${JSON.stringify(field.name)}, the same as /fields/${first}/name; expected unique field names`,
            };
        }
        seen.set(field.name, index);
    }
    const keys = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
    for (const [index, key] of keys.entries()) {
        if (!seen.has(key)) {
            const pointer = typeof schema.primaryKey === 'string' ? '/primaryKey' : `/primaryKey/${index}`;
            return {
                pointer,
                message: `${pointer} is ${JSON.stringify(key)}; expected the name of a field (${schema.fields.map((f) => f.name).join(', ')})`,
            };
        }
    }
    const missingValues = schema.missingValues ?? table_schema_field/* DEFAULT_MISSING_VALUES */.ER;
    for (const [index, field] of schema.fields.entries()) {
        try {
            (0,table_schema_field/* compileField */.gC)(field, missingValues);
        }
        catch (error) {
            if (!(error instanceof table_schema_field/* FieldDefinitionError */.w1))
                throw error;
            const pointer = `/fields/${index}${error.path}`;
            return { pointer, message: `${pointer} is ${describeValue(error.value)}; expected ${error.expected}` };
        }
    }
    return undefined;
}
function issueFromAjv(error, data) {
    const pointer = error.instancePath;
    const where = pointer === '' ? 'the document' : pointer;
    const value = valueAtPointer(data, pointer);
    const params = error.params;
    switch (error.keyword) {
        case 'enum':
            return {
                pointer,
                message: `${where} is ${describeValue(value)}; expected one of ${params.allowedValues.join(', ')}`,
            };
        case 'type': {
            const types = String(params.type).split(',');
            return { pointer, message: `${where} is ${describeValue(value)}; expected ${types.map(withArticle).join(' or ')}` };
        }
        case 'required':
            return {
                pointer,
                message: `${where} has no "${String(params.missingProperty)}"; expected ${pointer === '' ? 'a "fields" array' : `a "${String(params.missingProperty)}" property`}`,
            };
        case 'additionalProperties': {
            const key = String(params.additionalProperty);
            return {
                pointer: `${pointer}/${escapePointer(key)}`,
                message: `${where} has "${key}"; expected only the constraints ${CONSTRAINT_NAMES.join(', ')}`,
            };
        }
        case 'minimum':
            return { pointer, message: `${where} is ${describeValue(value)}; expected a number >= ${String(params.limit)}` };
        case 'minLength':
            return { pointer, message: `${where} is ${describeValue(value)}; expected a non-empty string` };
        case 'minItems':
            return { pointer, message: `${where} is ${describeValue(value)}; expected at least ${String(params.limit)} item(s)` };
        default:
            return { pointer, message: `${where} is ${describeValue(value)}; expected it to ${error.message ?? 'be valid'}` };
    }
}
function withArticle(type) {
    if (type === 'null')
        return 'null';
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
function describeValue(value) {
    if (value === undefined)
        return 'absent';
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
function escapePointer(segment) {
    return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
function pointerSegments(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function valueAtPointer(data, pointer) {
    let node = data;
    for (const segment of pointerSegments(pointer)) {
        if (typeof node !== 'object' || node === null)
            return undefined;
        node = node[segment];
    }
    return node;
}
/** The 1-based line of the node at `pointer`, or of its nearest ancestor present in the source. */
function lineOfPointer(doc, lineCounter, pointer) {
    const path = pointerSegments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let length = path.length; length >= 0; length--) {
        const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
        const range = node?.range;
        if (range)
            return lineCounter.linePos(range[0]).line;
    }
    return undefined;
}
function lineAndColumn(text, offset) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}

;// CONCATENATED MODULE: ./shared/data/table-schema/infer.ts


/** Candidate types, most specific first: the first that reads every value wins. */
const CANDIDATES = ['integer', 'number', 'boolean', 'date', 'datetime'];
const candidateCodecs = CANDIDATES.map((type) => (0,table_schema_field/* compileField */.gC)({ name: type, type }, []));
/**
 * Infers a Table Schema from a sample of string cells: each column's type (integer, number, boolean,
 * date, datetime, else string; `any` when every cell is missing), `required` when no cell is missing,
 * and an `enum` for string columns with few distinct values. Short rows count as missing cells.
 */
function inferTableSchema(headers, rows, options = {}) {
    const missingValues = options.missingValues ?? [...table_schema_field/* DEFAULT_MISSING_VALUES */.ER];
    const missing = new Set(missingValues);
    const enumMaxDistinct = options.enumMaxDistinct ?? 10;
    const enumMinRows = options.enumMinRows ?? 50;
    const fields = headers.map((header, column) => {
        let possible = (1 << CANDIDATES.length) - 1;
        let present = 0;
        let sawMissing = false;
        const distinct = new Set();
        for (const row of rows) {
            const raw = row[column];
            if (raw === undefined || missing.has(raw)) {
                sawMissing = true;
                continue;
            }
            present++;
            if (distinct.size <= enumMaxDistinct)
                distinct.add(raw);
            for (let k = 0; k < CANDIDATES.length; k++) {
                if (possible & (1 << k) && (0,table_schema_field/* isViolation */.U3)(candidateCodecs[k].castAndCheck(raw)))
                    possible &= ~(1 << k);
            }
        }
        const name = header === '' ? `field${column + 1}` : header;
        if (present === 0)
            return { name, type: 'any' };
        const index = CANDIDATES.findIndex((_, k) => possible & (1 << k));
        const type = index >= 0 ? CANDIDATES[index] : 'string';
        const field = { name, type };
        const constraints = {};
        if (!sawMissing)
            constraints.required = true;
        if (type === 'string' && distinct.size <= enumMaxDistinct && present >= enumMinRows) {
            constraints.enum = [...distinct].sort();
        }
        if (Object.keys(constraints).length > 0)
            field.constraints = constraints;
        return field;
    });
    const schema = { fields };
    if (options.missingValues !== undefined)
        schema.missingValues = missingValues;
    return schema;
}
/**
 * Infers a Table Schema from parsed JSON records (JSON lines). Columns are the keys in order of first
 * appearance; JSON numbers and booleans read as integer, number or boolean, null as missing, and a column
 * of only objects or only arrays as `object` or `array`.
 */
function inferTableSchemaFromRecords(records, options = {}) {
    const headers = [];
    const seen = new Set();
    for (const record of records) {
        for (const key of Object.keys(record)) {
            if (!seen.has(key)) {
                seen.add(key);
                headers.push(key);
            }
        }
    }
    const rows = records.map((record) => headers.map((header) => (0,table_schema_field/* jsonValueText */.$y)(record[header])));
    const schema = inferTableSchema(headers, rows, options);
    for (const [column, header] of headers.entries()) {
        const values = records.map((record) => record[header]).filter((value) => value !== null && value !== undefined);
        if (values.length === 0)
            continue;
        const field = schema.fields[column];
        if (values.every((value) => Array.isArray(value)))
            field.type = 'array';
        else if (values.every((value) => typeof value === 'object' && !Array.isArray(value)))
            field.type = 'object';
        else
            continue;
        if (field.constraints?.enum)
            delete field.constraints.enum;
    }
    return schema;
}
/** The schema as YAML for a file a person reviews: a comment header, one field per block, flow-style lists. */
function formatTableSchemaYaml(schema) {
    const doc = new dist/* Document */.yo(schema);
    doc.commentBefore = [
        ' Frictionless Table Schema (v1), inferred by mlops from a sample of the data.',
        ' Review it before relying on it: check each type, then add constraints',
        ' (minimum, maximum, pattern, enum, unique) and a primaryKey where they hold.',
        ' Spec: https://specs.frictionlessdata.io/table-schema/',
    ].join('\n');
    (0,dist/* visit */.YR)(doc, {
        Seq(_key, node, path) {
            const parent = path[path.length - 1];
            if ((0,dist/* isPair */.tO)(parent) && (0,dist/* isScalar */.jn)(parent.key) && parent.key.value === 'fields')
                return;
            node.flow = true;
        },
    });
    return doc.toString({ lineWidth: 0 });
}

;// CONCATENATED MODULE: ./shared/data/table-schema/index.ts




// EXTERNAL MODULE: ./shared/data/violations.ts
var violations = __webpack_require__(56471);
;// CONCATENATED MODULE: ./shared/data/validate-data.ts














function inferFrom(head) {
    return head.records ? inferTableSchemaFromRecords(head.records) : inferTableSchema(head.columns, head.sample);
}
/** The reading plan of a file: the user's fields where the schema has them, inferred types elsewhere. */
function planFor(source, head, schema, log) {
    let inferred;
    const inferredField = (name) => {
        inferred ??= inferFrom(head);
        const field = inferred.fields.find((f) => f.name === name) ?? { name, type: 'string' };
        // Only the type: an inferred constraint is a guess, not a rule.
        return { name, type: field.type, format: field.format };
    };
    if (!schema) {
        return { columns: head.columns.map((name) => ({ field: inferredField(name), enforce: false })), missingValues: [''], compositeKey: [] };
    }
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    const tabular = source.format === 'csv' || source.format === 'tsv';
    const names = tabular ? head.columns : [...schema.fields.map((f) => f.name), ...head.columns.filter((c) => !byName.has(c))];
    const columns = names.map((name) => {
        const field = byName.get(name);
        if (!field) {
            log.add(source.path, 1, 'header', () => `column ${name} is not in the schema`, name);
            return { field: inferredField(name), enforce: false };
        }
        return { field, enforce: true };
    });
    for (const field of schema.fields) {
        if (tabular && !head.columns.includes(field.name)) {
            log.add(source.path, 1, 'header', () => `the schema's field ${field.name} is missing from the header`, field.name);
        }
    }
    const key = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
    return { columns, missingValues: schema.missingValues ?? [''], compositeKey: key.length > 1 ? key : [] };
}
async function readTableSchema(path, cwd) {
    const schema = await loadTableSchema((0,external_node_path_.resolve)(cwd, path)).catch((error) => {
        if (error instanceof errors/* InputError */.d)
            throw new errors/* InputError */.d(error.message.replace((0,external_node_path_.resolve)(cwd, path), path), { ...error.at, file: path });
        throw error;
    });
    try {
        (0,table_schema_field/* compileTableSchema */.x)(schema);
    }
    catch (error) {
        if (error instanceof errors/* InputError */.d)
            throw new errors/* InputError */.d(`${path}: ${error.message}`, { file: path });
        throw error;
    }
    return schema;
}
/**
 * The validate-data stage: reads every file once (threads for large ones), checks the schema and
 * expectations, writes the profile and report, and measures drift against a reference profile.
 */
async function validateData(inputs, runtime) {
    const cwd = (0,external_node_path_.resolve)(runtime.workspace, inputs['working-directory']);
    const sources = await resolveDataSources(inputs.data, cwd);
    const schema = inputs.schema ? await readTableSchema(inputs.schema, cwd) : undefined;
    const expectations = inputs.expectations ? await loadExpectations(inputs.expectations, cwd) : undefined;
    let reference = null;
    if (inputs.reference) {
        const text = await (0,promises_.readFile)((0,external_node_path_.resolve)(cwd, inputs.reference), 'utf8').catch(() => {
            throw new errors/* InputError */.d(`Input 'reference': ${inputs.reference} does not exist (looked in ${cwd}).`, { file: inputs.reference });
        });
        reference = (0,data_profile/* parseProfile */.jZ)(text, inputs.reference);
    }
    const log = new violations/* ViolationLog */.m(inputs['max-reported-errors']);
    const started = performance.now();
    let columns;
    let accumulators;
    let firstHead;
    const sourceRecords = [];
    let rows = 0;
    for (const source of sources) {
        const hashing = sha256OfFile(source.absolute).then((hex) => `sha256:${hex}`);
        // Awaited below; marked handled now so a failure while reading the head is the one reported.
        hashing.catch(() => undefined);
        const head = source.format === 'parquet' ? await (0,read_table/* readParquetHead */.RC)(source) : await (0,read_table/* readHead */.zy)(source);
        const plan = planFor(source, head, schema, log);
        const names = plan.columns.map((c) => c.field.name);
        if (columns && names.join('\u0000') !== columns.join('\u0000')) {
            throw new errors/* InputError */.d(`${source.path} has columns (${names.join(', ')}) but ${sources[0].path} has (${columns.join(', ')}): every file of one data set must have the same columns.`, { file: source.path, line: 1 });
        }
        columns ??= names;
        firstHead ??= head;
        const fileStarted = performance.now();
        const result = await (0,parallel_profile/* profileFile */.aC)(source, plan, head, inputs['max-reported-errors']);
        log.absorb(result.violations.count, result.violations.reported);
        if (result.rows === 0)
            log.add(source.path, head.firstDataLine, 'rows', () => 'the file has a header but no data rows');
        if (accumulators)
            accumulators.forEach((a, i) => a.merge(result.accumulators[i]));
        else
            accumulators = result.accumulators;
        rows += result.rows;
        sourceRecords.push({ path: source.path, format: source.format + (source.gzip ? '+gzip' : ''), rows: result.rows, sha256: await hashing });
        const seconds = (performance.now() - fileStarted) / 1000;
        runtime.info(`${source.path}: ${result.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s on ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${result.violations.count} violation${result.violations.count === 1 ? '' : 's'}.`);
    }
    const profile = {
        kind: 'mlops-data-profile',
        version: 1,
        rows,
        fingerprint: (0,data_profile/* dataFingerprint */.ng)(sourceRecords),
        sources: sourceRecords,
        columns: accumulators.map((a) => a.toJSON()),
    };
    if (expectations)
        checkExpectations(expectations, profile, log);
    let drift = null;
    if (reference) {
        checkSameColumns(reference, profile, inputs.reference);
        const overrides = Object.fromEntries(Object.entries(expectations?.columns ?? {})
            .filter(([, rules]) => rules['drift-threshold'] !== undefined)
            .map(([name, rules]) => [name, rules['drift-threshold']]));
        drift = measureDrift(reference, profile, inputs['drift-threshold'], overrides);
    }
    const driftedColumns = (drift ?? []).filter((d) => d.status === 'drift').map((d) => d.column);
    const valid = log.count === 0;
    const outDir = (0,external_node_path_.join)(runtime.stateDir, 'runs', runtime.runId, 'validate-data');
    const profilePath = (0,external_node_path_.join)(outDir, 'profile.json');
    const reportPath = (0,external_node_path_.join)(outDir, 'report.md');
    await local_store_writeFileAtomic(profilePath, `${JSON.stringify(profile)}\n`);
    const report = renderValidateDataReport({ profile, violationCount: log.count, violations: log.reported, drift, reference, referenceName: inputs.reference, valid });
    await local_store_writeFileAtomic(reportPath, report);
    if (inputs['infer-schema']) {
        const target = (0,external_node_path_.resolve)(cwd, inputs['infer-schema']);
        await local_store_writeFileAtomic(target, formatTableSchemaYaml(inferFrom(firstHead)));
        runtime.info(`Inferred Table Schema written to ${inputs['infer-schema']}: review it, then pass it as the schema input.`);
    }
    for (const v of log.reported) {
        const file = v.file.startsWith('input ') ? undefined : (0,external_node_path_.relative)(runtime.workspace, (0,external_node_path_.resolve)(cwd, v.file));
        runtime.error(v.message, { file, line: v.line, title: `validate-data: ${v.rule}` });
    }
    for (const column of driftedColumns) {
        const d = drift.find((x) => x.column === column);
        runtime.warning(`column ${column} drifted: ${d.statistic === 'psi' ? 'PSI' : 'Jensen-Shannon distance'} ${d.score.toFixed(3)} > ${d.threshold}`, { title: 'validate-data: drift' });
    }
    await runtime.summary(report);
    const memory = process.memoryUsage();
    runtime.debug(`memory: rss ${(memory.rss / 1048576).toFixed(0)} MB, heap ${(memory.heapUsed / 1048576).toFixed(0)}/${(memory.heapTotal / 1048576).toFixed(0)} MB, external ${(memory.external / 1048576).toFixed(0)} MB, array buffers ${(memory.arrayBuffers / 1048576).toFixed(0)} MB`);
    runtime.info(`Profiled ${rows.toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(2)} s; profile: ${profilePath}`);
    const failOn = inputs['fail-on'];
    let failure;
    if (failOn !== 'never' && !valid)
        failure = `validate-data: ${log.count} violation${log.count === 1 ? '' : 's'} (see the annotations and the job summary).`;
    else if (failOn === 'drift' && driftedColumns.length)
        failure = `validate-data: drift in ${driftedColumns.join(', ')}.`;
    return {
        outputs: {
            valid,
            rows,
            'error-count': log.count,
            fingerprint: profile.fingerprint,
            profile: profilePath,
            report: reportPath,
            'drifted-columns': JSON.stringify(driftedColumns),
        },
        failure,
    };
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
;// CONCATENATED MODULE: ./shared/runtime/local.ts




/** `file:line:column: message`, without repeating a file name the message already starts with. */
function located(message, at) {
    if (!at?.file)
        return message;
    const place = `${at.file}${at.line ? `:${at.line}` : ''}${at.column ? `:${at.column}` : ''}`;
    return message.startsWith(`${at.file}: `) ? `${place}: ${message.slice(at.file.length + 2)}` : `${place}: ${message}`;
}
/** A generated run id that sorts by time: 20261126T203000Z-1a2b3c. */
function newRunId() {
    return `${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
}
/** The runtime of the `mlops` CLI: inputs from the command line, everything else under `.mlops/`. */
class LocalRuntime {
    options;
    kind = 'local';
    workspace;
    stateDir;
    runId = newRunId();
    outputs = {};
    failed;
    secrets = [];
    log;
    constructor(options) {
        this.options = options;
        this.workspace = resolve(options.workspace ?? process.cwd());
        this.stateDir = resolve(this.workspace, options.stateDir ?? '.mlops');
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    }
    get runDir() {
        return join(this.stateDir, 'runs', this.runId);
    }
    input(name) {
        const value = this.options.inputs[name];
        return value === undefined || value === '' ? undefined : value;
    }
    setOutput(name, value) {
        this.outputs[name] = value;
    }
    async summary(markdown) {
        await mkdir(this.runDir, { recursive: true });
        await appendFile(join(this.runDir, 'summary.md'), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
    }
    write(line) {
        let text = line;
        for (const secret of this.secrets)
            text = text.split(secret).join('***');
        this.log(text);
    }
    info(message) {
        this.write(message);
    }
    debug(message) {
        if (process.env.MLOPS_DEBUG)
            this.write(`debug: ${message}`);
    }
    warning(message, at) {
        this.write(`warning: ${located(message, at)}`);
    }
    error(message, at) {
        this.write(`error: ${located(message, at)}`);
    }
    notice(message, at) {
        this.write(`notice: ${located(message, at)}`);
    }
    mask(secret) {
        if (secret)
            this.secrets.push(secret);
    }
    fail(message, at) {
        this.failed = message;
        this.error(message, at);
        process.exitCode = 1;
    }
    event() {
        return { name: 'local', payload: {} };
    }
    async uploadArtifact(name, files, rootDir) {
        const location = await storeLocalArtifact(join(this.stateDir, 'artifacts'), name, files, rootDir);
        this.info(`Artifact ${name} stored in ${location} (no Actions artifact service here).`);
        return { name, location };
    }
    async restoreCache(paths, key, restoreKeys) {
        try {
            return await new LocalCache(join(this.stateDir, 'cache'), this.workspace).restore(paths, key, restoreKeys);
        }
        catch (error) {
            this.warning(`Cache restore failed, continuing without it: ${error.message}`);
            return undefined;
        }
    }
    async saveCache(paths, key) {
        try {
            await new LocalCache(join(this.stateDir, 'cache'), this.workspace).save(paths, key);
            return true;
        }
        catch (error) {
            this.warning(`Cache save failed, continuing: ${error.message}`);
            return false;
        }
    }
    /** Records the run's inputs and outputs under `.mlops/runs/<run-id>/`. */
    async recordRun(stage) {
        await writeFileAtomic(join(this.runDir, 'run.json'), `${JSON.stringify({ stage, runId: this.runId, inputs: this.options.inputs, outputs: this.outputs, failed: this.failed ?? null }, null, 2)}\n`);
    }
}

;// CONCATENATED MODULE: ./shared/runtime/github.ts





function properties(at) {
    return { file: at?.file, startLine: at?.line, startColumn: at?.column, title: at?.title };
}
/** The runtime inside a GitHub Actions job: @actions/core, @actions/artifact, @actions/cache. */
class GitHubRuntime {
    kind = 'github';
    workspace = (0,external_node_path_.resolve)(process.env.GITHUB_WORKSPACE ?? process.cwd());
    stateDir = (0,external_node_path_.resolve)(this.workspace, process.env.MLOPS_STATE_DIR ?? '.mlops');
    runId = process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${newRunId()}` : newRunId();
    input(name) {
        const value = core/* getInput */.V4(name);
        return value === '' ? undefined : value;
    }
    setOutput(name, value) {
        core/* setOutput */.uH(name, value);
    }
    async summary(markdown) {
        if (!process.env.GITHUB_STEP_SUMMARY) {
            core/* info */.pq('GITHUB_STEP_SUMMARY is not set: the job summary goes to the log instead.');
            core/* info */.pq(markdown);
            return;
        }
        await core/* summary */.z.addRaw(markdown, true).write();
    }
    info(message) {
        core/* info */.pq(message);
    }
    debug(message) {
        core/* debug */.Yz(message);
    }
    warning(message, at) {
        core/* warning */.$e(message, properties(at));
    }
    error(message, at) {
        core/* error */.z3(message, properties(at));
    }
    notice(message, at) {
        core/* notice */.lm(message, properties(at));
    }
    mask(secret) {
        core/* setSecret */.Pq(secret);
    }
    fail(message, at) {
        core/* error */.z3(message, properties(at));
        process.exitCode = core/* ExitCode */.yU.Failure;
    }
    event() {
        const path = process.env.GITHUB_EVENT_PATH;
        let payload = {};
        if (path) {
            try {
                payload = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
            }
            catch (error) {
                core/* warning */.$e(`Could not read the event payload ${path}: ${error.message}`);
            }
        }
        return { name: process.env.GITHUB_EVENT_NAME ?? 'unknown', payload };
    }
    async uploadArtifact(name, files, rootDir) {
        if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
            const location = await local_store_storeLocalArtifact((0,external_node_path_.join)(this.stateDir, 'artifacts'), name, files, rootDir);
            core/* info */.pq(`ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset: artifact ${name} stored in ${location} instead.`);
            return { name, location };
        }
        // Loaded lazily: the artifact client is large and most runs never upload.
        const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(110), __webpack_require__.e(458)]).then(__webpack_require__.bind(__webpack_require__, 67458));
        const result = await new DefaultArtifactClient().uploadArtifact(name, files.map((f) => (0,external_node_path_.resolve)(rootDir, f)), rootDir);
        return { name, id: result.id, location: `artifact ${name} (id ${result.id ?? 'unknown'})` };
    }
    localCache() {
        return new local_store_LocalCache((0,external_node_path_.join)(this.stateDir, 'cache'), this.workspace);
    }
    async restoreCache(paths, key, restoreKeys) {
        try {
            const cache = await Promise.all(/* import() */[__webpack_require__.e(110), __webpack_require__.e(91)]).then(__webpack_require__.bind(__webpack_require__, 18091));
            if (!cache.isFeatureAvailable()) {
                core/* info */.pq('The Actions cache service is not available here: using .mlops/cache instead.');
                return await this.localCache().restore(paths, key, restoreKeys);
            }
            return await cache.restoreCache(paths, key, restoreKeys);
        }
        catch (error) {
            core/* warning */.$e(`Cache restore failed, continuing without it: ${error.message}`);
            return undefined;
        }
    }
    async saveCache(paths, key) {
        try {
            const cache = await Promise.all(/* import() */[__webpack_require__.e(110), __webpack_require__.e(91)]).then(__webpack_require__.bind(__webpack_require__, 18091));
            if (!cache.isFeatureAvailable()) {
                core/* info */.pq('The Actions cache service is not available here: using .mlops/cache instead.');
                await this.localCache().save(paths, key);
                return true;
            }
            await cache.saveCache(paths, key);
            return true;
        }
        catch (error) {
            core/* warning */.$e(`Cache save failed, continuing: ${error.message}`);
            return false;
        }
    }
}

;// CONCATENATED MODULE: ./shared/schemas/action-spec.ts
/** The `working-directory` input every stage has. */
function workingDirectoryInput(description = 'The directory that relative paths are resolved against.') {
    return { description, default: '.', schema: { type: 'string', minLength: 1 } };
}
/** The JSON Schema of an action's parsed inputs (shipped for editors, used by ajv). */
function inputsJsonSchema(spec) {
    const properties = {};
    for (const [name, input] of Object.entries(spec.inputs)) {
        properties[name] = { description: input.description, ...input.schema };
    }
    return {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `https://github.com/mlops-actions/mlops-actions/schemas/${spec.name}.inputs.json`,
        title: `${spec.title} inputs`,
        type: 'object',
        properties,
        required: Object.entries(spec.inputs)
            .filter(([, input]) => input.required)
            .map(([name]) => name),
        additionalProperties: false,
    };
}

;// CONCATENATED MODULE: ./shared/schemas/validate-data.ts

const validateDataSpec = {
    name: 'validate-data',
    title: 'mlops validate-data',
    description: 'Validate data files against a Frictionless Table Schema and dataset expectations, profile them in one streaming pass, and measure drift against a reference profile.',
    inputs: {
        data: {
            description: 'Data files or globs, one per line: .csv, .tsv, .jsonl/.ndjson, .parquet, .csv.gz, .jsonl.gz. Paths are relative to working-directory.',
            required: true,
            format: 'lines',
            schema: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        },
        schema: {
            description: 'A Frictionless Table Schema (JSON or YAML) the data must satisfy. Without it, types are inferred and only parse errors count.',
            schema: { type: 'string' },
        },
        expectations: {
            description: 'Dataset-level checks in YAML (a file path or inline): row-count bounds; per column max null fraction, mean and quantile ranges, distinct-count range, drift threshold overrides.',
            schema: { type: 'string' },
        },
        reference: {
            description: 'A profile JSON written by an earlier run (its `profile` output) to measure drift against.',
            schema: { type: 'string' },
        },
        'drift-threshold': {
            description: 'Drift thresholds: PSI for numeric columns and Jensen-Shannon distance for categorical ones.',
            default: '{psi: 0.2, js: 0.1}',
            format: 'yaml',
            schema: {
                type: 'object',
                properties: { psi: { type: 'number', exclusiveMinimum: 0, default: 0.2 }, js: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.1 } },
                additionalProperties: false,
            },
        },
        'fail-on': {
            description: 'What fails the step: `errors` (schema or expectation violations), `drift` (violations or drift), or `never`.',
            default: 'errors',
            schema: { type: 'string', enum: ['errors', 'drift', 'never'] },
        },
        'max-reported-errors': {
            description: 'How many violations are reported individually (all are counted).',
            default: '50',
            schema: { type: 'integer', minimum: 0 },
        },
        'infer-schema': {
            description: 'Write a Table Schema inferred from the data to this path (YAML), for you to review and edit.',
            schema: { type: 'string' },
        },
        'working-directory': workingDirectoryInput(),
    },
    outputs: {
        valid: { description: "'true' when no schema or expectation rule was broken." },
        rows: { description: 'Number of data rows read (header lines excluded).' },
        'error-count': { description: 'Number of violations found (all of them, not only the reported ones).' },
        fingerprint: { description: 'sha256:<hex> of the data content; the same content always gives the same fingerprint.' },
        profile: { description: 'Path to the profile JSON (use it as a later run\'s `reference`, or merge shards with `mlops profile merge`).' },
        report: { description: 'Path to the Markdown report.' },
        'drifted-columns': { description: 'JSON array of the names of the columns that drifted from the reference.' },
    },
};

;// CONCATENATED MODULE: ./shared/schemas/inputs.ts




const inputs_ajv = new ajv.Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false });
const compiled = new WeakMap();
function describeExpected(error) {
    const p = error.params;
    switch (error.keyword) {
        case 'type':
            return `${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}`;
        case 'enum':
            return `one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum':
            return `a number ${String(p.comparison)} ${String(p.limit)}`;
        case 'minItems':
            return `at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`;
        case 'minLength':
            return `at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'}`;
        case 'pattern':
            return `text matching ${String(p.pattern)}`;
        case 'additionalProperties':
            return `no key "${String(p.additionalProperty)}"`;
        case 'required':
            return `a key "${String(p.missingProperty)}"`;
        default:
            return error.message ?? error.keyword;
    }
}
function readRaw(name, raw, format) {
    if (format === 'lines') {
        return raw
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== '' && !line.startsWith('#'));
    }
    if (format === 'yaml') {
        try {
            return (0,dist/* parse */.qg)(raw);
        }
        catch (error) {
            throw new errors/* InputError */.d(`Input '${name}' is not valid YAML: ${error.message.split('\n')[0]}`);
        }
    }
    return raw.trim();
}
/**
 * Reads and validates an action's inputs with its schema. `get` returns the raw string of an input
 * or undefined when it was not given. Throws InputError naming the input, its value and what was expected.
 */
function readInputs(spec, get) {
    let validate = compiled.get(spec);
    if (!validate) {
        validate = inputs_ajv.compile(inputsJsonSchema(spec));
        compiled.set(spec, validate);
    }
    const values = {};
    const raws = {};
    for (const [name, input] of Object.entries(spec.inputs)) {
        const raw = get(name) ?? input.default;
        if (raw === undefined || raw === '') {
            if (input.required)
                throw new errors/* InputError */.d(`Input '${name}' is required: ${input.description}`);
            continue;
        }
        raws[name] = raw;
        values[name] = readRaw(name, raw, input.format);
    }
    if (!validate(values)) {
        const error = validate.errors[0];
        const [, name, ...rest] = error.instancePath.split('/');
        const inputName = name ?? String(error.params.missingProperty ?? '');
        const where = rest.length ? ` (at ${rest.join('.')})` : '';
        throw new errors/* InputError */.d(`Input '${inputName}' is ${JSON.stringify(raws[inputName] ?? '')}${where}: expected ${describeExpected(error)}.`);
    }
    return values;
}

;// CONCATENATED MODULE: ./shared/stage.ts


/**
 * Runs one stage: validates inputs with the action's schema, calls the stage, writes outputs.
 * User mistakes and service failures end the step with one error annotation and no stack trace;
 * anything else is a bug and keeps its stack. Returns true when the step succeeded.
 */
async function runStage(spec, stage, runtime) {
    try {
        const inputs = readInputs(spec, (name) => runtime.input(name));
        const result = await stage(inputs, runtime);
        for (const [name, value] of Object.entries(result.outputs)) {
            if (!(name in spec.outputs))
                throw new Error(`stage ${spec.name} set undeclared output '${name}'`);
            runtime.setOutput(name, String(value));
        }
        if (result.failure) {
            runtime.fail(result.failure);
            return false;
        }
        return true;
    }
    catch (error) {
        if (error instanceof errors/* InputError */.d) {
            runtime.fail(error.message, { ...error.at, title: `${spec.name}: invalid input` });
        }
        else if (error instanceof errors/* ServiceError */._) {
            runtime.fail(error.message);
        }
        else {
            const bug = error instanceof Error ? error : new Error(String(error));
            runtime.info(bug.stack ?? bug.message);
            runtime.fail(`${spec.name} hit an unexpected error (a bug in mlops-actions; please report it): ${bug.message}`);
        }
        return false;
    }
}

;// CONCATENATED MODULE: ./actions/validate-data/src/main.ts




/** The validate-data action: inputs from the runner, the work in shared/data, outputs back. */
async function run() {
    await runStage(validateDataSpec, validateData, new GitHubRuntime());
}


/***/ })

};
