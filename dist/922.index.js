export const id = 922;
export const ids = [922];
export const modules = {

/***/ 11922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  zI: () => (/* binding */ ColumnAccumulator),
  ng: () => (/* binding */ dataFingerprint),
  Ns: () => (/* binding */ mergeProfiles),
  jZ: () => (/* binding */ parseProfile)
});

// UNUSED EXPORTS: PROFILE_QUANTILES

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/data/sketch/distinct.ts
var distinct = __webpack_require__(57418);
// EXTERNAL MODULE: ./shared/data/sketch/drift.ts
var drift = __webpack_require__(96763);
;// CONCATENATED MODULE: ./shared/data/sketch/moments.ts

/**
 * Count, min, max, mean and the sum of squared deviations (M2) of numbers, updated with Welford's
 * method and merged with the parallel formula of Chan, Golub & LeVeque, so merging partial results
 * from several workers matches one pass over all the values.
 */
class Moments {
    n = 0;
    minValue = Infinity;
    maxValue = -Infinity;
    meanValue = 0;
    m2Value = 0;
    /** Adds a value; NaN is ignored (missing values are counted elsewhere). */
    add(x) {
        if (x !== x)
            return;
        const n = ++this.n;
        if (x < this.minValue)
            this.minValue = x;
        if (x > this.maxValue)
            this.maxValue = x;
        const delta = x - this.meanValue;
        this.meanValue += delta / n;
        this.m2Value += delta * (x - this.meanValue);
    }
    /** Adds the values summarized by `other` (left unchanged). */
    merge(other) {
        if (other.n === 0)
            return;
        if (this.n === 0) {
            this.n = other.n;
            this.minValue = other.minValue;
            this.maxValue = other.maxValue;
            this.meanValue = other.meanValue;
            this.m2Value = other.m2Value;
            return;
        }
        const n = this.n + other.n;
        const delta = other.meanValue - this.meanValue;
        this.m2Value += other.m2Value + (delta * delta * this.n * other.n) / n;
        this.meanValue += (delta * other.n) / n;
        this.n = n;
        if (other.minValue < this.minValue)
            this.minValue = other.minValue;
        if (other.maxValue > this.maxValue)
            this.maxValue = other.maxValue;
    }
    /** Number of values added. */
    get count() {
        return this.n;
    }
    /** Smallest value; NaN when empty. */
    get min() {
        return this.n === 0 ? NaN : this.minValue;
    }
    /** Largest value; NaN when empty. */
    get max() {
        return this.n === 0 ? NaN : this.maxValue;
    }
    /** Arithmetic mean; NaN when empty. */
    get mean() {
        return this.n === 0 ? NaN : this.meanValue;
    }
    /** Sum of squared deviations from the mean. */
    get m2() {
        return this.m2Value;
    }
    /** Sample variance (n − 1 in the denominator); NaN with fewer than two values. */
    get variance() {
        return this.n < 2 ? NaN : this.m2Value / (this.n - 1);
    }
    /** Sample standard deviation; NaN with fewer than two values. */
    get stddev() {
        return Math.sqrt(this.variance);
    }
    /** Serializes exactly (JSON numbers round-trip float64). */
    toJSON() {
        return {
            count: this.n,
            min: encodeNumber(this.minValue),
            max: encodeNumber(this.maxValue),
            mean: encodeNumber(this.meanValue),
            m2: encodeNumber(this.m2Value),
        };
    }
    /** Rebuilds from toJSON(); throws InputError on a malformed object. */
    static fromJSON(json) {
        if (json === null || typeof json !== 'object' || !Number.isSafeInteger(json.count) || json.count < 0) {
            throw new errors/* InputError */.d('moments JSON is invalid: count must be a non-negative integer');
        }
        const moments = new Moments();
        moments.n = json.count;
        moments.minValue = decodeNumber(json.min, 'min');
        moments.maxValue = decodeNumber(json.max, 'max');
        moments.meanValue = decodeNumber(json.mean, 'mean');
        moments.m2Value = decodeNumber(json.m2, 'm2');
        return moments;
    }
}
// JSON has no Infinity or NaN (an empty column's min is Infinity; a column with Infinity has NaN M2).
function encodeNumber(x) {
    return Number.isFinite(x) ? x : String(x);
}
function decodeNumber(x, field) {
    if (typeof x === 'number')
        return x;
    if (x === 'Infinity' || x === '-Infinity' || x === 'NaN')
        return Number(x);
    throw new errors/* InputError */.d(`moments JSON is invalid: ${field} must be a number, "Infinity", "-Infinity" or "NaN", got ${JSON.stringify(x)}`);
}

// EXTERNAL MODULE: ./shared/data/sketch/quantiles.ts + 1 modules
var quantiles = __webpack_require__(69716);
;// CONCATENATED MODULE: ./shared/data/sketch/top-values.ts

/**
 * Heavy hitters of a string column by Space-Saving (Metwally, Agrawal & El Abbadi 2005): at most
 * `capacity` counters; a new value takes over the smallest counter and inherits its count as error.
 * Every value occurring more than total/capacity times is kept, and each count overestimates by at
 * most total/capacity. Counters sit in a min-heap of slots so eviction costs O(log capacity).
 */
class TopValues {
    capacity;
    totalCount = 0;
    evicted = false;
    slotOf = new Map();
    values = [];
    counts;
    errors;
    // heap[i] is a slot; position[slot] is its index in heap.
    heap;
    position;
    /** Throws InputError when capacity is not a positive integer. */
    constructor(capacity = 64) {
        if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
            throw new errors/* InputError */.d(`top values capacity must be an integer between 1 and ${1 << 20}, got ${capacity}`);
        }
        this.capacity = capacity;
        this.counts = new Float64Array(capacity);
        this.errors = new Float64Array(capacity);
        this.heap = new Int32Array(capacity);
        this.position = new Int32Array(capacity);
    }
    /** Number of values added (exact, including evicted ones). */
    get total() {
        return this.totalCount;
    }
    /** True while no value was ever evicted: entries() then holds every value with its exact count. */
    get exact() {
        return !this.evicted;
    }
    /** Counts `value` `count` times; throws RangeError when count is not a positive finite number. */
    add(value, count = 1) {
        if (!(count > 0 && count < Infinity))
            throw new RangeError(`count must be positive and finite, got ${count}`);
        this.totalCount += count;
        const slot = this.slotOf.get(value);
        if (slot !== undefined) {
            this.counts[slot] += count;
            this.siftDown(this.position[slot]);
            return;
        }
        const size = this.values.length;
        if (size < this.capacity) {
            this.values.push(value);
            this.counts[size] = count;
            this.errors[size] = 0;
            this.heap[size] = size;
            this.position[size] = size;
            this.slotOf.set(value, size);
            this.siftUp(size);
            return;
        }
        this.evicted = true;
        const victim = this.heap[0];
        this.slotOf.delete(this.values[victim]);
        this.values[victim] = value;
        this.errors[victim] = this.counts[victim];
        this.counts[victim] += count;
        this.slotOf.set(value, victim);
        this.siftDown(0);
    }
    /**
     * Adds the summary `other` (left unchanged), as in the mergeable summaries of Agarwal et al. (2012):
     * a value missing from a summary that has evicted may have occurred up to that summary's smallest
     * count times, so that count is added to both its count and its error; the largest `capacity`
     * combined counters are kept. Counts stay within total/capacity of the truth.
     */
    merge(other) {
        const mine = this.slotMap();
        const theirs = other.slotMap();
        const myFloor = this.evicted ? this.minCount() : 0;
        const theirFloor = other.evicted ? other.minCount() : 0;
        const combined = new Map();
        for (const [value, a] of mine) {
            const b = theirs.get(value);
            combined.set(value, {
                value,
                count: a.count + (b ? b.count : theirFloor),
                error: a.error + (b ? b.error : theirFloor),
            });
        }
        for (const [value, b] of theirs) {
            if (mine.has(value))
                continue;
            combined.set(value, { value, count: b.count + myFloor, error: b.error + myFloor });
        }
        const entries = [...combined.values()].sort(byCountThenValue);
        const evicted = this.evicted || other.evicted || entries.length > this.capacity;
        const total = this.totalCount + other.totalCount;
        this.load(entries.slice(0, this.capacity), total, evicted);
    }
    /** Counted values, by count descending, then value (code-unit order). */
    entries() {
        return [...this.slotMap().values()].sort(byCountThenValue);
    }
    /** Serializes the counters. */
    toJSON() {
        return {
            kind: 'space-saving',
            capacity: this.capacity,
            total: this.totalCount,
            evicted: this.evicted,
            entries: this.entries().map((e) => [e.value, e.count, e.error]),
        };
    }
    /** Rebuilds from toJSON(); throws InputError on a malformed object. */
    static fromJSON(json) {
        const bad = (why) => new errors/* InputError */.d(`top values JSON is invalid: ${why}`);
        if (json === null || typeof json !== 'object' || json.kind !== 'space-saving')
            throw bad('expected kind "space-saving"');
        const top = new TopValues(json.capacity);
        if (!Array.isArray(json.entries) || json.entries.length > top.capacity) {
            throw bad(`entries must be an array of at most ${top.capacity} [value, count, error]`);
        }
        const entries = [];
        const seen = new Set();
        for (const e of json.entries) {
            if (!Array.isArray(e) || typeof e[0] !== 'string' || !(e[1] > 0) || !(e[2] >= 0 && e[2] <= e[1]) || seen.has(e[0])) {
                throw bad(`entry ${JSON.stringify(e)} is not a distinct [value, count > 0, 0 ≤ error ≤ count]`);
            }
            seen.add(e[0]);
            entries.push({ value: e[0], count: e[1], error: e[2] });
        }
        if (!(json.total >= 0) || typeof json.evicted !== 'boolean')
            throw bad('total must be ≥ 0 and evicted a boolean');
        top.load(entries, json.total, json.evicted);
        return top;
    }
    slotMap() {
        const out = new Map();
        this.values.forEach((value, slot) => {
            out.set(value, { value, count: this.counts[slot], error: this.errors[slot] });
        });
        return out;
    }
    minCount() {
        return this.values.length === 0 ? 0 : this.counts[this.heap[0]];
    }
    load(entries, total, evicted) {
        this.slotOf.clear();
        this.values.length = 0;
        entries.forEach((e, slot) => {
            this.values.push(e.value);
            this.counts[slot] = e.count;
            this.errors[slot] = e.error;
            this.heap[slot] = slot;
            this.position[slot] = slot;
            this.slotOf.set(e.value, slot);
        });
        for (let i = (entries.length >> 1) - 1; i >= 0; i--)
            this.siftDown(i);
        this.totalCount = total;
        this.evicted = evicted;
    }
    swap(i, j) {
        const a = this.heap[i];
        const b = this.heap[j];
        this.heap[i] = b;
        this.heap[j] = a;
        this.position[b] = i;
        this.position[a] = j;
    }
    siftUp(i) {
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (this.counts[this.heap[parent]] <= this.counts[this.heap[i]])
                return;
            this.swap(i, parent);
            i = parent;
        }
    }
    siftDown(i) {
        const size = this.values.length;
        for (;;) {
            const left = 2 * i + 1;
            if (left >= size)
                return;
            const right = left + 1;
            let child = left;
            if (right < size && this.counts[this.heap[right]] < this.counts[this.heap[left]])
                child = right;
            if (this.counts[this.heap[i]] <= this.counts[this.heap[child]])
                return;
            this.swap(i, child);
            i = child;
        }
    }
}
function byCountThenValue(a, b) {
    return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

;// CONCATENATED MODULE: ./shared/data/profile.ts







const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
const HISTOGRAM_BINS = 20;
const TOP_CAPACITY = 64;
/** The running state of one column. Every part is mergeable, so shards and threads combine exactly. */
class ColumnAccumulator {
    name;
    type;
    kind;
    nulls = 0;
    typeErrors = 0;
    moments;
    quantiles;
    distinct;
    top;
    constructor(name, type, kind, state) {
        this.name = name;
        this.type = type;
        this.kind = kind;
        const numeric = kind !== 'categorical';
        if (state) {
            this.nulls = state.nulls;
            this.typeErrors = state.typeErrors;
            this.moments = state.sketches.moments ? Moments.fromJSON(state.sketches.moments) : null;
            this.quantiles = state.sketches.quantiles ? quantiles/* QuantileSketch */.w.fromJSON(state.sketches.quantiles) : null;
            this.distinct = distinct/* DistinctSketch */.d4.fromJSON(state.sketches.distinct);
            this.top = state.sketches.top ? TopValues.fromJSON(state.sketches.top) : null;
        }
        else {
            this.moments = numeric ? new Moments() : null;
            this.quantiles = numeric ? new quantiles/* QuantileSketch */.w() : null;
            this.distinct = new distinct/* DistinctSketch */.d4();
            this.top = numeric ? null : new TopValues(TOP_CAPACITY);
        }
    }
    /** Values present and valid. */
    get count() {
        return this.moments ? this.moments.count : this.top.total;
    }
    merge(other) {
        this.nulls += other.nulls;
        this.typeErrors += other.typeErrors;
        if (this.moments && other.moments)
            this.moments.merge(other.moments);
        if (this.quantiles && other.quantiles)
            this.quantiles.merge(other.quantiles);
        this.distinct.merge(other.distinct);
        if (this.top && other.top)
            this.top.merge(other.top);
    }
    toJSON() {
        const m = this.moments;
        const q = this.quantiles;
        const has = m !== null && m.count > 0;
        const quantiles = has && q ? Object.fromEntries(PROFILE_QUANTILES.map((p) => [`p${Math.round(p * 100)}`, q.quantile(p)])) : null;
        let hist = null;
        if (has && q) {
            const edges = (0,drift/* equalWidthEdges */.Dr)(m.min, m.max, m.min === m.max ? 1 : HISTOGRAM_BINS);
            hist = { edges, counts: (0,drift/* histogram */.JW)(q, edges).map((c) => Math.round(c)) };
        }
        return {
            name: this.name,
            type: this.type,
            kind: this.kind,
            count: this.count,
            nulls: this.nulls,
            typeErrors: this.typeErrors,
            min: has ? m.min : null,
            max: has ? m.max : null,
            mean: has ? m.mean : null,
            stddev: has && m.count > 1 ? m.stddev : null,
            quantiles,
            distinct: Math.round(this.distinct.estimate()),
            top: this.top ? this.top.entries().slice(0, 20).map(({ value, count }) => ({ value, count })) : [],
            topExact: this.top ? this.top.exact : true,
            histogram: hist,
            sketches: {
                moments: m ? m.toJSON() : null,
                quantiles: q ? q.toJSON() : null,
                distinct: this.distinct.toJSON(),
                top: this.top ? this.top.toJSON() : null,
            },
        };
    }
}
/** The fingerprint of data made of these files, in order: one file's own sha256, else a hash of the list. */
function dataFingerprint(sources) {
    if (sources.length === 1)
        return sources[0].sha256;
    return `sha256:${(0,external_node_crypto_.createHash)('sha256')
        .update(sources.map((s) => s.sha256).join('\n'))
        .digest('hex')}`;
}
/** Reads a profile written by validate-data, checking that it is one. Throws InputError naming the file. */
function parseProfile(text, file) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* InputError */.d(`${file} is not JSON: ${error.message}`, { file });
    }
    const profile = value;
    if (!profile || profile.kind !== 'mlops-data-profile' || profile.version !== 1 || !Array.isArray(profile.columns)) {
        throw new errors/* InputError */.d(`${file} is not an mlops data profile (expected "kind": "mlops-data-profile", "version": 1); write one with validate-data's profile output.`, { file });
    }
    return profile;
}
/**
 * Merges profiles of shards into the profile of their concatenation: exact for counts, min, max and
 * mean; within the sketches' error for quantiles and distinct counts. Throws InputError when the
 * shards' columns differ.
 */
function mergeProfiles(profiles, names = profiles.map((_, i) => `profile ${i + 1}`)) {
    if (profiles.length === 0)
        throw new errors/* InputError */.d('mergeProfiles needs at least one profile');
    const first = profiles[0];
    const accumulators = first.columns.map((c) => new ColumnAccumulator(c.name, c.type, c.kind, c));
    for (let i = 1; i < profiles.length; i++) {
        const other = profiles[i];
        const expected = first.columns.map((c) => `${c.name}:${c.type}`).join(', ');
        const found = other.columns.map((c) => `${c.name}:${c.type}`).join(', ');
        if (expected !== found) {
            throw new errors/* InputError */.d(`${names[i]} has columns (${found}) but ${names[0]} has (${expected}): only profiles of the same table can be merged.`);
        }
        other.columns.forEach((c, j) => accumulators[j].merge(new ColumnAccumulator(c.name, c.type, c.kind, c)));
    }
    const sources = profiles.flatMap((p) => p.sources);
    return {
        kind: 'mlops-data-profile',
        version: 1,
        rows: profiles.reduce((sum, p) => sum + p.rows, 0),
        fingerprint: dataFingerprint(sources),
        sources,
        columns: accumulators.map((a) => a.toJSON()),
    };
}


/***/ }),

/***/ 57418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d4: () => (/* binding */ DistinctSketch),
/* harmony export */   yi: () => (/* binding */ hashBytes)
/* harmony export */ });
/* unused harmony exports hashString, hashNumber */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);

const P = 14;
const M = 1 << P;
const TWO_32 = 2 ** 32;
// Bias constant of HyperLogLog for m ≥ 128 (Flajolet et al. 2007).
const ALPHA = 0.7213 / (1 + 1.079 / M);
/**
 * HyperLogLog (Flajolet et al. 2007) with p=14: 16,384 one-byte registers over 32-bit hashes, with
 * linear counting below 2.5·m and the large-range correction for 32-bit hashes. Merging takes the
 * register-wise max, so it equals sketching the union.
 */
class DistinctSketch {
    /** Standard error of estimate() relative to the true distinct count: 1.04 / sqrt(2^14) ≈ 0.0081. */
    static relativeError = 1.04 / Math.sqrt(M);
    registers = new Uint8Array(M);
    /** Adds a 32-bit unsigned hash (from hashString, hashBytes or hashNumber). */
    addHash(hash) {
        const index = hash >>> (32 - P);
        // A guard bit below the p index bits caps the rank at 32 - p + 1 when the rest is zero.
        const rank = Math.clz32((hash << P) | (1 << (P - 1))) + 1;
        if (rank > this.registers[index])
            this.registers[index] = rank;
    }
    /** Adds a string by the hash of its UTF-8 bytes. */
    addString(s) {
        this.addHash(hashString(s));
    }
    /** Adds a number by the hash of its float64 bits (0 and -0 count as one value, as do all NaNs). */
    addNumber(x) {
        this.addHash(hashNumber(x));
    }
    /** Adds the values of `other` (left unchanged). */
    merge(other) {
        const a = this.registers;
        const b = other.registers;
        for (let i = 0; i < M; i++)
            if (b[i] > a[i])
                a[i] = b[i];
    }
    /** Estimated number of distinct values added. */
    estimate() {
        let sum = 0;
        let zeros = 0;
        for (let i = 0; i < M; i++) {
            const r = this.registers[i];
            sum += 2 ** -r;
            if (r === 0)
                zeros++;
        }
        const raw = (ALPHA * M * M) / sum;
        if (raw <= 2.5 * M && zeros > 0)
            return M * Math.log(M / zeros);
        if (raw > TWO_32 / 30)
            return -TWO_32 * Math.log(1 - raw / TWO_32);
        return raw;
    }
    /** Serializes the registers as base64 (about 22 KB of JSON). */
    toJSON() {
        return { kind: 'hll', p: P, registers: Buffer.from(this.registers).toString('base64') };
    }
    /** Rebuilds a sketch from toJSON(); throws InputError when the JSON is not a p=14 HyperLogLog. */
    static fromJSON(json) {
        const bad = (why) => new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`distinct sketch JSON is invalid: ${why}`);
        if (json === null || typeof json !== 'object' || json.kind !== 'hll')
            throw bad('expected kind "hll"');
        if (json.p !== P)
            throw bad(`expected p ${P}, got ${json.p}`);
        if (typeof json.registers !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(json.registers)) {
            throw bad('registers must be base64');
        }
        const bytes = Buffer.from(json.registers, 'base64');
        if (bytes.length !== M)
            throw bad(`expected ${M} registers, got ${bytes.length}`);
        const sketch = new DistinctSketch();
        for (let i = 0; i < M; i++) {
            if (bytes[i] > 32 - P + 1)
                throw bad(`register ${i} holds ${bytes[i]}, above ${32 - P + 1}`);
            sketch.registers[i] = bytes[i];
        }
        return sketch;
    }
}
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
function mixBlock(h, k) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
function finish(h, tail, tailBytes, length) {
    if (tailBytes > 0) {
        let k = Math.imul(tail, C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
    }
    h ^= length;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
/** MurmurHash3 x86_32 (seed 0) of bytes[start, end), as an unsigned 32-bit integer. */
function hashBytes(bytes, start, end) {
    let h = 0;
    let i = start;
    for (; i + 4 <= end; i += 4) {
        h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    }
    let tail = 0;
    const tailBytes = end - i;
    for (let j = 0; j < tailBytes; j++)
        tail |= bytes[i + j] << (8 * j);
    return finish(h, tail, tailBytes, end - start);
}
// State of hashString's byte stream; module-level so the UTF-8 encoding needs no allocation.
let streamHash = 0;
let streamWord = 0;
let streamShift = 0;
let streamLength = 0;
function pushByte(b) {
    streamWord |= b << streamShift;
    streamShift += 8;
    streamLength++;
    if (streamShift === 32) {
        streamHash = mixBlock(streamHash, streamWord);
        streamWord = 0;
        streamShift = 0;
    }
}
/**
 * MurmurHash3 x86_32 (seed 0) of the UTF-8 encoding of s, encoded on the fly (lone surrogates as
 * U+FFFD, like TextEncoder): hashString(s) === hashBytes(utf8 of s).
 */
function hashString(s) {
    streamHash = 0;
    streamWord = 0;
    streamShift = 0;
    streamLength = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) {
            pushByte(c);
        }
        else if (c < 0x800) {
            pushByte(0xc0 | (c >> 6));
            pushByte(0x80 | (c & 63));
        }
        else {
            if (c >= 0xd800 && c <= 0xdfff) {
                const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
                if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                    const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
                    i++;
                    pushByte(0xf0 | (cp >> 18));
                    pushByte(0x80 | ((cp >> 12) & 63));
                    pushByte(0x80 | ((cp >> 6) & 63));
                    pushByte(0x80 | (cp & 63));
                    continue;
                }
                c = 0xfffd;
            }
            pushByte(0xe0 | (c >> 12));
            pushByte(0x80 | ((c >> 6) & 63));
            pushByte(0x80 | (c & 63));
        }
    }
    return finish(streamHash, streamWord, streamShift >> 3, streamLength);
}
const numberBits = new Float64Array(1);
const numberWords = new Uint32Array(numberBits.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/**
 * MurmurHash3 x86_32 (seed 0) of the 8 little-endian bytes of x as float64, after mapping -0 to 0
 * and every NaN to the canonical NaN, so equal numbers hash equally.
 */
function hashNumber(x) {
    numberBits[0] = x === 0 ? 0 : x !== x ? NaN : x;
    const lo = numberWords[littleEndian ? 0 : 1];
    const hi = numberWords[littleEndian ? 1 : 0];
    return finish(mixBlock(mixBlock(0, lo), hi), 0, 0, 8);
}


/***/ }),

/***/ 96763:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ equalWidthEdges),
/* harmony export */   JW: () => (/* binding */ histogram),
/* harmony export */   M$: () => (/* binding */ jensenShannonDistance),
/* harmony export */   V5: () => (/* binding */ populationStabilityIndex),
/* harmony export */   gJ: () => (/* binding */ kolmogorovSmirnov)
/* harmony export */ });
/* unused harmony export PSI_EPSILON */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);

/** Smallest bin fraction used by PSI, so an empty bin gives a large but finite term. */
const PSI_EPSILON = 1e-4;
/**
 * Population Stability Index of `current` against `reference`: bins cut at the reference's
 * quantiles 1/bins … (bins−1)/bins (duplicates dropped, so a constant column gives two bins:
 * ≤ the constant and above it), fractions from each sketch's rank(), fractions below 1e-4 raised
 * to 1e-4; PSI = Σ (actual − expected) · ln(actual / expected). NaN when either sketch is empty;
 * throws InputError when bins is not an integer ≥ 2.
 */
function populationStabilityIndex(reference, current, bins = 10) {
    if (!Number.isInteger(bins) || bins < 2)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`PSI bins must be an integer ≥ 2, got ${bins}`);
    if (reference.count === 0 || current.count === 0)
        return NaN;
    const edges = [];
    for (let i = 1; i < bins; i++) {
        const edge = reference.quantile(i / bins);
        if (edges.length === 0 || edge > edges[edges.length - 1])
            edges.push(edge);
    }
    let psi = 0;
    let previousExpected = 0;
    let previousActual = 0;
    for (let i = 0; i <= edges.length; i++) {
        const expectedCdf = i < edges.length ? reference.rank(edges[i]) : 1;
        const actualCdf = i < edges.length ? current.rank(edges[i]) : 1;
        const expected = Math.max(expectedCdf - previousExpected, PSI_EPSILON);
        const actual = Math.max(actualCdf - previousActual, PSI_EPSILON);
        psi += (actual - expected) * Math.log(actual / expected);
        previousExpected = expectedCdf;
        previousActual = actualCdf;
    }
    return psi;
}
/**
 * Two-sample Kolmogorov–Smirnov statistic: sup over x of |F_ref(x) − F_cur(x)|, evaluated at every
 * item either sketch retains (where the step functions change). NaN when either sketch is empty.
 */
function kolmogorovSmirnov(reference, current) {
    if (reference.count === 0 || current.count === 0)
        return NaN;
    let sup = 0;
    for (const sketch of [reference, current]) {
        for (const { value } of sketch.items()) {
            const gap = Math.abs(reference.rank(value) - current.rank(value));
            if (gap > sup)
                sup = gap;
        }
    }
    return sup;
}
/**
 * Jensen–Shannon distance (square root of the JS divergence, log base 2, so in [0, 1]) between
 * the distributions given by two maps of counts over the union of their keys. NaN when either map
 * counts nothing; throws InputError on a negative or non-finite count.
 */
function jensenShannonDistance(reference, current) {
    const referenceTotal = totalOf(reference, 'reference');
    const currentTotal = totalOf(current, 'current');
    if (referenceTotal === 0 || currentTotal === 0)
        return NaN;
    let divergence = 0;
    for (const key of new Set([...reference.keys(), ...current.keys()])) {
        const p = (reference.get(key) ?? 0) / referenceTotal;
        const q = (current.get(key) ?? 0) / currentTotal;
        const m = (p + q) / 2;
        if (p > 0)
            divergence += 0.5 * p * Math.log2(p / m);
        if (q > 0)
            divergence += 0.5 * q * Math.log2(q / m);
    }
    // Rounding can leave a tiny negative divergence for identical distributions.
    return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}
function totalOf(counts, name) {
    let total = 0;
    for (const [key, count] of counts) {
        if (!(count >= 0 && count < Infinity)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`${name} count of ${JSON.stringify(key)} must be a non-negative number, got ${count}`);
        }
        total += count;
    }
    return total;
}
/**
 * Estimated number of values in each bin [edges[i], edges[i+1]) (the last bin closed), from the
 * sketch's rank (whole numbers: sums of retained items' weights). Throws InputError when there are
 * fewer than two edges or they decrease.
 */
function histogram(sketch, edges) {
    if (edges.length < 2)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`histogram needs at least two edges, got ${edges.length}`);
    for (let i = 1; i < edges.length; i++) {
        if (!(edges[i] >= edges[i - 1])) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`histogram edges must not decrease, got ${edges[i - 1]} then ${edges[i]} at index ${i}`);
        }
    }
    if (sketch.count === 0)
        return new Array(edges.length - 1).fill(0);
    // Ranks are sums of integer item weights over count, so rounding recovers those sums exactly.
    const below = edges.map((edge) => Math.round(sketch.rank(edge, false) * sketch.count));
    below[below.length - 1] = Math.round(sketch.rank(edges[edges.length - 1], true) * sketch.count);
    return below.slice(1).map((weight, i) => Math.max(0, weight - below[i]));
}
/**
 * bins+1 equally spaced edges from min to max (the last exactly max). Throws InputError when bins
 * is not a positive integer or the bounds are not finite with min ≤ max.
 */
function equalWidthEdges(min, max, bins) {
    if (!Number.isInteger(bins) || bins < 1)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`histogram bins must be a positive integer, got ${bins}`);
    if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`histogram range must be finite with min ≤ max, got [${min}, ${max}]`);
    }
    const width = (max - min) / bins;
    return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
}


/***/ }),

/***/ 69716:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  w: () => (/* binding */ QuantileSketch)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
;// CONCATENATED MODULE: ./shared/data/sketch/float64-base64.ts
/** Base64 of the little-endian float64 encoding of `values` (exact, including ±Infinity and -0). */
function encodeFloat64s(values) {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++)
        view.setFloat64(i * 8, values[i], true);
    return Buffer.from(bytes).toString('base64');
}
/** Inverse of encodeFloat64s; null when the text is not base64 of whole float64s. */
function decodeFloat64s(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
        return null;
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length % 8 !== 0)
        return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const values = new Float64Array(bytes.length / 8);
    for (let i = 0; i < values.length; i++)
        values[i] = view.getFloat64(i * 8, true);
    return values;
}

;// CONCATENATED MODULE: ./shared/data/sketch/quantiles.ts


// Capacities shrink by 2/3 per level below the top (the KLL paper's c); MIN_WIDTH keeps low levels useful.
const SHRINK = 2 / 3;
const MIN_WIDTH = 8;
const RNG_SEED = 0x9e3779b9 | 0;
// The input buffer holds this many times k items, sorted once when full; a bigger buffer only adds accuracy.
const INPUT_BUFFER_FACTOR = 2;
// Pair levels (see the class comment) are added once count ≥ 2^s · PAIR_THRESHOLD. Their rank error
// has standard deviation at most sqrt(2^s / count) / 2 ≤ 1 / (2 · sqrt(PAIR_THRESHOLD)) ≈ 0.0014.
const PAIR_THRESHOLD = 2 ** 17;
const MAX_PAIR_LEVELS = 30;
// Scratch for the branch-free pick of the lower or higher item of a pair.
const pair = new Float64Array(2);
/**
 * KLL quantile sketch (Karnin, Lang & Liberty 2016) of numbers.
 *
 * Values go into an unsorted Float64Array input buffer (2k items), sorted and halved into the next
 * level when full. The levels above it form a lazy KLL: each kept sorted (compacting is a linear
 * merge), compacted lowest first and only when together they exceed their total capacity; the top
 * level holds k items, each level below 2/3 as many (at least 8). A compaction keeps the odd or the
 * even items, by one bit of a seeded xorshift32: the same values in the same order give the same sketch.
 *
 * Sorting costs about 45 ns per value on this project's runners, too slow for profiling millions of
 * rows, so once the sketch has seen 2·2^17 values the lowest levels become compactors of capacity 2
 * (as in the KLL paper, where low levels shrink to 2): each pair of values keeps its lower or higher
 * item at random, with twice the weight, and only the survivors are sorted. A pair level is added
 * each time the count doubles, which keeps their error far below that of the top levels.
 */
class QuantileSketch {
    /**
     * Normalized rank error we claim for k=256: |estimated rank − true rank| ≤ 0.01 for every query
     * point at once (the sup over x of the error of rank(x)), with probability ≥ 99%.
     * Measured on 1e6 and 1e7 values (test/unit/sketch/quantiles.test.ts checks it on 1e6): worst sup
     * error over 21 runs of 3 distributions about 0.0065. Apache DataSketches' fit for its KLL at
     * k=256 gives 2.296/k^0.9723 ≈ 0.0105 for a single query. The error scales about as 1/k.
     */
    static rankError = 0.01;
    kParam;
    n = 0;
    minValue = Infinity;
    maxValue = -Infinity;
    rngState = RNG_SEED;
    // Levels below `stages` are pair levels: pending[h] holds their waiting item when bit h of pendingMask is set.
    stages = 0;
    pending = new Float64Array(MAX_PAIR_LEVELS);
    pendingMask = 0;
    // levels[stages] is the unsorted input buffer (fill n0, also `buffer`); higher levels are sorted.
    levels;
    sizes;
    buffer;
    n0 = 0;
    limit0 = 0;
    capacities = [];
    maxSize = 0;
    view = null;
    /** Throws InputError when k is not an integer in [8, 65536]. */
    constructor(k = 256) {
        if (!Number.isInteger(k) || k < MIN_WIDTH || k > 65536) {
            throw new errors/* InputError */.d(`quantile sketch k must be an integer between ${MIN_WIDTH} and 65536, got ${k}`);
        }
        this.kParam = k;
        this.buffer = new Float64Array(INPUT_BUFFER_FACTOR * k);
        this.levels = [this.buffer];
        this.sizes = [0];
        this.recomputeCapacities();
        this.updateLimit0();
    }
    /** Accuracy parameter: capacity of the top level. */
    get k() {
        return this.kParam;
    }
    /** Number of values added (NaN ignored). */
    get count() {
        return this.n;
    }
    /** Smallest value added (exact); NaN when empty. */
    get min() {
        return this.n === 0 ? NaN : this.minValue;
    }
    /** Largest value added (exact); NaN when empty. */
    get max() {
        return this.n === 0 ? NaN : this.maxValue;
    }
    /** Adds one value; NaN is ignored (missing values are counted elsewhere). */
    add(x) {
        if (x !== x)
            return;
        this.n++;
        if (x < this.minValue)
            this.minValue = x;
        if (x > this.maxValue)
            this.maxValue = x;
        const stages = this.stages;
        if (stages !== 0) {
            let mask = this.pendingMask;
            for (let h = 0; h < stages; h++) {
                const bit = 1 << h;
                if ((mask & bit) === 0) {
                    this.pending[h] = x;
                    this.pendingMask = mask | bit;
                    return;
                }
                mask ^= bit;
                x = this.pickOfPair(x, this.pending[h]);
            }
            this.pendingMask = mask;
        }
        this.buffer[this.n0++] = x;
        if (this.n0 >= this.limit0)
            this.compress();
    }
    /** Adds the values of `other` (left unchanged); the result has the guarantees of sketching both inputs together. */
    merge(other) {
        if (other === this)
            other = QuantileSketch.fromJSON(this.toJSON());
        if (other.n === 0)
            return;
        if (other.kParam < this.kParam) {
            this.kParam = other.kParam;
            this.recomputeCapacities();
        }
        this.n += other.n;
        if (other.minValue < this.minValue)
            this.minValue = other.minValue;
        if (other.maxValue > this.maxValue)
            this.maxValue = other.maxValue;
        other.syncSizes();
        for (let h = 0; h < other.levels.length; h++) {
            if (h < other.stages) {
                if (other.pendingMask & (1 << h))
                    this.insertAt(h, other.pending[h]);
                continue;
            }
            const items = other.levels[h].subarray(0, other.sizes[h]);
            if (h <= this.stages) {
                for (let i = 0; i < items.length; i++)
                    this.insertAt(h, items[i]);
            }
            else {
                this.ensureLevels(h + 1);
                this.mergeIntoLevel(h, h === other.stages ? Float64Array.from(items).sort() : items, 0, items.length);
            }
        }
        this.compress();
    }
    /**
     * Estimated fraction of values ≤ x (the CDF), or < x when `inclusive` is false; NaN when empty.
     */
    rank(x, inclusive = true) {
        if (this.n === 0)
            return NaN;
        const { values, cumulative } = this.sortedView();
        let lo = 0;
        let hi = values.length;
        // first index whose value is > x (inclusive) or ≥ x (exclusive)
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (inclusive ? values[mid] <= x : values[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo === 0 ? 0 : cumulative[lo - 1] / this.n;
    }
    /** rank(x) for each point. */
    cdf(points) {
        return points.map((p) => this.rank(p));
    }
    /**
     * Smallest retained value whose estimated rank is ≥ q; q=0 gives the exact min and q=1 the exact
     * max. NaN when empty; throws InputError when q is not in [0, 1].
     */
    quantile(q) {
        if (!(q >= 0 && q <= 1))
            throw new errors/* InputError */.d(`quantile must be between 0 and 1, got ${q}`);
        if (this.n === 0)
            return NaN;
        if (q === 0)
            return this.minValue;
        if (q === 1)
            return this.maxValue;
        const { values, cumulative } = this.sortedView();
        const target = q * this.n;
        let lo = 0;
        let hi = values.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (cumulative[mid] < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        return values[lo];
    }
    /** The retained items, each standing for `weight` values; weights sum to count. */
    items() {
        this.syncSizes();
        const out = [];
        for (let h = 0; h < this.levels.length; h++) {
            const weight = 2 ** h;
            if (h < this.stages) {
                if (this.pendingMask & (1 << h))
                    out.push({ value: this.pending[h], weight });
                continue;
            }
            const level = this.levels[h];
            for (let i = 0; i < this.sizes[h]; i++)
                out.push({ value: level[i], weight });
        }
        return out;
    }
    /** Number of retained items (memory use is about 8 bytes each). */
    get retained() {
        return this.items().length;
    }
    /** Serializes the sketch exactly (values as base64 float64, so ±Infinity and -0 survive). */
    toJSON() {
        this.syncSizes();
        const levelSizes = this.sizes.map((size, h) => (h < this.stages ? (this.pendingMask >>> h) & 1 : size));
        const flat = new Float64Array(2 + levelSizes.reduce((a, b) => a + b, 0));
        flat[0] = this.minValue;
        flat[1] = this.maxValue;
        let at = 2;
        for (let h = 0; h < this.levels.length; h++) {
            if (h < this.stages) {
                if (levelSizes[h] === 1)
                    flat[at++] = this.pending[h];
                continue;
            }
            flat.set(this.levels[h].subarray(0, levelSizes[h]), at);
            at += levelSizes[h];
        }
        return {
            kind: 'kll',
            k: this.kParam,
            count: this.n,
            rngState: this.rngState,
            inputLevel: this.stages,
            levelSizes,
            items: encodeFloat64s(flat),
        };
    }
    /** Rebuilds a sketch from toJSON(); throws InputError when the JSON is not a consistent KLL sketch. */
    static fromJSON(json) {
        const bad = (why) => new errors/* InputError */.d(`quantile sketch JSON is invalid: ${why}`);
        if (json === null || typeof json !== 'object' || json.kind !== 'kll')
            throw bad('expected kind "kll"');
        const sketch = new QuantileSketch(json.k);
        const sizes = json.levelSizes;
        const input = json.inputLevel;
        if (!Array.isArray(sizes) || !sizes.every((s) => Number.isInteger(s) && s >= 0)) {
            throw bad('levelSizes must be an array of non-negative integers');
        }
        if (!Number.isInteger(input) || input < 0 || input >= Math.min(sizes.length, MAX_PAIR_LEVELS)) {
            throw bad(`inputLevel must be an integer below the number of levels, got ${input}`);
        }
        if (sizes.slice(0, input).some((s) => s > 1))
            throw bad('a level below inputLevel holds more than one item');
        if (!Number.isInteger(json.rngState))
            throw bad('rngState must be an integer');
        if (!Number.isSafeInteger(json.count) || json.count < 0)
            throw bad('count must be a non-negative integer');
        const flat = decodeFloat64s(json.items);
        if (flat === null)
            throw bad('items is not base64 of float64 values');
        const total = sizes.reduce((a, b) => a + b, 0);
        if (flat.length !== 2 + total)
            throw bad(`items holds ${flat.length - 2} values, levelSizes say ${total}`);
        if (flat.subarray(2).some((v) => v !== v))
            throw bad('items contain NaN');
        let weight = 0;
        sizes.forEach((s, h) => (weight += s * 2 ** h));
        if (weight !== json.count)
            throw bad(`count ${json.count} differs from the items' total weight ${weight}`);
        sketch.stages = input;
        sketch.ensureLevels(sizes.length);
        sketch.buffer = sketch.levels[input];
        let at = 2;
        for (let h = 0; h < sizes.length; h++) {
            const items = flat.subarray(at, at + sizes[h]);
            at += sizes[h];
            if (h < input) {
                if (items.length === 1) {
                    sketch.pending[h] = items[0];
                    sketch.pendingMask |= 1 << h;
                }
            }
            else if (h === input) {
                for (let i = 0; i < items.length; i++)
                    sketch.pushToBuffer(items[i]);
            }
            else {
                sketch.mergeIntoLevel(h, Float64Array.from(items).sort(), 0, items.length);
            }
        }
        sketch.recomputeCapacities();
        sketch.n = json.count;
        sketch.minValue = flat[0];
        sketch.maxValue = flat[1];
        sketch.rngState = json.rngState | 0;
        sketch.updateLimit0();
        return sketch;
    }
    nextBit() {
        let s = this.rngState;
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        this.rngState = s;
        return s >>> 31;
    }
    /** Compacts a pair: the lower or the higher item at random, without a data-dependent branch. */
    pickOfPair(x, y) {
        pair[0] = x;
        pair[1] = y;
        const xIsLower = x < y ? 1 : 0;
        // The higher item sits at index xIsLower, the lower one at xIsLower ^ 1; bit 1 keeps the higher.
        return pair[xIsLower ^ 1 ^ this.nextBit()];
    }
    /** Places one item of weight 2^h, carrying it up through the pair levels like add() does. */
    insertAt(h, x) {
        while (h < this.stages) {
            const bit = 1 << h;
            if ((this.pendingMask & bit) === 0) {
                this.pending[h] = x;
                this.pendingMask |= bit;
                return;
            }
            this.pendingMask ^= bit;
            x = this.pickOfPair(x, this.pending[h]);
            h++;
        }
        if (h === this.stages)
            this.pushToBuffer(x);
        else {
            this.ensureLevels(h + 1);
            this.mergeIntoLevel(h, Float64Array.of(x), 0, 1);
        }
    }
    pushToBuffer(x) {
        if (this.n0 >= this.buffer.length)
            this.growBuffer(2 * this.buffer.length);
        this.buffer[this.n0++] = x;
    }
    growBuffer(size) {
        const grown = new Float64Array(size);
        grown.set(this.buffer.subarray(0, this.n0));
        this.buffer = grown;
        this.levels[this.stages] = grown;
    }
    syncSizes() {
        this.sizes[this.stages] = this.n0;
    }
    ensureLevels(count) {
        if (this.levels.length >= count)
            return;
        while (this.levels.length < count) {
            this.levels.push(new Float64Array(this.kParam + MIN_WIDTH));
            this.sizes.push(0);
        }
        this.recomputeCapacities();
    }
    inputSize() {
        return INPUT_BUFFER_FACTOR * this.kParam;
    }
    /** Capacities of the sorted levels: k on top, 2/3 as many per level below, at least MIN_WIDTH. */
    recomputeCapacities() {
        const height = this.levels.length;
        this.capacities = new Array(height).fill(0);
        this.maxSize = 0;
        for (let h = this.stages + 1; h < height; h++) {
            const cap = Math.max(MIN_WIDTH, Math.ceil(this.kParam * SHRINK ** (height - 1 - h)));
            this.capacities[h] = cap;
            this.maxSize += cap;
        }
    }
    targetStages() {
        if (this.n < 2 * PAIR_THRESHOLD)
            return 0;
        return Math.min(MAX_PAIR_LEVELS - 1, Math.floor(Math.log2(this.n / PAIR_THRESHOLD)));
    }
    /**
     * Empties a full input buffer into the level above (adding a pair level when the count has
     * doubled), then compacts the sorted levels lazily: lowest over its capacity first, only while
     * they together exceed their total capacity.
     */
    compress() {
        const target = this.targetStages();
        while (this.n0 >= this.inputSize() || this.stages < target) {
            const b = this.stages;
            this.ensureLevels(b + 2);
            this.syncSizes();
            this.compactLevel(b);
            this.n0 = this.sizes[b];
            if (b < target)
                this.addPairLevel();
        }
        let total = 0;
        for (let h = this.stages + 1; h < this.sizes.length; h++)
            total += this.sizes[h];
        while (this.levels.length > this.stages + 1 && total >= this.maxSize) {
            for (let h = this.stages + 1; h < this.levels.length; h++) {
                if (this.sizes[h] < this.capacities[h])
                    continue;
                this.ensureLevels(h + 2);
                total -= this.compactLevel(h);
                if (total < this.maxSize)
                    break;
            }
        }
        this.updateLimit0();
    }
    /** Turns the (just emptied) input level into a pair level; the level above becomes the input buffer. */
    addPairLevel() {
        const b = this.stages;
        if (this.n0 === 1) {
            this.pending[b] = this.buffer[0];
            this.pendingMask |= 1 << b;
        }
        this.sizes[b] = 0;
        this.stages = b + 1;
        this.buffer = this.levels[b + 1];
        this.n0 = this.sizes[b + 1];
        if (this.buffer.length < this.inputSize())
            this.growBuffer(this.inputSize());
        this.recomputeCapacities();
    }
    updateLimit0() {
        this.limit0 = Math.max(this.n0 + 1, this.inputSize());
        if (this.buffer.length < this.limit0)
            this.growBuffer(this.limit0);
    }
    /** Halves level h into level h+1; returns how many retained items that removed. */
    compactLevel(h) {
        const level = this.levels[h];
        const size = this.sizes[h];
        if (h === this.stages)
            level.subarray(0, size).sort();
        // With an odd size the smallest item stays behind.
        const start = size & 1;
        const pairs = (size - start) >>> 1;
        const offset = this.nextBit();
        // In place after the leftover: write index start+j never passes read index start+offset+2j.
        for (let j = 0; j < pairs; j++)
            level[start + j] = level[start + offset + 2 * j];
        this.mergeIntoLevel(h + 1, level, start, start + pairs);
        this.sizes[h] = start;
        return pairs;
    }
    /** Merges the sorted run src[from, to) into sorted level h. */
    mergeIntoLevel(h, src, from, to) {
        const a = this.sizes[h];
        const b = to - from;
        let dest = this.levels[h];
        if (dest.length < a + b) {
            const grown = new Float64Array(Math.max(2 * dest.length, a + b));
            grown.set(dest.subarray(0, a));
            this.levels[h] = dest = grown;
        }
        let i = a - 1;
        let j = to - 1;
        let w = a + b - 1;
        while (j >= from) {
            if (i >= 0 && dest[i] > src[j])
                dest[w--] = dest[i--];
            else
                dest[w--] = src[j--];
        }
        this.sizes[h] = a + b;
    }
    sortedView() {
        if (this.view !== null && this.view.count === this.n)
            return this.view;
        const items = this.items();
        items.sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
        const values = new Float64Array(items.length);
        const cumulative = new Float64Array(items.length);
        let sum = 0;
        items.forEach((item, i) => {
            values[i] = item.value;
            sum += item.weight;
            cumulative[i] = sum;
        });
        this.view = { count: this.n, values, cumulative };
        return this.view;
    }
}


/***/ }),

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


/***/ })

};

//# sourceMappingURL=922.index.js.map