export const id = 96;
export const ids = [96];
export const modules = {

/***/ 21917:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZZ: () => (/* binding */ resolveDataSources),
/* harmony export */   be: () => (/* binding */ formatOf),
/* harmony export */   vf: () => (/* binding */ isTableFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);




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
    const format = FORMATS[(0,node_path__WEBPACK_IMPORTED_MODULE_2__.extname)(gzip ? path.slice(0, -3) : path).toLowerCase()];
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`Input '${input}': cannot read ${path}: expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (csv, tsv and jsonl may be gzip-compressed, .gz).`, { file: path });
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
            for await (const match of (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.glob)(pattern, { cwd }))
                paths.push(match);
            paths.sort();
            if (paths.length === 0)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`Input 'data': the pattern ${pattern} matches no file in ${cwd}.`);
        }
        else {
            paths = [pattern];
        }
        for (const path of paths) {
            const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(cwd, path);
            if (seen.has(absolute))
                continue;
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(absolute).catch(() => undefined);
            if (!info)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`Input 'data': ${path} does not exist (looked in ${cwd}).`, { file: path });
            if (info.isDirectory())
                continue;
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(absolute, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.R_OK).catch((error) => {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`Input 'data': ${path} cannot be read (${error.code ?? error.message}).`, { file: path });
            });
            seen.add(absolute);
            const shown = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(cwd, absolute);
            found.push({ path: shown.startsWith('..') ? absolute : shown, absolute, ...formatOf(path), size: info.size });
        }
    }
    if (found.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`Input 'data': ${patterns.join(', ')} names no file.`);
    return found;
}


/***/ }),

/***/ 107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  x: () => (/* reexport */ table_schema_field/* compileTableSchema */.x),
  qf: () => (/* reexport */ formatTableSchemaYaml),
  UK: () => (/* reexport */ inferTableSchema),
  u6: () => (/* reexport */ inferTableSchemaFromRecords),
  $y: () => (/* reexport */ table_schema_field/* jsonValueText */.$y),
  yE: () => (/* reexport */ loadTableSchema)
});

// UNUSED EXPORTS: DEFAULT_MISSING_VALUES, FIELD_TYPES, FieldDefinitionError, compileField, isViolation, parseTableSchema, tableSchemaJsonSchema

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(42463);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/schemas/ajv-options.ts
var ajv_options = __webpack_require__(75597);
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
    validateDescriptor ??= new ajv.Ajv({ allErrors: false, strict: true, allowUnionTypes: true, ...ajv_options/* runTimeAjvOptions */.O }).compile(tableSchemaJsonSchema);
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





/***/ }),

/***/ 46682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ escapeHtml),
/* harmony export */   m: () => (/* binding */ escapeMarkdownText)
/* harmony export */ });
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


/***/ }),

/***/ 16530:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tz: () => (/* binding */ lineChart),
/* harmony export */   e4: () => (/* binding */ comparisonChart)
/* harmony export */ });
/* unused harmony export mermaidText */
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


/***/ }),

/***/ 34626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Um: () => (/* binding */ LocalCache),
/* harmony export */   V$: () => (/* binding */ storeLocalArtifact),
/* harmony export */   Zf: () => (/* binding */ writeFileAtomic)
/* harmony export */ });
/* unused harmony exports safeName, copyIntoFolder */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



/** Writes a file atomically: a temp file beside it, then a rename, so readers never see half a file. */
async function writeFileAtomic(path, data) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
    const temp = `${path}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`;
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(temp, data);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temp, path);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { force: true });
        throw error;
    }
}
/** A file-system name for a cache key or artifact name (keys may hold any character). */
function safeName(name) {
    const readable = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    return `${readable}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(name).digest('hex').slice(0, 12)}`;
}
/** Copies `paths` (relative to `root`) into a new folder at `target`, atomically (temp folder + rename). */
async function copyIntoFolder(paths, root, target) {
    const temp = `${target}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`;
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(temp, { recursive: true });
    try {
        for (const path of paths) {
            const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(root, path);
            const inside = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, absolute);
            if (inside.startsWith('..') || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(inside))
                throw new Error(`${path} is outside ${root}`);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.cp)(absolute, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(temp, inside), { recursive: true, preserveTimestamps: true });
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(target, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temp, target);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { recursive: true, force: true });
        throw error;
    }
}
/** The local cache under `.mlops/cache`: one folder per key, holding the paths relative to the workspace. */
class LocalCache {
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
        const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.cacheDir, safeName(found), 'files');
        for (const path of paths) {
            const inside = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(this.workspace, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.workspace, path));
            const source = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, inside);
            if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(source).catch(() => undefined)))
                continue;
            const target = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.workspace, inside);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(target, { recursive: true, force: true });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.cp)(source, target, { recursive: true, preserveTimestamps: true });
        }
        return found;
    }
    async save(paths, key) {
        const entry = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.cacheDir, safeName(key));
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(this.cacheDir, { recursive: true });
        const staging = `${entry}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`;
        await copyIntoFolder(paths, this.workspace, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(staging, 'files'));
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(staging, 'key'), key);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(entry, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(staging, entry);
    }
    async exists(key) {
        return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.cacheDir, safeName(key), 'key')).catch(() => undefined)) !== undefined;
    }
    async newestWithPrefix(prefixes) {
        if (prefixes.length === 0)
            return undefined;
        const names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(this.cacheDir).catch(() => []);
        let best;
        for (const name of names) {
            const keyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.cacheDir, name, 'key');
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(keyFile).catch(() => undefined);
            if (!info)
                continue;
            const value = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(keyFile, 'utf8');
            if (prefixes.some((p) => value.startsWith(p)) && (!best || info.mtimeMs > best.time)) {
                best = { key: value, time: info.mtimeMs };
            }
        }
        return best?.key;
    }
}
/** The local artifact store under `.mlops/artifacts/<name>`. */
async function storeLocalArtifact(artifactsDir, name, files, rootDir) {
    const target = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(artifactsDir, name);
    await copyIntoFolder(files.map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(rootDir, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(rootDir, f))), rootDir, target);
    return target;
}


/***/ }),

/***/ 75597:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ runTimeAjvOptions)
/* harmony export */ });
/**
 * Options for every validator compiled while a stage runs. The schemas are ours and fixed, so they
 * are checked against the JSON Schema meta-schema by a test (test/unit/schemas/meta-schema.test.ts)
 * instead of at every start (compiling the meta-schema's own validator was most of a stage's
 * start-up), and code is generated without ajv's optimising pass: it compiles several times
 * faster, and these validators run a handful of times per step.
 */
const runTimeAjvOptions = { validateSchema: false, code: { optimize: false } };


/***/ })

};

//# sourceMappingURL=96.index.js.map