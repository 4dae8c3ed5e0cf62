export const id = 453;
export const ids = [453];
export const modules = {

/***/ 63916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BR: () => (/* binding */ CsvScanner),
/* harmony export */   K7: () => (/* binding */ FieldQuoting),
/* harmony export */   gF: () => (/* binding */ fieldText)
/* harmony export */ });
/* unused harmony export FieldRanges */
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** How a field's bytes are to be read (values of FieldRanges.quoting). */
const FieldQuoting = {
    Plain: 0,
    Quoted: 1,
    /** Quoted with doubled quotes inside: unescape before use. */
    QuotedEscaped: 2,
    /** Text after a closing quote: a malformed field. */
    Malformed: 3,
};
/** Reused arrays holding the byte ranges of one record's fields. */
class FieldRanges {
    starts;
    ends;
    quoting;
    constructor(capacity) {
        this.starts = new Int32Array(capacity);
        this.ends = new Int32Array(capacity);
        this.quoting = new Uint8Array(capacity);
    }
    grow() {
        const capacity = this.starts.length * 2;
        const starts = new Int32Array(capacity);
        const ends = new Int32Array(capacity);
        const quoting = new Uint8Array(capacity);
        starts.set(this.starts);
        ends.set(this.ends);
        quoting.set(this.quoting);
        this.starts = starts;
        this.ends = ends;
        this.quoting = quoting;
    }
}
function countNewlines(buf, from, to) {
    let n = 0;
    for (let i = from; i < to; i++)
        if (buf[i] === LF)
            n++;
    return n;
}
/**
 * A streaming RFC 4180 scanner working on bytes, so plain numbers never become strings.
 * Feed it buffers with `scan`; it reports complete records and says where the first incomplete one
 * starts, for the caller to carry over to the next buffer.
 */
class CsvScanner {
    delimiter;
    /** Line number (1-based) where the next record starts. */
    line = 1;
    /** Blank lines skipped. */
    blankLines = 0;
    fields = new FieldRanges(64);
    /** 1 for the bytes that end an unquoted field: one table load per byte instead of three compares. */
    stops = new Uint8Array(256);
    constructor(delimiter) {
        this.delimiter = delimiter;
        this.stops[delimiter] = 1;
        this.stops[LF] = 1;
        this.stops[CR] = 1;
    }
    /**
     * Scans buf[from, to). Returns the offset of the first record not consumed: an incomplete one
     * (when `final` is false) or the first one starting at or after `stopAt`.
     */
    scan(buf, from, to, final, sink, stopAt = Infinity) {
        const delimiter = this.delimiter;
        const fields = this.fields;
        const stops = this.stops;
        let pos = from;
        while (pos < to && pos < stopAt) {
            const recordStart = pos;
            let count = 0;
            let extraLines = 0;
            for (;;) {
                if (count === fields.starts.length)
                    fields.grow();
                if (pos < to && buf[pos] === QUOTE) {
                    let j = pos + 1;
                    let escaped = false;
                    let close = -1;
                    for (;;) {
                        const q = buf.indexOf(QUOTE, j);
                        if (q === -1 || q >= to)
                            break;
                        if (q + 1 < to && buf[q + 1] === QUOTE) {
                            escaped = true;
                            j = q + 2;
                            continue;
                        }
                        if (q + 1 >= to && !final)
                            break;
                        close = q;
                        break;
                    }
                    if (close === -1) {
                        if (!final)
                            return recordStart;
                        sink.unterminatedQuote(this.line);
                        return to;
                    }
                    extraLines += countNewlines(buf, pos + 1, close);
                    fields.starts[count] = pos + 1;
                    fields.ends[count] = close;
                    fields.quoting[count] = escaped ? FieldQuoting.QuotedEscaped : FieldQuoting.Quoted;
                    pos = close + 1;
                    if (pos < to && buf[pos] !== delimiter && buf[pos] !== LF && buf[pos] !== CR) {
                        // Text after the closing quote: keep the field, flagged, up to the next separator.
                        while (pos < to && buf[pos] !== delimiter && buf[pos] !== LF && buf[pos] !== CR)
                            pos++;
                        fields.ends[count] = pos;
                        fields.quoting[count] = FieldQuoting.Malformed;
                    }
                }
                else {
                    let j = pos;
                    while (j < to && stops[buf[j]] === 0)
                        j++;
                    fields.starts[count] = pos;
                    fields.ends[count] = j;
                    fields.quoting[count] = FieldQuoting.Plain;
                    pos = j;
                }
                count++;
                if (pos >= to) {
                    if (!final)
                        return recordStart;
                    break;
                }
                const c = buf[pos];
                if (c === delimiter) {
                    pos++;
                    continue;
                }
                if (c === CR) {
                    if (pos + 1 >= to && !final)
                        return recordStart;
                    pos += pos + 1 < to && buf[pos + 1] === LF ? 2 : 1;
                }
                else {
                    pos++;
                }
                break;
            }
            const line = this.line;
            this.line += 1 + extraLines;
            if (count === 1 && fields.starts[0] === fields.ends[0] && fields.quoting[0] === FieldQuoting.Plain) {
                this.blankLines++;
                continue;
            }
            sink.record(buf, fields, count, line);
        }
        return pos;
    }
}
const decoder = new TextDecoder();
/** The text of a field, unescaping doubled quotes. Reads a Buffer in place (no view object per cell). */
function fieldText(buf, fields, index) {
    const start = fields.starts[index];
    const end = fields.ends[index];
    const source = buf;
    const text = source.utf8Slice !== undefined ? source.utf8Slice(start, end) : decoder.decode(buf.subarray(start, end));
    return fields.quoting[index] === FieldQuoting.QuotedEscaped ? text.replaceAll('""', '"') : text;
}


/***/ }),

/***/ 66523:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ openParquet)
/* harmony export */ });
/**
 * Opens a Parquet file with hyparquet and every codec writers use (snappy, gzip, zstd, brotli, lz4).
 * Loaded lazily: most runs read no Parquet. Throws what hyparquet throws for a file that is not Parquet.
 */
async function openParquet(path) {
    const [{ asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema }, { compressors }] = await Promise.all([
        __webpack_require__.e(/* import() */ 788).then(__webpack_require__.bind(__webpack_require__, 47407)),
        __webpack_require__.e(/* import() */ 138).then(__webpack_require__.bind(__webpack_require__, 20138)),
    ]);
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    return {
        rowCount: Number(metadata.num_rows),
        columns: parquetSchema(metadata).children.map((c) => c.element.name),
        rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)),
        rows: (rowStart, rowEnd, columns) => parquetReadObjects({ file, metadata, rowStart, rowEnd, columns, compressors }),
    };
}


/***/ }),

/***/ 47592:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $y: () => (/* binding */ jsonValueText),
/* harmony export */   ER: () => (/* binding */ DEFAULT_MISSING_VALUES),
/* harmony export */   U3: () => (/* binding */ isViolation),
/* harmony export */   gC: () => (/* binding */ compileField),
/* harmony export */   w1: () => (/* binding */ FieldDefinitionError),
/* harmony export */   x: () => (/* binding */ compileTableSchema)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);

/** The schema's `missingValues` when it sets none. */
const DEFAULT_MISSING_VALUES = [''];
/** True when `result` is a violation rather than a value. */
function isViolation(result) {
    return typeof result === 'object' && result !== null;
}
/**
 * A field definition that cannot be compiled (a bad regex, minimum above maximum, an enum value that is
 * not of the field's type). `path` is the JSON pointer inside the field, e.g. `/constraints/pattern`.
 */
class FieldDefinitionError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d {
    fieldName;
    path;
    value;
    expected;
    constructor(fieldName, path, value, expected) {
        super(`field ${JSON.stringify(fieldName)}: ${path.slice(1)} is ${JSON.stringify(value)}; expected ${expected}`);
        this.fieldName = fieldName;
        this.path = path;
        this.value = value;
        this.expected = expected;
    }
}
/**
 * Compiles one field into a codec. Precompiles patterns, enums and bounds so that `castAndCheck` does
 * no allocation and no regex work for plain numbers.
 * Throws FieldDefinitionError when the definition cannot be compiled.
 */
function compileField(field, missingValues = DEFAULT_MISSING_VALUES) {
    const type = field.type ?? 'string';
    const constraints = field.constraints ?? {};
    const fail = (path, value, expected) => {
        throw new FieldDefinitionError(field.name, path, value, expected);
    };
    const typeCast = typeCastFor(field, type, fail);
    const { cast } = typeCast;
    const required = constraints.required === true;
    const violation = (rule, expected) => Object.freeze({ rule, expected });
    const typeViolation = violation('type', typeCast.expected);
    const requiredViolation = violation('required', 'a value');
    let pattern;
    if (constraints.pattern !== undefined) {
        try {
            // Table Schema patterns are XML Schema style: they match the whole value.
            pattern = new RegExp(`^(?:${constraints.pattern})$`);
        }
        catch (error) {
            fail('/constraints/pattern', constraints.pattern, `a valid regular expression (${error.message})`);
        }
    }
    const patternViolation = violation('pattern', `to match ${constraints.pattern ?? ''}`);
    const bound = (key) => {
        const given = constraints[key];
        if (given === undefined)
            return undefined;
        if (!typeCast.ordered)
            fail(`/constraints/${key}`, given, `no ${key} on a ${type} field${type === 'string' ? ' (use minLength/maxLength)' : ''}`);
        const value = constraintValue(given, type, cast);
        if (typeof value !== 'number')
            fail(`/constraints/${key}`, given, typeCast.expected);
        return value;
    };
    const minimum = bound('minimum');
    const maximum = bound('maximum');
    if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
        fail('/constraints/minimum', constraints.minimum, `a minimum no greater than the maximum (${String(constraints.maximum)})`);
    }
    const hasMinimum = minimum !== undefined;
    const hasMaximum = maximum !== undefined;
    const minimumValue = minimum ?? 0;
    const maximumValue = maximum ?? 0;
    const minimumViolation = violation('minimum', `>= ${String(constraints.minimum)}`);
    const maximumViolation = violation('maximum', `<= ${String(constraints.maximum)}`);
    const minLength = constraints.minLength;
    const maxLength = constraints.maxLength;
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
        fail('/constraints/minLength', minLength, `a minLength no greater than the maxLength (${maxLength})`);
    }
    const hasLength = minLength !== undefined || maxLength !== undefined;
    if (hasLength && type !== 'string' && type !== 'array' && type !== 'object') {
        fail(`/constraints/${minLength !== undefined ? 'minLength' : 'maxLength'}`, minLength ?? maxLength, `no length constraint on a ${type} field`);
    }
    const minLengthValue = minLength ?? 0;
    const maxLengthValue = maxLength ?? Number.MAX_SAFE_INTEGER;
    const minLengthViolation = violation('minLength', `at least ${minLengthValue} ${typeCast.lengthUnit}`);
    const maxLengthViolation = violation('maxLength', `at most ${maxLengthValue} ${typeCast.lengthUnit}`);
    const lastLength = typeCast.lastLength;
    let enumValues;
    if (constraints.enum !== undefined) {
        enumValues = new Set();
        for (const [index, given] of constraints.enum.entries()) {
            const value = constraintValue(given, type, cast);
            if (value === undefined)
                fail(`/constraints/enum/${index}`, given, typeCast.expected);
            enumValues.add(value);
        }
    }
    const enumViolation = violation('enum', `one of ${listForMessage(constraints.enum ?? [])}`);
    // One comparison for the usual single missing value; a Set only when there are several.
    const firstMissing = missingValues.length > 0 ? missingValues[0] : undefined;
    const otherMissing = missingValues.length > 1 ? new Set(missingValues) : undefined;
    const missingResult = required ? requiredViolation : null;
    let castAndCheck;
    const simple = pattern === undefined && !hasLength && otherMissing === undefined;
    if (simple && enumValues === undefined && (typeCast.ordered || (!hasMinimum && !hasMaximum))) {
        const hot = {
            firstMissing,
            missingResult,
            typeViolation,
            low: minimum ?? -Infinity,
            high: maximum ?? Infinity,
            minimumViolation,
            maximumViolation,
        };
        castAndCheck =
            cast === castInteger
                ? integerCheck(hot)
                : cast === parseNumberText
                    ? numberCheck(hot)
                    : cast === parseIsoDate
                        ? isoDateCheck(hot)
                        : typeCast.ordered
                            ? orderedCheck(hot, cast)
                            : castOnlyCheck(hot, cast);
    }
    else if (simple && cast === castText && enumValues !== undefined && !hasMinimum && !hasMaximum) {
        castAndCheck = textEnumCheck(firstMissing, missingResult, enumValues, enumViolation);
    }
    else {
        castAndCheck = (raw) => {
            if (raw === firstMissing || (otherMissing !== undefined && otherMissing.has(raw)))
                return missingResult;
            const value = cast(raw);
            if (value === undefined)
                return typeViolation;
            if (pattern !== undefined && !pattern.test(raw))
                return patternViolation;
            if (enumValues !== undefined && !enumValues.has(value))
                return enumViolation;
            if (hasLength) {
                const length = lastLength === undefined ? value.length : lastLength();
                if (length < minLengthValue)
                    return minLengthViolation;
                if (length > maxLengthValue)
                    return maxLengthViolation;
            }
            if (hasMinimum && value < minimumValue)
                return minimumViolation;
            if (hasMaximum && value > maximumValue)
                return maximumViolation;
            return value;
        };
    }
    return {
        name: field.name,
        type,
        required,
        unique: constraints.unique === true,
        castAndCheck,
    };
}
// One factory per common column kind: each returned closure calls its parser directly, so V8 can inline
// it. A single shared closure calling `cast(raw)` sees every type's parser and stops inlining any.
function integerCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        const value = parseIntegerText(raw);
        if (value !== value)
            return typeViolation;
        if (value < low)
            return minimumViolation;
        return value > high ? maximumViolation : value;
    };
}
function numberCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        const value = parseNumberText(raw);
        if (value === undefined)
            return typeViolation;
        if (value < low)
            return minimumViolation;
        return value > high ? maximumViolation : value;
    };
}
function isoDateCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        const value = parseIsoDate(raw);
        if (value === undefined)
            return typeViolation;
        if (value < low)
            return minimumViolation;
        return value > high ? maximumViolation : value;
    };
}
function orderedCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }, cast) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        const value = cast(raw);
        if (value === undefined)
            return typeViolation;
        if (value < low)
            return minimumViolation;
        return value > high ? maximumViolation : value;
    };
}
function castOnlyCheck({ firstMissing, missingResult, typeViolation }, cast) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        const value = cast(raw);
        return value === undefined ? typeViolation : value;
    };
}
function textEnumCheck(firstMissing, missingResult, values, enumViolation) {
    return (raw) => {
        if (raw === firstMissing)
            return missingResult;
        return values.has(raw) ? raw : enumViolation;
    };
}
/**
 * Compiles every field of a schema. A single-field primary key makes that field required and unique;
 * each field of a composite key is required (the caller checks the combination).
 * Throws FieldDefinitionError as `compileField` does.
 */
function compileTableSchema(schema) {
    const missingValues = schema.missingValues ?? DEFAULT_MISSING_VALUES;
    const key = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
    return schema.fields.map((field) => {
        if (!key.includes(field.name))
            return compileField(field, missingValues);
        const constraints = { ...field.constraints, required: true, unique: key.length === 1 || field.constraints?.unique === true };
        return compileField({ ...field, constraints }, missingValues);
    });
}
function constraintValue(given, type, cast) {
    if (typeof given === 'number') {
        if (type === 'integer' || type === 'year')
            return Number.isInteger(given) ? given : undefined;
        if (type === 'number')
            return given;
        if (type === 'string' || type === 'any')
            return String(given);
        return undefined;
    }
    if (typeof given === 'boolean') {
        if (type === 'boolean')
            return given;
        return type === 'string' || type === 'any' ? String(given) : undefined;
    }
    const value = cast(given);
    if (value !== undefined)
        return value;
    // Bounds of a date field with a custom format may still be written in ISO 8601.
    if (type === 'date')
        return parseIsoDate(given);
    if (type === 'datetime')
        return parseIsoDatetime(given);
    if (type === 'time')
        return parseIsoTime(given);
    return undefined;
}
function listForMessage(values) {
    const shown = values.slice(0, 12).map(String).join(', ');
    return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}
function typeCastFor(field, type, fail) {
    const format = field.format?.startsWith('fmt:') ? field.format.slice(4) : field.format;
    const isDefault = format === undefined || format === 'default';
    const plain = (cast, expected, ordered = false) => ({ cast, expected, ordered, lengthUnit: 'characters' });
    switch (type) {
        case 'integer':
            return plain(integerCast(field), 'an integer', true);
        case 'number':
            return plain(numberCast(field), 'a number', true);
        case 'year':
            return plain(castYear, 'a year (YYYY)', true);
        case 'yearmonth':
            return plain(castYearMonth, 'a year and month (YYYY-MM)', true);
        case 'boolean':
            return plain(booleanCast(field), `a boolean (${[...(field.trueValues ?? TRUE_VALUES), ...(field.falseValues ?? FALSE_VALUES)].join(', ')})`);
        case 'date':
        case 'datetime':
        case 'time': {
            const iso = type === 'date' ? parseIsoDate : type === 'datetime' ? parseIsoDatetime : parseIsoTime;
            const isoPhrase = type === 'date' ? 'YYYY-MM-DD' : type === 'datetime' ? 'YYYY-MM-DDThh:mm:ssZ' : 'hh:mm:ss';
            if (isDefault)
                return plain(iso, `a ${type} (${isoPhrase})`, true);
            if (format === 'any')
                return plain(anyTemporalCast(type, iso), `a ${type}`, true);
            if (format.includes('%')) {
                const parse = compileStrptime(format, type);
                if (typeof parse === 'string')
                    fail('/format', field.format, parse);
                return plain(parse, `a ${type} in the format ${format}`, true);
            }
            return fail('/format', field.format, `default, any or a pattern such as ${type === 'time' ? '%H:%M' : '%Y-%m-%d'}`);
        }
        case 'string': {
            if (isDefault)
                return plain(castText, 'a string');
            const check = STRING_FORMATS[format];
            if (check === undefined)
                return fail('/format', field.format, `one of default, ${Object.keys(STRING_FORMATS).join(', ')}`);
            return plain((raw) => (check.test(raw) ? raw : undefined), STRING_FORMAT_PHRASES[format]);
        }
        case 'duration':
            return plain((raw) => (DURATION.test(raw) ? raw : undefined), 'an ISO 8601 duration (e.g. P1DT2H30M)');
        case 'object':
        case 'array': {
            let length = 0;
            const wantArray = type === 'array';
            const cast = (raw) => {
                let parsed;
                try {
                    parsed = JSON.parse(raw);
                }
                catch {
                    return undefined;
                }
                if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) !== wantArray)
                    return undefined;
                length = wantArray ? parsed.length : Object.keys(parsed).length;
                return raw;
            };
            return {
                cast,
                expected: wantArray ? 'a JSON array' : 'a JSON object',
                ordered: false,
                lastLength: () => length,
                lengthUnit: wantArray ? 'items' : 'properties',
            };
        }
        case 'geopoint':
            return plain(geopointCast(format ?? 'default'), `a geopoint (${format === 'array' ? '[lon, lat]' : format === 'object' ? '{"lon": …, "lat": …}' : 'lon, lat'})`);
        case 'geojson':
            return plain(geojsonCast(format === 'topojson'), format === 'topojson' ? 'a TopoJSON object' : 'a GeoJSON object');
        case 'any':
            return plain(castText, 'any value');
    }
}
const castText = (raw) => raw;
// ---- numbers ----------------------------------------------------------------------------------------
/** Exact powers of ten: a mantissa below 2^53 divided by one of these is correctly rounded. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** The integer in `s`, or NaN. Plain digits are accumulated by hand: no regex, no allocation. */
function parseIntegerText(s) {
    const n = s.length;
    let i = 0;
    let negative = false;
    if (n === 0)
        return NaN;
    const first = s.charCodeAt(0);
    if (first === 45 /* - */) {
        negative = true;
        i = 1;
    }
    else if (first === 43 /* + */) {
        i = 1;
    }
    if (i === n)
        return NaN;
    let value = 0;
    if (n - i <= 15) {
        for (; i < n; i++) {
            const digit = s.charCodeAt(i) - 48;
            if (digit < 0 || digit > 9)
                return NaN;
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
    for (let j = i; j < n; j++) {
        const digit = s.charCodeAt(j) - 48;
        if (digit < 0 || digit > 9)
            return NaN;
    }
    // Beyond 15 digits the value may not be exact; Number() rounds it correctly.
    value = Number(s.slice(i));
    return negative ? -value : value;
}
/** The number in `s` (decimal, exponent, NaN, INF, -INF), or undefined. */
function parseNumberText(s) {
    const n = s.length;
    if (n === 0)
        return undefined;
    let i = 0;
    let negative = false;
    let c = s.charCodeAt(0);
    if (c === 45 /* - */ || c === 43 /* + */) {
        negative = c === 45;
        i = 1;
        if (i === n)
            return undefined;
        c = s.charCodeAt(1);
    }
    if (c === 78 /* N */ || c === 73 /* I */) {
        if (s === 'NaN')
            return NaN;
        if (i === 0 && s === 'INF')
            return Infinity;
        if (s === '-INF')
            return -Infinity;
        if (s === '+INF')
            return Infinity;
        return undefined;
    }
    // Two tight loops (whole part, then fraction) rather than one loop testing for the point on every digit.
    let mantissa = 0;
    const wholeStart = i;
    for (; i < n; i++) {
        const digit = s.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9)
            break;
        mantissa = mantissa * 10 + digit;
    }
    let digits = i - wholeStart;
    let fractionDigits = 0;
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
        const fractionStart = ++i;
        for (; i < n; i++) {
            const digit = s.charCodeAt(i) - 48;
            if (digit < 0 || digit > 9)
                break;
            mantissa = mantissa * 10 + digit;
        }
        fractionDigits = i - fractionStart;
        digits += fractionDigits;
    }
    if (digits === 0)
        return undefined;
    if (i === n) {
        if (digits <= 15) {
            const value = mantissa / POWERS_OF_TEN[fractionDigits];
            return negative ? -value : value;
        }
        return Number(s);
    }
    c = s.charCodeAt(i);
    // Exponent: validate, then let Number() do the correctly rounded conversion.
    if (c !== 101 /* e */ && c !== 69 /* E */)
        return undefined;
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45))
        i++;
    if (i === n)
        return undefined;
    for (; i < n; i++) {
        const digit = s.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9)
            return undefined;
    }
    return Number(s);
}
const castInteger = (raw) => {
    const value = parseIntegerText(raw);
    return value === value ? value : undefined;
};
/** Text with the group characters removed and the number cut out of its surroundings when not bare. */
function normaliseNumberText(raw, field, decimalChar) {
    let s = raw;
    if (field.bareNumber === false) {
        let start = 0;
        let end = s.length;
        const isNumberStart = (c) => (c >= '0' && c <= '9') || c === '-' || c === '+' || c === '.' || c === decimalChar;
        while (start < end && !isNumberStart(s[start]))
            start++;
        while (end > start && !(s[end - 1] >= '0' && s[end - 1] <= '9') && s[end - 1] !== decimalChar && s[end - 1] !== '.')
            end--;
        s = s.slice(start, end);
    }
    if (field.groupChar !== undefined)
        s = s.split(field.groupChar).join('');
    if (decimalChar !== '.') {
        if (s.includes('.'))
            return undefined;
        s = s.replace(decimalChar, '.');
    }
    return s;
}
function integerCast(field) {
    if (field.groupChar === undefined && field.bareNumber !== false)
        return castInteger;
    return (raw) => {
        const s = normaliseNumberText(raw, field, '.');
        if (s === undefined)
            return undefined;
        const value = parseIntegerText(s);
        return value === value ? value : undefined;
    };
}
function numberCast(field) {
    const decimalChar = field.decimalChar ?? '.';
    if (field.groupChar === undefined && field.bareNumber !== false && decimalChar === '.')
        return parseNumberText;
    return (raw) => {
        const special = raw === 'NaN' || raw === 'INF' || raw === '-INF' ? parseNumberText(raw) : undefined;
        if (special !== undefined)
            return special;
        const s = normaliseNumberText(raw, field, decimalChar);
        return s === undefined ? undefined : parseNumberText(s);
    };
}
const castYear = (raw) => {
    const value = parseIntegerText(raw);
    return value === value ? value : undefined;
};
const castYearMonth = (raw) => {
    if (raw.length !== 7 || raw.charCodeAt(4) !== 45)
        return undefined;
    const year = digitsAt(raw, 0, 4);
    const month = digitsAt(raw, 5, 2);
    if (year < 0 || month < 1 || month > 12)
        return undefined;
    return daysFromCivil(year, month, 1) * DAY_MS;
};
// ---- booleans ---------------------------------------------------------------------------------------
const TRUE_VALUES = ['true', 'True', 'TRUE', '1'];
const FALSE_VALUES = ['false', 'False', 'FALSE', '0'];
const castDefaultBoolean = (raw) => {
    switch (raw) {
        case 'true':
        case 'True':
        case 'TRUE':
        case '1':
            return true;
        case 'false':
        case 'False':
        case 'FALSE':
        case '0':
            return false;
        default:
            return undefined;
    }
};
function booleanCast(field) {
    if (field.trueValues === undefined && field.falseValues === undefined)
        return castDefaultBoolean;
    const values = new Map();
    for (const text of field.trueValues ?? TRUE_VALUES)
        values.set(text, true);
    for (const text of field.falseValues ?? FALSE_VALUES)
        values.set(text, false);
    return (raw) => values.get(raw);
}
// ---- dates and times --------------------------------------------------------------------------------
const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year, month, day) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
    const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}
function daysInMonth(year, month) {
    if (month === 2)
        return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
/** The value of `count` decimal digits at `start`, or -1 if any is not a digit. */
function digitsAt(s, start, count) {
    let value = 0;
    for (let i = start; i < start + count; i++) {
        const digit = s.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9)
            return -1;
        value = value * 10 + digit;
    }
    return value;
}
/** Epoch days * DAY_MS of `YYYY-MM-DD` at `start`, or undefined. */
function isoDateAt(s, start) {
    if (s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45)
        return undefined;
    const year = digitsAt(s, start, 4);
    const month = digitsAt(s, start + 5, 2);
    const day = digitsAt(s, start + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return undefined;
    return daysFromCivil(year, month, day) * DAY_MS;
}
function parseIsoDate(s) {
    return s.length === 10 ? isoDateAt(s, 0) : undefined;
}
/** Milliseconds of `hh:mm[:ss[.fff…]]` at `start` up to `end` (exclusive), or -1. */
function isoClock(s, start, end) {
    if (end - start < 5 || s.charCodeAt(start + 2) !== 58)
        return -1;
    const hour = digitsAt(s, start, 2);
    const minute = digitsAt(s, start + 3, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return -1;
    let ms = hour * 3_600_000 + minute * 60_000;
    let i = start + 5;
    if (i === end)
        return ms;
    if (s.charCodeAt(i) !== 58 || end - i < 3)
        return -1;
    const second = digitsAt(s, i + 1, 2);
    if (second < 0 || second > 59)
        return -1;
    ms += second * 1000;
    i += 3;
    if (i === end)
        return ms;
    if (s.charCodeAt(i) !== 46 || i + 1 === end)
        return -1;
    let scale = 100;
    for (i++; i < end; i++) {
        const digit = s.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9)
            return -1;
        ms += digit * scale;
        scale /= 10;
    }
    return Math.floor(ms);
}
/** Minutes east of UTC of `Z`, `±hh`, `±hhmm` or `±hh:mm` filling s[start..end), or NaN. */
function isoOffset(s, start, end) {
    const c = s.charCodeAt(start);
    if (c === 90 || c === 122)
        return end - start === 1 ? 0 : NaN;
    if (c !== 43 && c !== 45)
        return NaN;
    const length = end - start;
    const hours = digitsAt(s, start + 1, 2);
    let minutes = 0;
    if (length === 6 && s.charCodeAt(start + 3) === 58)
        minutes = digitsAt(s, start + 4, 2);
    else if (length === 5)
        minutes = digitsAt(s, start + 3, 2);
    else if (length !== 3)
        return NaN;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
        return NaN;
    const offset = hours * 60 + minutes;
    return c === 45 ? -offset : offset;
}
/** Index of the zone designator after a clock starting at `start`, or `s.length` if none. */
function zoneStart(s, start) {
    for (let i = start; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 90 || c === 122 || c === 43 || c === 45)
            return i;
    }
    return s.length;
}
function parseIsoDatetime(s) {
    if (s.length < 16)
        return undefined;
    const date = isoDateAt(s, 0);
    const separator = s.charCodeAt(10);
    // The spec's default is `T`; a space is what most tools write, and is unambiguous.
    if (date === undefined || (separator !== 84 && separator !== 32 && separator !== 116))
        return undefined;
    const zone = zoneStart(s, 11);
    const clock = isoClock(s, 11, zone);
    if (clock < 0)
        return undefined;
    if (zone === s.length)
        return date + clock;
    const offset = isoOffset(s, zone, s.length);
    return offset === offset ? date + clock - offset * 60_000 : undefined;
}
function parseIsoTime(s) {
    const zone = zoneStart(s, 0);
    const clock = isoClock(s, 0, zone);
    if (clock < 0)
        return undefined;
    if (zone === s.length)
        return clock;
    const offset = isoOffset(s, zone, s.length);
    return offset === offset ? (((clock - offset * 60_000) % DAY_MS) + DAY_MS) % DAY_MS : undefined;
}
const EXPLICIT_ZONE = /(?:[zZ]|[+-]\d\d:?\d\d|\b(?:UTC|GMT)\b.*)$/;
const ANY_TIME_PATTERNS = ['%H:%M', '%I:%M %p', '%I:%M:%S %p', '%I %p'];
/** `format: any`: ISO 8601 first, then whatever Date.parse reads, taking a zone-less time as UTC. */
function anyTemporalCast(type, iso) {
    if (type === 'time') {
        const parsers = ANY_TIME_PATTERNS.map((p) => compileStrptime(p, 'time'));
        return (raw) => {
            const value = iso(raw);
            if (value !== undefined)
                return value;
            for (const parse of parsers) {
                const parsed = parse(raw);
                if (parsed !== undefined)
                    return parsed;
            }
            return undefined;
        };
    }
    return (raw) => {
        const value = iso(raw) ?? (type === 'date' ? parseIsoDatetime(raw) : undefined);
        if (value !== undefined)
            return type === 'date' ? Math.floor(value / DAY_MS) * DAY_MS : value;
        let ms = Date.parse(raw);
        if (ms !== ms)
            return undefined;
        if (!EXPLICIT_ZONE.test(raw.trim())) {
            // Date.parse reads a zone-less text as local time; the runner's zone must not change the value.
            const local = new Date(ms);
            ms = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds());
        }
        return type === 'date' ? Math.floor(ms / DAY_MS) * DAY_MS : ms;
    };
}
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Digits, maximum value of the numeric directives (as Python's strptime reads them). */
const NUMERIC = {
    Y: [4, 9999],
    y: [2, 99],
    m: [2, 12],
    d: [2, 31],
    H: [2, 23],
    I: [2, 12],
    M: [2, 59],
    S: [2, 61],
    f: [6, 999999],
    j: [3, 366],
};
/** Case-insensitive match at `start` of the longest name (full or first three letters); returns [index, length]. */
function nameAt(s, start, names, full) {
    for (let index = 0; index < names.length; index++) {
        const name = names[index];
        const length = full ? name.length : 3;
        if (start + length > s.length)
            continue;
        let match = true;
        for (let k = 0; k < length; k++) {
            if ((s.charCodeAt(start + k) | 0x20) !== name.charCodeAt(k)) {
                match = false;
                break;
            }
        }
        if (match)
            return [index, length];
    }
    return [-1, 0];
}
/**
 * Compiles a strptime-style pattern (`%d/%m/%Y %H:%M`) into a parser returning epoch milliseconds UTC
 * (a time: milliseconds since midnight; a date: its day). Returns a phrase for the error when a
 * directive is not supported.
 */
function compileStrptime(pattern, type) {
    const tokens = [];
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c !== '%') {
            tokens.push({ literal: c });
            continue;
        }
        const directive = pattern[++i];
        if (directive === '%')
            tokens.push({ literal: '%' });
        else if (directive !== undefined && 'YymdHIMSfjpzbBaA'.includes(directive))
            tokens.push({ directive: directive });
        else if (directive === 'T')
            tokens.push({ directive: 'H' }, { literal: ':' }, { directive: 'M' }, { literal: ':' }, { directive: 'S' });
        else
            return `a pattern using only %Y %y %m %d %H %I %p %M %S %f %z %j %b %B %a %A %T %% (not %${directive ?? ''})`;
    }
    return (raw) => {
        let year = 1900;
        let month = 1;
        let day = 1;
        let hour = 0;
        let minute = 0;
        let second = 0;
        let micro = 0;
        let dayOfYear = 0;
        let pm = -1;
        let twelveHour = false;
        let offset = 0;
        let pos = 0;
        const n = raw.length;
        for (const token of tokens) {
            if ('literal' in token) {
                const c = token.literal;
                if (c === ' ') {
                    // As in Python, a space in the pattern matches any run of whitespace.
                    const start = pos;
                    while (pos < n && (raw[pos] === ' ' || raw[pos] === '\t'))
                        pos++;
                    if (pos === start)
                        return undefined;
                }
                else {
                    if (raw[pos] !== c)
                        return undefined;
                    pos++;
                }
                continue;
            }
            const directive = token.directive;
            const numeric = NUMERIC[directive];
            if (numeric !== undefined) {
                const [maxDigits, maxValue] = numeric;
                let value = 0;
                let read = 0;
                while (read < maxDigits && pos < n) {
                    const digit = raw.charCodeAt(pos) - 48;
                    if (digit < 0 || digit > 9 || value * 10 + digit > maxValue)
                        break;
                    value = value * 10 + digit;
                    read++;
                    pos++;
                }
                if (read === 0 || (directive === 'Y' && read !== 4) || (directive === 'y' && read !== 2))
                    return undefined;
                switch (directive) {
                    case 'Y':
                        year = value;
                        break;
                    case 'y':
                        year = value < 69 ? 2000 + value : 1900 + value;
                        break;
                    case 'm':
                        month = value;
                        break;
                    case 'd':
                        day = value;
                        break;
                    case 'H':
                        hour = value;
                        break;
                    case 'I':
                        hour = value;
                        twelveHour = true;
                        break;
                    case 'M':
                        minute = value;
                        break;
                    case 'S':
                        second = value;
                        break;
                    case 'f':
                        micro = value * 10 ** (6 - read);
                        break;
                    case 'j':
                        dayOfYear = value;
                        break;
                }
                continue;
            }
            if (directive === 'p') {
                const [index, length] = nameAt(raw, pos, ['am', 'pm'], true);
                if (index < 0)
                    return undefined;
                pm = index;
                pos += length;
            }
            else if (directive === 'z') {
                let end = pos + 1;
                while (end < n && ((raw.charCodeAt(end) >= 48 && raw.charCodeAt(end) <= 57) || raw[end] === ':'))
                    end++;
                offset = isoOffset(raw, pos, end);
                if (offset !== offset)
                    return undefined;
                pos = end;
            }
            else {
                const full = directive === 'B' || directive === 'A';
                const names = directive === 'b' || directive === 'B' ? MONTH_NAMES : DAY_NAMES;
                const [index, length] = nameAt(raw, pos, names, full);
                if (index < 0)
                    return undefined;
                if (names === MONTH_NAMES)
                    month = index + 1;
                pos += length;
            }
        }
        if (pos !== n)
            return undefined;
        if (twelveHour) {
            if (hour < 1 || hour > 12)
                return undefined;
            if (pm === 1 && hour !== 12)
                hour += 12;
            else if (pm === 0 && hour === 12)
                hour = 0;
        }
        if (second > 59)
            second = 59;
        const clock = hour * 3_600_000 + minute * 60_000 + second * 1000 + Math.floor(micro / 1000);
        if (type === 'time')
            return clock;
        let days;
        if (dayOfYear > 0) {
            days = daysFromCivil(year, 1, 1) + dayOfYear - 1;
        }
        else {
            if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
                return undefined;
            days = daysFromCivil(year, month, day);
        }
        if (type === 'date')
            return days * DAY_MS;
        return days * DAY_MS + clock - offset * 60_000;
    };
}
// ---- other types ------------------------------------------------------------------------------------
const DURATION = /^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;
const STRING_FORMATS = {
    email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
    uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    binary: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};
const STRING_FORMAT_PHRASES = {
    email: 'an email address',
    uri: 'a URI',
    uuid: 'a UUID',
    binary: 'base64 data',
};
function validLonLat(lon, lat) {
    return typeof lon === 'number' && typeof lat === 'number' && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}
function geopointCast(format) {
    if (format === 'array' || format === 'object') {
        return (raw) => {
            let parsed;
            try {
                parsed = JSON.parse(raw);
            }
            catch {
                return undefined;
            }
            if (format === 'array') {
                return Array.isArray(parsed) && parsed.length === 2 && validLonLat(parsed[0], parsed[1]) ? raw : undefined;
            }
            const point = parsed;
            return typeof point === 'object' && point !== null && validLonLat(point.lon, point.lat) ? raw : undefined;
        };
    }
    return (raw) => {
        const comma = raw.indexOf(',');
        if (comma < 0)
            return undefined;
        const lon = parseNumberText(raw.slice(0, comma).trim());
        const lat = parseNumberText(raw.slice(comma + 1).trim());
        return validLonLat(lon, lat) ? raw : undefined;
    };
}
function geojsonCast(topojson) {
    return (raw) => {
        let parsed;
        try {
            parsed = JSON.parse(raw);
        }
        catch {
            return undefined;
        }
        const type = parsed?.type;
        if (typeof parsed !== 'object' || parsed === null || typeof type !== 'string')
            return undefined;
        return topojson === (type === 'Topology') ? raw : undefined;
    };
}
/**
 * The cell text of a JSON value, as the validate-data stage reads JSON lines: null and absent are
 * missing (`""`), numbers and booleans their JSON text, objects and arrays their JSON.
 */
function jsonValueText(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string')
        return value;
    if (typeof value === 'object')
        return JSON.stringify(value);
    return String(value);
}


/***/ })

};

//# sourceMappingURL=453.index.js.map