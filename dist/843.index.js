export const id = 843;
export const ids = [843];
export const modules = {

/***/ 21228:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ openByteInput),
/* harmony export */   v: () => (/* binding */ lineStartAtOrAfter)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(38522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_2__);



class FileRangeInput {
    handle;
    position;
    end;
    constructor(handle, position, end) {
        this.handle = handle;
        this.position = position;
        this.end = end;
    }
    async read(target, offset) {
        const length = Math.min(target.length - offset, this.end - this.position);
        if (length <= 0)
            return 0;
        const { bytesRead } = await this.handle.read(target, offset, length, this.position);
        this.position += bytesRead;
        return bytesRead;
    }
    close() {
        return this.handle.close();
    }
}
class GunzipInput {
    skip;
    chunks;
    pending;
    stream;
    /** `skip`: decompressed bytes to pass over first (the header, already read). */
    constructor(path, skip = 0) {
        this.skip = skip;
        this.stream = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path).pipe((0,node_zlib__WEBPACK_IMPORTED_MODULE_2__.createGunzip)());
        this.chunks = this.stream[Symbol.asyncIterator]();
    }
    async read(target, offset) {
        while (!this.pending || this.pending.length === 0) {
            const next = await this.chunks.next();
            if (next.done)
                return 0;
            this.pending = next.value;
            if (this.skip > 0) {
                const skipped = Math.min(this.skip, this.pending.length);
                this.pending = this.pending.subarray(skipped);
                this.skip -= skipped;
            }
        }
        const n = this.pending.copy(target, offset);
        this.pending = this.pending.subarray(n);
        return n;
    }
    async close() {
        this.stream.destroy();
    }
}
/** Opens a source's bytes from `start`: to `end` in an uncompressed file, to the end of a gzip one (offsets in its inflated bytes). */
async function openByteInput(source, start = 0, end = source.size) {
    if (source.gzip)
        return new GunzipInput(source.absolute, start);
    return new FileRangeInput(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(source.absolute, 'r'), start, end);
}
/**
 * The first line start at or after `offset`: `offset` itself when the byte before it is a newline,
 * else the byte after the next newline (or the file size). Threads split a file at these points.
 */
async function lineStartAtOrAfter(path, offset, size) {
    if (offset <= 0)
        return 0;
    if (offset >= size)
        return size;
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'r');
    try {
        const block = Buffer.allocUnsafe(64 * 1024);
        let position = offset - 1;
        while (position < size) {
            const { bytesRead } = await handle.read(block, 0, block.length, position);
            if (bytesRead === 0)
                break;
            const newline = block.subarray(0, bytesRead).indexOf(0x0a);
            if (newline !== -1)
                return position + newline + 1;
            position += bytesRead;
        }
        return size;
    }
    finally {
        await handle.close();
    }
}


/***/ }),

/***/ 90843:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  aC: () => (/* binding */ profileFile),
  runProfileWorker: () => (/* binding */ runProfileWorker)
});

// UNUSED EXPORTS: profileThreads, runProfileTask

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(75919);
// EXTERNAL MODULE: ./shared/data/byte-input.ts
var byte_input = __webpack_require__(21228);
// EXTERNAL MODULE: ./shared/data/profile.ts + 2 modules
var profile = __webpack_require__(11922);
// EXTERNAL MODULE: ./shared/data/read-table.ts
var read_table = __webpack_require__(48670);
;// CONCATENATED MODULE: ./shared/data/byte-values.ts
// Parsers that read values straight from bytes, so the common cell never becomes a string.
// Each returns NaN when the text is not in its plain form; the caller then takes the exact,
// slower path through the field's codec, so these only need to be right when they answer.
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/**
 * Stores a cell's value at out[at] and returns true, or returns false when the text is not in the
 * form `kind` reads fast (the caller takes the codec path). Writing into a Float64Array rather than
 * returning keeps the double unboxed: no heap number per cell.
 */
function readFastValue(kind, buf, start, end, out, at) {
    const value = kind === FAST_NUMBER
        ? parsePlainDecimal(buf, start, end, false)
        : kind === FAST_INTEGER
            ? parsePlainDecimal(buf, start, end, true)
            : kind === FAST_DATE
                ? parseIsoDate(buf, start, end)
                : parseIsoDatetime(buf, start, end);
    out[at] = value;
    return value === value;
}
/** The fast forms readFastValue knows. */
const FAST_INTEGER = 1;
const FAST_NUMBER = 2;
const FAST_DATE = 3;
const FAST_DATETIME = 4;
/**
 * A plain decimal (`-12`, `3.25`, `+0.5`) of at most 15 significant digits: the mantissa is then an
 * exact integer and one division by an exact power of ten rounds correctly (Clinger's fast path).
 * With `integerOnly`, text with a decimal point is refused.
 */
function parsePlainDecimal(buf, start, end, integerOnly) {
    let i = start;
    let negative = false;
    if (i < end) {
        const c = buf[i];
        if (c === 0x2d || c === 0x2b) {
            negative = c === 0x2d;
            i++;
        }
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    let d = 0;
    while (i < end && (d = buf[i] - 0x30) >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        i++;
    }
    if (i < end && buf[i] === 0x2e) {
        if (integerOnly)
            return NaN;
        i++;
        while (i < end && (d = buf[i] - 0x30) >= 0 && d <= 9) {
            mantissa = mantissa * 10 + d;
            digits++;
            scale++;
            i++;
        }
    }
    if (digits === 0 || digits > 15 || i !== end)
        return NaN;
    const value = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -value : value;
}
function digitsAt(buf, at, count) {
    let value = 0;
    for (let i = at; i < at + count; i++) {
        const d = buf[i] - 0x30;
        if (d < 0 || d > 9)
            return -1;
        value = value * 10 + d;
    }
    return value;
}
/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year, month, day) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
}
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function dateAt(buf, i) {
    if (buf[i + 4] !== 0x2d || buf[i + 7] !== 0x2d)
        return NaN;
    const year = digitsAt(buf, i, 4);
    const month = digitsAt(buf, i + 5, 2);
    const day = digitsAt(buf, i + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month])
        return NaN;
    if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
        return NaN;
    return daysFromCivil(year, month, day) * 86400000;
}
/** `YYYY-MM-DD` as epoch milliseconds UTC. */
function parseIsoDate(buf, start, end) {
    return end - start === 10 ? dateAt(buf, start) : NaN;
}
/** `YYYY-MM-DDTHH:MM:SS` with an optional `Z`, as epoch milliseconds UTC (other forms take the slow path). */
function parseIsoDatetime(buf, start, end) {
    const length = end - start;
    if (length !== 19 && !(length === 20 && buf[end - 1] === 0x5a))
        return NaN;
    if (buf[start + 10] !== 0x54 || buf[start + 13] !== 0x3a || buf[start + 16] !== 0x3a)
        return NaN;
    const hours = digitsAt(buf, start + 11, 2);
    const minutes = digitsAt(buf, start + 14, 2);
    const seconds = digitsAt(buf, start + 17, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
        return NaN;
    return dateAt(buf, start) + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

// EXTERNAL MODULE: ./shared/data/csv-scanner.ts
var csv_scanner = __webpack_require__(63916);
// EXTERNAL MODULE: ./shared/data/sketch/distinct.ts
var distinct = __webpack_require__(57418);
;// CONCATENATED MODULE: ./shared/data/category-table.ts

/** Longest cell kept in the table; longer text is free text and takes the string path. */
const MAX_KEY_BYTES = 64;
const MAX_ENTRIES = 4096;
const SLOTS = 8192;
/**
 * The distinct byte strings of one categorical column, each with its count and the cached outcome of
 * casting it, so a repeated category costs a hash and a byte comparison instead of a new string, a
 * cast and a map update. Counts are handed to the column's sketches in `drain`.
 */
class CategoryTable {
    slots = new Int32Array(SLOTS).fill(-1);
    hashes = new Int32Array(MAX_ENTRIES);
    offsets = new Int32Array(MAX_ENTRIES);
    lengths = new Int32Array(MAX_ENTRIES);
    pool = new Uint8Array(MAX_ENTRIES * 16);
    poolUsed = 0;
    counts = new Float64Array(MAX_ENTRIES);
    /** The cached outcome per entry (whatever the caller stored: a value, null or a violation). */
    outcomes = [];
    /** The text of each entry, made once. */
    texts = [];
    size = 0;
    /** The entry holding buf[start, end), or -1. */
    find(buf, start, end) {
        const length = end - start;
        if (length > MAX_KEY_BYTES)
            return -1;
        const hash = (0,distinct/* hashBytes */.yi)(buf, start, end) | 0;
        let slot = hash & (SLOTS - 1);
        for (;;) {
            const entry = this.slots[slot];
            if (entry === -1)
                return -1;
            if (this.hashes[entry] === hash && this.lengths[entry] === length) {
                const offset = this.offsets[entry];
                const pool = this.pool;
                let i = 0;
                while (i < length && pool[offset + i] === buf[start + i])
                    i++;
                if (i === length)
                    return entry;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }
    /** Adds buf[start, end) with its text and outcome; returns the entry, or -1 when the table is full or the text too long. */
    insert(buf, start, end, text, outcome) {
        const length = end - start;
        if (this.size >= MAX_ENTRIES || length > MAX_KEY_BYTES)
            return -1;
        if (this.poolUsed + length > this.pool.length) {
            const bigger = new Uint8Array(this.pool.length * 2);
            bigger.set(this.pool);
            this.pool = bigger;
        }
        const entry = this.size++;
        const hash = (0,distinct/* hashBytes */.yi)(buf, start, end) | 0;
        this.hashes[entry] = hash;
        this.offsets[entry] = this.poolUsed;
        this.lengths[entry] = length;
        this.pool.set(buf.subarray(start, end), this.poolUsed);
        this.poolUsed += length;
        this.texts.push(text);
        this.outcomes.push(outcome);
        let slot = hash & (SLOTS - 1);
        while (this.slots[slot] !== -1)
            slot = (slot + 1) & (SLOTS - 1);
        this.slots[slot] = entry;
        return entry;
    }
    /** Calls `take` with each entry counted since the last drain, and resets the counts. */
    drain(take) {
        for (let i = 0; i < this.size; i++) {
            const count = this.counts[i];
            if (count > 0) {
                take(this.texts[i], count, this.outcomes[i]);
                this.counts[i] = 0;
            }
        }
    }
}

// EXTERNAL MODULE: ./shared/data/table-schema/field.ts
var field = __webpack_require__(47592);
;// CONCATENATED MODULE: ./shared/data/table-profiler.ts





/** How a cell's bytes are read on the fast path (byte-values.ts has the numeric and date forms). */
const FAST_NONE = 0;
/** Numbers wait in a batch per column and reach the sketches in tight loops. */
const BATCH = 2048;
/** A categorical column read through its CategoryTable. */
const FAST_CATEGORY = 5;
function kindOf(type) {
    switch (type) {
        case 'integer':
        case 'number':
        case 'year':
            return 'numeric';
        case 'date':
        case 'datetime':
        case 'time':
        case 'yearmonth':
            return 'temporal';
        default:
            return 'categorical';
    }
}
function fastPathOf(field, missingValues) {
    const c = field.constraints ?? {};
    const onlyBounds = c.pattern === undefined && c.enum === undefined && c.minLength === undefined && c.maxLength === undefined;
    const plainMissing = missingValues.length === 1 && missingValues[0] === '';
    if (!onlyBounds || !plainMissing)
        return FAST_NONE;
    const format = field.format ?? 'default';
    switch (field.type) {
        case 'integer':
            return field.groupChar === undefined && field.bareNumber !== false ? FAST_INTEGER : FAST_NONE;
        case 'number':
            return field.groupChar === undefined && field.bareNumber !== false && (field.decimalChar ?? '.') === '.' ? FAST_NUMBER : FAST_NONE;
        case 'date':
            return format === 'default' && c.minimum === undefined && c.maximum === undefined ? FAST_DATE : FAST_NONE;
        case 'datetime':
            return format === 'default' && c.minimum === undefined && c.maximum === undefined ? FAST_DATETIME : FAST_NONE;
        default:
            return FAST_NONE;
    }
}
/**
 * Profiles and checks the records of one file (or one byte range of it). Every cell is cast by its
 * field's codec, except plain numbers and ISO dates, which are read from bytes directly.
 */
class TableProfiler {
    file;
    violations;
    rows = 0;
    accumulators;
    codecs;
    fast;
    minimum;
    maximum;
    enforce;
    names;
    uniqueSeen;
    keyIndexes;
    keySeen = new Set();
    tables;
    batches;
    batchFill;
    constructor(file, plan, violations) {
        this.file = file;
        this.violations = violations;
        const n = plan.columns.length;
        this.names = plan.columns.map((c) => c.field.name);
        this.codecs = plan.columns.map((c) => (0,field/* compileField */.gC)(c.field, plan.missingValues));
        this.accumulators = plan.columns.map((c) => new profile/* ColumnAccumulator */.zI(c.field.name, c.field.type ?? 'string', kindOf(c.field.type)));
        this.enforce = plan.columns.map((c) => c.enforce);
        this.fast = new Uint8Array(n);
        this.minimum = new Float64Array(n).fill(-Infinity);
        this.maximum = new Float64Array(n).fill(Infinity);
        plan.columns.forEach((c, i) => {
            this.fast[i] = fastPathOf(c.field, plan.missingValues);
            if (typeof c.field.constraints?.minimum === 'number')
                this.minimum[i] = c.field.constraints.minimum;
            if (typeof c.field.constraints?.maximum === 'number')
                this.maximum[i] = c.field.constraints.maximum;
        });
        this.uniqueSeen = this.codecs.map((codec, i) => (codec.unique && plan.columns[i].enforce ? new Set() : undefined));
        this.keyIndexes = plan.compositeKey.map((name) => this.names.indexOf(name)).filter((i) => i >= 0);
        this.batches = this.accumulators.map((a) => (a.moments ? new Float64Array(BATCH) : undefined));
        this.batchFill = new Int32Array(n);
        this.tables = plan.columns.map((c, i) => {
            if (kindOf(c.field.type) !== 'categorical' || this.uniqueSeen[i] !== undefined)
                return undefined;
            this.fast[i] = FAST_CATEGORY;
            return new CategoryTable();
        });
    }
    /** A CSV record as byte ranges. */
    record(buf, fields, count, line) {
        this.rows++;
        const n = this.names.length;
        if (count !== n) {
            this.violations.add(this.file, line, 'row-length', () => `row has ${count} field${count === 1 ? '' : 's'}; the header has ${n}`);
            return;
        }
        const starts = fields.starts;
        const ends = fields.ends;
        const quoting = fields.quoting;
        for (let i = 0; i < n; i++) {
            const start = starts[i];
            const end = ends[i];
            if (quoting[i] === csv_scanner/* FieldQuoting */.K7.Malformed) {
                this.violations.add(this.file, line, 'csv', () => `column ${this.names[i]}: text after a closing quote`, this.names[i], (0,csv_scanner/* fieldText */.gF)(buf, fields, i));
                this.accumulators[i].typeErrors++;
                continue;
            }
            const fast = this.fast[i];
            if (fast === FAST_CATEGORY) {
                if (start === end) {
                    this.missing(i, line);
                    continue;
                }
                // Doubled quotes need unescaping: such a cell takes the text path.
                if (quoting[i] !== csv_scanner/* FieldQuoting */.K7.QuotedEscaped && this.category(i, buf, fields, line))
                    continue;
            }
            else if (fast !== FAST_NONE && this.uniqueSeen[i] === undefined) {
                if (start === end) {
                    this.missing(i, line);
                    continue;
                }
                const batch = this.batches[i];
                const at = this.batchFill[i];
                if (readFastValue(fast, buf, start, end, batch, at)) {
                    const value = batch[at];
                    if ((value < this.minimum[i] || value > this.maximum[i]) && this.enforce[i]) {
                        // Out of bounds: reported, and still profiled, since it is what the data holds.
                        const text = (0,csv_scanner/* fieldText */.gF)(buf, fields, i);
                        const result = this.codecs[i].castAndCheck(text);
                        if ((0,field/* isViolation */.U3)(result)) {
                            this.violations.add(this.file, line, result.rule, () => `column ${this.names[i]}: ${JSON.stringify(text)} breaks ${result.rule}: expected ${result.expected}`, this.names[i], text);
                        }
                    }
                    if (at + 1 === BATCH) {
                        this.batchFill[i] = BATCH;
                        this.flushNumbers(i);
                    }
                    else {
                        this.batchFill[i] = at + 1;
                    }
                    continue;
                }
            }
            const text = (0,csv_scanner/* fieldText */.gF)(buf, fields, i);
            this.checked(i, this.codecs[i].castAndCheck(text), line, text);
        }
        if (this.keyIndexes.length > 0)
            this.checkKey(line, this.keyIndexes.map((k) => (0,csv_scanner/* fieldText */.gF)(buf, fields, k)));
    }
    /**
     * A categorical cell through the column's table: cast once per distinct text, then counted.
     * Returns false when the table cannot hold it (full, or long free text): the caller reads it as text.
     */
    category(i, buf, fields, line) {
        const table = this.tables[i];
        const start = fields.starts[i];
        const end = fields.ends[i];
        let entry = table.find(buf, start, end);
        if (entry === -1) {
            const text = (0,csv_scanner/* fieldText */.gF)(buf, fields, i);
            const result = this.codecs[i].castAndCheck(text);
            entry = table.insert(buf, start, end, text, result);
            if (entry === -1)
                return false;
            // The distinct sketch needs each value once; repeats would not change it.
            if (result !== null && !(0,field/* isViolation */.U3)(result))
                this.accumulators[i].distinct.addString(typeof result === 'string' ? result : text);
        }
        const outcome = table.outcomes[entry];
        if (outcome === null || (0,field/* isViolation */.U3)(outcome))
            this.checked(i, outcome, line, table.texts[entry]);
        else
            table.counts[entry]++;
        return true;
    }
    /** Hands the tables' counts to the column sketches; call before reading the accumulators. */
    finish() {
        this.batches.forEach((batch, i) => {
            if (batch)
                this.flushNumbers(i);
        });
        this.tables.forEach((table, i) => {
            const top = this.accumulators[i].top;
            table?.drain((text, count, outcome) => top.add(typeof outcome === 'string' ? outcome : text, count));
        });
    }
    /** A record from JSON lines or Parquet: each cell's text, or null when absent. */
    values(cells, line) {
        this.rows++;
        for (let i = 0; i < cells.length; i++) {
            const text = cells[i];
            if (text === null || text === undefined) {
                this.missing(i, line);
                continue;
            }
            this.checked(i, this.codecs[i].castAndCheck(text), line, text);
        }
        if (this.keyIndexes.length > 0)
            this.checkKey(line, this.keyIndexes.map((k) => cells[k] ?? ''));
    }
    unterminatedQuote(line) {
        this.violations.add(this.file, line, 'csv', () => 'a quoted field starting on this line is never closed; the rest of the file cannot be read');
    }
    /** Structural problems found by the readers (encoding, oversized records). */
    problem(line, rule, message) {
        this.violations.add(this.file, line, rule, () => message);
    }
    numberValue(i, value) {
        const at = this.batchFill[i];
        this.batches[i][at] = value;
        this.batchFill[i] = at + 1;
        if (at + 1 === BATCH)
            this.flushNumbers(i);
    }
    /** One loop per sketch over the column's batch: each call site stays monomorphic and inlined. */
    flushNumbers(i) {
        const batch = this.batches[i];
        const n = this.batchFill[i];
        const acc = this.accumulators[i];
        const moments = acc.moments;
        const quantiles = acc.quantiles;
        const distinct = acc.distinct;
        for (let k = 0; k < n; k++)
            moments.add(batch[k]);
        for (let k = 0; k < n; k++)
            quantiles.add(batch[k]);
        for (let k = 0; k < n; k++)
            distinct.addNumber(batch[k]);
        this.batchFill[i] = 0;
    }
    missing(i, line) {
        const acc = this.accumulators[i];
        acc.nulls++;
        if (this.enforce[i] && this.codecs[i].required) {
            this.violations.add(this.file, line, 'required', () => `column ${this.names[i]}: a value is required`, this.names[i], '');
        }
    }
    checked(i, result, line, text) {
        const acc = this.accumulators[i];
        if (result === null) {
            this.missing(i, line);
            return;
        }
        if ((0,field/* isViolation */.U3)(result)) {
            if (result.rule === 'required') {
                this.missing(i, line);
                return;
            }
            if (result.rule === 'type')
                acc.typeErrors++;
            if (this.enforce[i]) {
                this.violations.add(this.file, line, result.rule, () => `column ${this.names[i]}: ${JSON.stringify(text)} breaks ${result.rule}: expected ${result.expected}`, this.names[i], text);
            }
            if (result.rule === 'type')
                return;
        }
        const value = (0,field/* isViolation */.U3)(result) ? undefined : result;
        if (acc.moments) {
            if (typeof value === 'number')
                this.numberValue(i, value);
        }
        else {
            const shown = typeof value === 'string' ? value : text;
            acc.top.add(shown);
            acc.distinct.addString(shown);
        }
        const seen = this.uniqueSeen[i];
        if (seen) {
            if (seen.has(text)) {
                this.violations.add(this.file, line, 'unique', () => `column ${this.names[i]}: ${JSON.stringify(text)} appears more than once; values must be unique`, this.names[i], text);
            }
            else {
                seen.add(text);
            }
        }
    }
    checkKey(line, parts) {
        const key = parts.join('\u0000');
        if (this.keySeen.has(key)) {
            this.violations.add(this.file, line, 'primaryKey', () => `primary key (${this.keyIndexes.map((k) => this.names[k]).join(', ')}) = (${parts.join(', ')}) appears more than once`);
        }
        else {
            this.keySeen.add(key);
        }
    }
}

// EXTERNAL MODULE: ./shared/data/violations.ts
var data_violations = __webpack_require__(56471);
// EXTERNAL MODULE: ./shared/worker-script.ts
var worker_script = __webpack_require__(91424);
;// CONCATENATED MODULE: ./shared/data/parallel-profile.ts








// Files smaller than this are read on one thread: starting workers costs more than it saves.
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/** Runs a task in this thread. */
async function runProfileTask(task, profiler = new TableProfiler(task.source.path, task.plan, new data_violations/* ViolationLog */.m(task.maxReported))) {
    const columns = task.plan.columns.map((c) => c.field.name);
    let outcome;
    if (task.source.format === 'parquet') {
        outcome = await (0,read_table/* scanParquet */.A9)(task.source, columns, profiler);
    }
    else {
        const input = await (0,byte_input/* openByteInput */.O)(task.source, task.start, task.end);
        try {
            outcome =
                task.source.format === 'jsonl'
                    ? await (0,read_table/* scanJsonLinesInput */.VX)(input, columns, profiler, task.firstLine)
                    : await (0,read_table/* scanCsvInput */.Yx)(input, task.source, profiler, task.firstLine, task.skipBom);
        }
        finally {
            await input.close();
        }
    }
    profiler.finish();
    return { profiler, outcome };
}
/** The worker thread's side: run the task it was started with and post the result. */
async function runProfileWorker(task) {
    const violations = new data_violations/* ViolationLog */.m(task.maxReported);
    const { profiler, outcome } = await runProfileTask(task, new TableProfiler(task.source.path, task.plan, violations));
    const result = {
        rows: profiler.rows,
        lines: outcome.lines,
        unterminated: outcome.unterminated,
        columns: profiler.accumulators.map((a) => a.toJSON()),
        violationCount: violations.count,
        violations: violations.reported,
    };
    external_node_worker_threads_.parentPort.postMessage(result);
}
function runInWorker(task) {
    return new Promise((resolve, reject) => {
        // A small young generation keeps each thread's garbage (cell strings) from inflating memory.
        const worker = new external_node_worker_threads_.Worker((0,worker_script/* workerScript */.w)(), { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 128 } });
        let settled = false;
        worker.once('message', (result) => {
            settled = true;
            resolve(result);
        });
        worker.once('error', (error) => {
            settled = true;
            reject(error);
        });
        worker.once('exit', (code) => {
            if (!settled)
                reject(new Error(`profiling thread exited with code ${code} before reporting`));
        });
    });
}
/** How many threads to use: MLOPS_THREADS, else the machine's cores. */
function profileThreads() {
    const configured = Number(process.env.MLOPS_THREADS);
    return Number.isInteger(configured) && configured > 0 ? configured : (0,external_node_os_.availableParallelism)();
}
/**
 * Profiles one file, splitting a large uncompressed file into line-aligned byte ranges read by
 * worker threads and merged in order. A split that fell inside a quoted field is detected (the range
 * ends in an unterminated quote) and the file is then read again on one thread.
 */
async function profileFile(source, plan, head, maxReported, threads = profileThreads()) {
    const base = {
        kind: 'mlops-profile-task',
        source,
        plan,
        start: head.dataStart,
        end: source.size,
        firstLine: head.firstDataLine,
        skipBom: head.dataStart === 0,
        maxReported,
    };
    const splittable = !source.gzip && source.format !== 'parquet' && plan.compositeKey.length === 0 && !plan.columns.some((c) => c.enforce && (c.field.constraints?.unique ?? false));
    if ((0,worker_script/* workerScript */.w)() && threads > 1 && splittable && source.size - head.dataStart >= PARALLEL_MIN_BYTES) {
        const parallel = await profileInRanges(base, threads, maxReported);
        if (parallel)
            return parallel;
    }
    const violations = new data_violations/* ViolationLog */.m(maxReported);
    const { profiler } = await runProfileTask(base, new TableProfiler(source.path, plan, violations));
    return { rows: profiler.rows, accumulators: profiler.accumulators, violations, threads: 1 };
}
async function profileInRanges(base, threads, maxReported) {
    const { source } = base;
    const span = source.size - base.start;
    const bounds = [base.start];
    for (let i = 1; i < threads; i++)
        bounds.push(await (0,byte_input/* lineStartAtOrAfter */.v)(source.absolute, base.start + Math.floor((span * i) / threads), source.size));
    bounds.push(source.size);
    const tasks = [];
    for (let i = 0; i < threads; i++) {
        if (bounds[i + 1] > bounds[i])
            tasks.push({ ...base, start: bounds[i], end: bounds[i + 1], firstLine: 1, skipBom: false });
    }
    const results = await Promise.all(tasks.map(runInWorker));
    if (results.slice(0, -1).some((r) => r.unterminated))
        return undefined;
    const violations = new data_violations/* ViolationLog */.m(maxReported);
    let lineOffset = base.firstLine - 1;
    let accumulators;
    let rows = 0;
    for (const result of results) {
        violations.absorb(result.violationCount, result.violations, lineOffset);
        lineOffset += result.lines;
        rows += result.rows;
        const parts = result.columns.map((c) => new profile/* ColumnAccumulator */.zI(c.name, c.type, c.kind, c));
        if (!accumulators)
            accumulators = parts;
        else
            accumulators.forEach((a, i) => a.merge(parts[i]));
    }
    return { rows, accumulators: accumulators, violations, threads: tasks.length };
}


/***/ }),

/***/ 48670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A9: () => (/* binding */ scanParquet),
/* harmony export */   RC: () => (/* binding */ readParquetHead),
/* harmony export */   VX: () => (/* binding */ scanJsonLinesInput),
/* harmony export */   Yx: () => (/* binding */ scanCsvInput),
/* harmony export */   zy: () => (/* binding */ readHead)
/* harmony export */ });
/* unused harmony export MAX_RECORD_BYTES */
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(32635);
/* harmony import */ var _byte_input_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(21228);
/* harmony import */ var _csv_scanner_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63916);
/* harmony import */ var _parquet_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(66523);
/* harmony import */ var _table_schema_field_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(47592);






const CHUNK = 2 * 1024 * 1024;
/** Records longer than this are refused: memory stays bounded whatever the file holds. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;
const SAMPLE_ROWS = 1000;
const HEAD_BYTES = 1024 * 1024;
function delimiterOf(source) {
    return source.format === 'tsv' ? 0x09 : 0x2c;
}
class UnterminatedWatch {
    inner;
    unterminated = false;
    constructor(inner) {
        this.inner = inner;
    }
    record(buf, fields, count, line) {
        this.inner.record(buf, fields, count, line);
    }
    unterminatedQuote(line) {
        this.unterminated = true;
        this.inner.unterminatedQuote(line);
    }
}
function reportEncoding(profiler, buf, from, to, firstLine) {
    let line = firstLine;
    let start = from;
    while (start < to) {
        let end = buf.indexOf(0x0a, start);
        if (end === -1 || end > to)
            end = to;
        if (!(0,node_buffer__WEBPACK_IMPORTED_MODULE_0__.isUtf8)(buf.subarray(start, end)))
            profiler.problem(line, 'encoding', 'this line is not valid UTF-8 (is the file in another encoding, such as Latin-1?)');
        line++;
        start = end + 1;
    }
}
/**
 * Streams CSV/TSV records from `input` into `profiler`, starting at line `firstLine`. Bounded memory:
 * a 2 MiB buffer, grown only for a record longer than that, up to MAX_RECORD_BYTES.
 */
async function scanCsvInput(input, source, profiler, firstLine, skipBom) {
    const scanner = new _csv_scanner_js__WEBPACK_IMPORTED_MODULE_3__/* .CsvScanner */ .BR(delimiterOf(source));
    scanner.line = firstLine;
    const sink = new UnterminatedWatch(profiler);
    let work = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    let eof = false;
    let first = skipBom;
    for (;;) {
        while (!eof && filled < work.length) {
            const n = await input.read(work, filled);
            if (n === 0)
                eof = true;
            filled += n;
        }
        let from = 0;
        if (first) {
            first = false;
            if (filled >= 3 && work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf)
                from = 3;
        }
        const lineBefore = scanner.line;
        const consumed = scanner.scan(work, from, filled, eof, sink);
        if (!(0,node_buffer__WEBPACK_IMPORTED_MODULE_0__.isUtf8)(work.subarray(from, consumed)))
            reportEncoding(profiler, work, from, consumed, lineBefore);
        if (eof || sink.unterminated)
            break;
        if (consumed === from) {
            if (work.length >= MAX_RECORD_BYTES) {
                profiler.problem(scanner.line, 'record-size', `a record longer than ${MAX_RECORD_BYTES / 1048576} MiB starts on this line; the rest of the file was not read (is this really ${source.format.toUpperCase()}?)`);
                break;
            }
            const bigger = Buffer.allocUnsafe(Math.min(work.length * 2, MAX_RECORD_BYTES));
            work.copy(bigger, 0, 0, filled);
            work = bigger;
            continue;
        }
        work.copyWithin(0, consumed, filled);
        filled -= consumed;
    }
    return { lines: scanner.line - firstLine, unterminated: sink.unterminated };
}
/** Streams JSON lines into the profiler: one object per line; other lines are violations. */
async function scanJsonLinesInput(input, columns, profiler, firstLine) {
    let work = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    let eof = false;
    let line = firstLine;
    const cells = new Array(columns.length);
    for (;;) {
        while (!eof && filled < work.length) {
            const n = await input.read(work, filled);
            if (n === 0)
                eof = true;
            filled += n;
        }
        let start = 0;
        for (;;) {
            let end = work.indexOf(0x0a, start);
            if (end === -1 || end >= filled) {
                if (!eof || start >= filled)
                    break;
                end = filled;
            }
            const slice = work.subarray(start, end);
            const text = slice.toString('utf8').trim();
            if (text !== '') {
                if (!(0,node_buffer__WEBPACK_IMPORTED_MODULE_0__.isUtf8)(slice)) {
                    profiler.problem(line, 'encoding', 'this line is not valid UTF-8');
                }
                else {
                    let record;
                    try {
                        record = JSON.parse(text);
                    }
                    catch (error) {
                        profiler.problem(line, 'json', `not valid JSON: ${error.message}`);
                        record = undefined;
                    }
                    if (record !== undefined) {
                        if (typeof record !== 'object' || record === null || Array.isArray(record)) {
                            profiler.problem(line, 'json', 'expected a JSON object on each line');
                        }
                        else {
                            const object = record;
                            for (let i = 0; i < columns.length; i++) {
                                const value = object[columns[i]];
                                cells[i] = value === null || value === undefined ? null : (0,_table_schema_field_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonValueText */ .$y)(value);
                            }
                            profiler.values(cells, line);
                        }
                    }
                }
            }
            line++;
            start = end + 1;
        }
        if (eof)
            break;
        if (start === 0) {
            if (work.length >= MAX_RECORD_BYTES) {
                profiler.problem(line, 'record-size', `a line longer than ${MAX_RECORD_BYTES / 1048576} MiB; the rest of the file was not read`);
                break;
            }
            const bigger = Buffer.allocUnsafe(Math.min(work.length * 2, MAX_RECORD_BYTES));
            work.copy(bigger, 0, 0, filled);
            work = bigger;
            continue;
        }
        work.copyWithin(0, start, filled);
        filled -= start;
    }
    return { lines: line - firstLine, unterminated: false };
}
/** Streams a Parquet file's rows, one row group at a time. */
async function scanParquet(source, columns, profiler) {
    const table = await (0,_parquet_js__WEBPACK_IMPORTED_MODULE_5__/* .openParquet */ .D)(source.absolute).catch((error) => {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path} is not a readable Parquet file: ${error.message}`, { file: source.path });
    });
    const cells = new Array(columns.length);
    let rowStart = 0;
    let line = 1;
    for (const groupRows of table.rowGroups) {
        const rowEnd = rowStart + groupRows;
        const rows = await table.rows(rowStart, rowEnd, columns);
        for (const row of rows) {
            for (let i = 0; i < columns.length; i++)
                cells[i] = parquetText(row[columns[i]]);
            profiler.values(cells, line++);
        }
        rowStart = rowEnd;
    }
    return { lines: line - 1, unterminated: false };
}
function parquetText(value) {
    if (value === null || value === undefined)
        return null;
    if (value instanceof Date)
        return value.toISOString().replace('.000Z', 'Z');
    if (typeof value === 'bigint')
        return value.toString();
    return (0,_table_schema_field_js__WEBPACK_IMPORTED_MODULE_4__/* .jsonValueText */ .$y)(value);
}
class HeadSink {
    rows = [];
    unterminated = false;
    record(buf, fields, count) {
        if (this.rows.length > SAMPLE_ROWS)
            return;
        const row = [];
        for (let i = 0; i < count; i++)
            row.push((0,_csv_scanner_js__WEBPACK_IMPORTED_MODULE_3__/* .fieldText */ .gF)(buf, fields, i));
        this.rows.push(row);
    }
    unterminatedQuote() {
        this.unterminated = true;
    }
}
/**
 * Reads a file's header and first rows. Throws InputError for an empty file, a header that cannot be
 * read, or duplicate or empty column names.
 */
async function readHead(source) {
    const input = await (0,_byte_input_js__WEBPACK_IMPORTED_MODULE_2__/* .openByteInput */ .O)(source);
    try {
        // Enough for the header and the sample; read further only while the header is not complete.
        let buf = Buffer.allocUnsafe(Math.min(Math.max(source.size, 1), HEAD_BYTES) + 1);
        let filled = 0;
        for (;;) {
            const n = filled < buf.length ? await input.read(buf, filled) : 0;
            if (n === 0) {
                if (filled < buf.length || buf.length > MAX_RECORD_BYTES || buf.indexOf(0x0a) !== -1)
                    break;
                const bigger = Buffer.allocUnsafe(Math.min(buf.length * 4, MAX_RECORD_BYTES + 1));
                buf.copy(bigger);
                buf = bigger;
                continue;
            }
            filled += n;
        }
        const bom = filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
        let content = bom;
        while (content < filled && (buf[content] === 0x20 || buf[content] === 0x0a || buf[content] === 0x0d || buf[content] === 0x09))
            content++;
        if (content === filled) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path} is empty: expected a header line and data rows.`, { file: source.path, line: 1 });
        }
        if (source.format === 'jsonl')
            return headOfJsonLines(source, buf.subarray(0, filled));
        const scanner = new _csv_scanner_js__WEBPACK_IMPORTED_MODULE_3__/* .CsvScanner */ .BR(delimiterOf(source));
        const sink = new HeadSink();
        const complete = filled < buf.length;
        scanner.scan(buf, bom, filled, complete, sink);
        if (sink.rows.length === 0) {
            const why = sink.unterminated ? 'its first quoted field is never closed' : `its first line is longer than ${MAX_RECORD_BYTES / 1048576} MiB`;
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path}: cannot read the header: ${why}.`, { file: source.path, line: 1 });
        }
        // Find where the header record ends, for threads that start after it.
        const headerScanner = new _csv_scanner_js__WEBPACK_IMPORTED_MODULE_3__/* .CsvScanner */ .BR(delimiterOf(source));
        const dataStart = headerScanner.scan(buf, bom, filled, complete, { record: () => undefined, unterminatedQuote: () => undefined }, bom + 1);
        const columns = sink.rows[0].map((c) => c.trim());
        checkColumnNames(columns, source);
        return { columns, dataStart, firstDataLine: headerScanner.line, sample: sink.rows.slice(1) };
    }
    finally {
        await input.close();
    }
}
function headOfJsonLines(source, buf) {
    const records = [];
    const columns = [];
    const seen = new Set();
    for (const line of buf.toString('utf8').split('\n', SAMPLE_ROWS)) {
        if (line.trim() === '')
            continue;
        try {
            const value = JSON.parse(line);
            if (typeof value !== 'object' || value === null || Array.isArray(value))
                continue;
            records.push(value);
            for (const key of Object.keys(value)) {
                if (!seen.has(key)) {
                    seen.add(key);
                    columns.push(key);
                }
            }
        }
        catch {
            // Reported with its line number when the file is read.
        }
    }
    if (columns.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path}: no JSON object found in its first lines; expected one JSON object per line.`, { file: source.path, line: 1 });
    return { columns, dataStart: 0, firstDataLine: 1, sample: [], records };
}
/** The header and first rows of a Parquet file, from its schema and first row group. */
async function readParquetHead(source) {
    try {
        const table = await (0,_parquet_js__WEBPACK_IMPORTED_MODULE_5__/* .openParquet */ .D)(source.absolute);
        const records = await table.rows(0, Math.min(SAMPLE_ROWS, table.rowCount));
        const converted = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v])));
        return { columns: table.columns, dataStart: 0, firstDataLine: 1, sample: [], records: converted };
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path} is not a readable Parquet file: ${error.message}`, { file: source.path });
    }
}
function checkColumnNames(columns, source) {
    const seen = new Set();
    columns.forEach((name, i) => {
        if (name === '')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path}: column ${i + 1} of the header has no name.`, { file: source.path, line: 1 });
        if (seen.has(name))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${source.path}: the header names column ${JSON.stringify(name)} twice.`, { file: source.path, line: 1 });
        seen.add(name);
    });
}


/***/ }),

/***/ 56471:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ ViolationLog)
/* harmony export */ });
const MAX_VALUE_SHOWN = 80;
/** Counts every violation and keeps the first `limit` for reporting, so memory stays constant. */
class ViolationLog {
    limit;
    count = 0;
    reported = [];
    constructor(limit) {
        this.limit = limit;
    }
    /** Records a violation; builds its message only while under the limit. */
    add(file, line, rule, describe, column, value) {
        this.count++;
        if (this.reported.length < this.limit) {
            const shown = value !== undefined && value.length > MAX_VALUE_SHOWN ? `${value.slice(0, MAX_VALUE_SHOWN)}…` : value;
            this.reported.push({ file, line, column, value: shown, rule, message: describe() });
        }
    }
    /** Takes in violations found elsewhere (another thread or shard), shifting their line numbers. */
    absorb(count, reported, lineOffset = 0) {
        this.count += count;
        for (const v of reported) {
            if (this.reported.length >= this.limit)
                break;
            this.reported.push(v.line === undefined ? v : { ...v, line: v.line + lineOffset });
        }
    }
}


/***/ })

};

//# sourceMappingURL=843.index.js.map