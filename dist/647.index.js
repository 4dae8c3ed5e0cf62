export const id = 647;
export const ids = [647];
export const modules = {

/***/ 73647:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  validateData: () => (/* binding */ validateData)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/digest.ts
var digest = __webpack_require__(35568);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/data/sketch/drift.ts
var sketch_drift = __webpack_require__(96763);
// EXTERNAL MODULE: ./shared/data/sketch/quantiles.ts + 1 modules
var quantiles = __webpack_require__(69716);
// EXTERNAL MODULE: ./shared/report/escape.ts
var report_escape = __webpack_require__(46682);
// EXTERNAL MODULE: ./shared/report/mermaid.ts
var mermaid = __webpack_require__(16530);
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
    return (0,mermaid/* comparisonChart */.e4)({
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
        lines.push('', `Drift against ${(0,report_escape/* escapeMarkdownText */.m)(input.referenceName ?? 'the reference')}: ${drifted.length ? `**${drifted.map((d) => (0,report_escape/* escapeMarkdownText */.m)(d.column)).join(', ')}** drifted` : 'no column drifted'}${insufficient ? ` (${insufficient} column${insufficient === 1 ? '' : 's'} with too few rows to judge)` : ''}.`);
    }
    if (input.violations.length) {
        const shown = input.violations.length < input.violationCount ? ` (first ${input.violations.length} of ${input.violationCount})` : '';
        lines.push('', `### Violations${shown}`, '', '| file | line | column | value | rule | problem |', '|---|---:|---|---|---|---|');
        for (const v of input.violations) {
            lines.push(`| ${(0,report_escape/* escapeMarkdownText */.m)(v.file)} | ${v.line ?? ''} | ${(0,report_escape/* escapeMarkdownText */.m)(v.column ?? '')} | ${v.value === undefined ? '' : `\`${(0,report_escape/* escapeMarkdownText */.m)(v.value).replace(/`/g, "'")}\``} | ${v.rule} | ${(0,report_escape/* escapeMarkdownText */.m)(v.message)} |`);
        }
    }
    const byColumn = new Map((drift ?? []).map((d) => [d.column, d]));
    lines.push('', '### Columns', '', '| column | type | nulls | min / median / max | distinct | drift |', '|---|---|---:|---|---:|---|');
    for (const c of profile.columns) {
        const total = c.count + c.nulls + c.typeErrors;
        const spread = c.kind === 'categorical' ? (c.top.length ? `top: ${c.top.slice(0, 3).map((t) => `${(0,report_escape/* escapeMarkdownText */.m)(t.value)} (${t.count})`).join(', ')}` : '–') : `${formatValue(c, c.min)} / ${formatValue(c, c.quantiles?.p50)} / ${formatValue(c, c.max)}`;
        const typeErrors = c.typeErrors ? ` (${c.typeErrors} not ${c.type})` : '';
        lines.push(`| ${(0,report_escape/* escapeMarkdownText */.m)(c.name)} | ${c.type}${typeErrors} | ${c.nulls} (${percent(c.nulls, total)}) | ${spread} | ${c.distinct} | ${driftCell(byColumn.get(c.name))} |`);
    }
    const judged = (drift ?? []).filter((d) => d.score !== null);
    if (input.reference && judged.length) {
        const worst = judged.reduce((a, b) => (b.score / b.threshold > a.score / a.threshold ? b : a));
        const ref = input.reference.columns.find((c) => c.name === worst.column);
        const cur = profile.columns.find((c) => c.name === worst.column);
        lines.push('', `### Most drifted column: ${(0,report_escape/* escapeMarkdownText */.m)(worst.column)}`, '', driftChart(ref, cur, worst));
    }
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./shared/runtime/local-store.ts
var local_store = __webpack_require__(34626);
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
// EXTERNAL MODULE: ./shared/schemas/ajv-options.ts
var ajv_options = __webpack_require__(75597);
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
// Compiled on first use: most runs give no expectations.
let validateExpectations;
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
    const validate = (validateExpectations ??= new ajv.Ajv({ allErrors: false, strict: false, ...ajv_options/* runTimeAjvOptions */.O }).compile(expectationsJsonSchema));
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
// EXTERNAL MODULE: ./shared/data/read-table.ts
var read_table = __webpack_require__(48670);
// EXTERNAL MODULE: ./shared/data/sources.ts
var data_sources = __webpack_require__(21917);
// EXTERNAL MODULE: ./shared/data/table-schema/index.ts + 2 modules
var table_schema = __webpack_require__(107);
// EXTERNAL MODULE: ./shared/data/violations.ts
var violations = __webpack_require__(56471);
;// CONCATENATED MODULE: ./shared/data/validate-data.ts














function inferFrom(head) {
    return head.records ? (0,table_schema/* inferTableSchemaFromRecords */.u6)(head.records) : (0,table_schema/* inferTableSchema */.UK)(head.columns, head.sample);
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
    const schema = await (0,table_schema/* loadTableSchema */.yE)((0,external_node_path_.resolve)(cwd, path)).catch((error) => {
        if (error instanceof errors/* InputError */.d)
            throw new errors/* InputError */.d(error.message.replace((0,external_node_path_.resolve)(cwd, path), path), { ...error.at, file: path });
        throw error;
    });
    try {
        (0,table_schema/* compileTableSchema */.x)(schema);
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
    const sources = await (0,data_sources/* resolveDataSources */.ZZ)(inputs.data, cwd);
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
        const hashing = (0,digest/* sha256OfFile */.V)(source.absolute).then((hex) => `sha256:${hex}`);
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
    await (0,local_store/* writeFileAtomic */.Zf)(profilePath, `${JSON.stringify(profile)}\n`);
    const report = renderValidateDataReport({ profile, violationCount: log.count, violations: log.reported, drift, reference, referenceName: inputs.reference, valid });
    await (0,local_store/* writeFileAtomic */.Zf)(reportPath, report);
    if (inputs['infer-schema']) {
        const target = (0,external_node_path_.resolve)(cwd, inputs['infer-schema']);
        await (0,local_store/* writeFileAtomic */.Zf)(target, (0,table_schema/* formatTableSchemaYaml */.qf)(inferFrom(firstHead)));
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


/***/ }),

/***/ 35568:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ sha256OfFile)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);


/** The hex sha256 of a file's bytes, read through one reused buffer (no garbage per block). */
async function sha256OfFile(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'r');
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


/***/ })

};

//# sourceMappingURL=647.index.js.map