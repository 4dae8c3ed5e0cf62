export const id = 928;
export const ids = [928];
export const modules = {

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

/***/ 34928:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commandEnvironment: () => (/* binding */ commandEnvironment),
  train: () => (/* binding */ train)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/runtime/local-store.ts
var local_store = __webpack_require__(34626);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./shared/train/environment.ts




/** The query the manifest's GPU facts come from. */
const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,uuid,memory.total,driver_version,compute_cap', '--format=csv,noheader,nounits'];
const DEFAULT_COLUMNS = ['index', 'name', 'uuid', 'memory.total', 'driver_version', 'compute_cap'];
/**
 * Parses `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output. With a header line the
 * columns are taken from it (units such as `[MiB]` dropped), without one they are those of
 * NVIDIA_SMI_ARGS. Returns one entry per GPU; lines it cannot read are skipped.
 */
function parseNvidiaSmiCsv(text) {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (lines.length === 0)
        return [];
    let columns = DEFAULT_COLUMNS;
    if (/^index\s*,/.test(lines[0])) {
        columns = lines.shift().split(',').map((c) => c.trim().replace(/\s*\[.*\]$/, ''));
    }
    const gpus = [];
    for (const line of lines) {
        // GPU names contain no commas; split on ", " as nvidia-smi writes it.
        const cells = line.split(',').map((c) => c.trim());
        if (cells.length < columns.length)
            continue;
        const get = (name) => cells[columns.indexOf(name)] ?? '';
        const index = Number(get('index'));
        if (!Number.isInteger(index))
            continue;
        const memory = Number.parseFloat(get('memory.total').replace(/\s*MiB$/, ''));
        gpus.push({
            index,
            name: get('name'),
            uuid: get('uuid'),
            memoryMiB: Number.isFinite(memory) ? memory : null,
            driverVersion: get('driver_version'),
            computeCapability: get('compute_cap'),
        });
    }
    return gpus;
}
function runQuietly(file, args) {
    return new Promise((done) => {
        (0,external_node_child_process_.execFile)(file, args, { timeout: 15_000 }, (error, stdout, stderr) => done(error ? undefined : `${stdout}${stderr}`.trim()));
    });
}
/** The executable `name` would run as (searched on PATH), or undefined; a path is checked as it is. */
function findExecutable(name, path = process.env.PATH ?? '') {
    const candidates = name.includes('/') ? [name] : path.split(external_node_path_.delimiter).filter(Boolean).map((dir) => (0,external_node_path_.join)(dir, name));
    for (const candidate of candidates) {
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/** GPUs from nvidia-smi; `[]` when nvidia-smi is not installed or finds no GPU (never a failure). */
async function detectGpus(nvidiaSmi = 'nvidia-smi') {
    // Looked up first: starting a process only to learn it does not exist costs start-up time.
    const found = findExecutable(nvidiaSmi);
    const output = found === undefined ? undefined : await runQuietly(found, NVIDIA_SMI_ARGS);
    return output === undefined ? [] : parseNvidiaSmiCsv(output);
}
/** The version of the `node` on PATH (which the command would run), without a process when it is this one. */
async function nodeOnPath() {
    const found = findExecutable('node');
    if (!found)
        return null;
    try {
        if ((0,external_node_fs_.realpathSync)(found) === (0,external_node_fs_.realpathSync)(process.execPath))
            return process.versions.node;
    }
    catch {
        return null;
    }
    return (await runQuietly(found, ['--version']))?.replace(/^v/, '') ?? null;
}
/** The first Python found (Debian's /usr/bin/python3, then python3 on PATH), or null. */
async function detectPython(candidates = ['/usr/bin/python3', 'python3']) {
    for (const path of candidates) {
        if (findExecutable(path) === undefined)
            continue;
        const output = await runQuietly(path, ['--version']);
        const version = output && /Python (\S+)/.exec(output)?.[1];
        if (version)
            return { path, version };
    }
    return null;
}
/** Facts about this machine for the run manifest: OS, CPU, memory, Node and Python versions, GPUs. */
async function describeEnvironment() {
    const [python, gpus, nodeVersion] = await Promise.all([detectPython(), detectGpus(), nodeOnPath()]);
    const cpuList = (0,external_node_os_.cpus)();
    return {
        os: { platform: (0,external_node_os_.platform)(), type: (0,external_node_os_.type)(), release: (0,external_node_os_.release)(), arch: (0,external_node_os_.arch)() },
        cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', count: cpuList.length },
        memoryBytes: (0,external_node_os_.totalmem)(),
        node: { action: process.versions.node, path: nodeVersion },
        python,
        gpus,
    };
}

// EXTERNAL MODULE: ./shared/digest.ts
var digest = __webpack_require__(35568);
;// CONCATENATED MODULE: ./shared/train/git.ts



/**
 * True when `cwd` or one of its parents holds `.git` (a folder, or a file for worktrees and
 * submodules). Checked before running git, so a folder outside any repository costs no process.
 */
function insideGitWorkTree(cwd) {
    let dir = (0,external_node_path_.resolve)(cwd);
    for (;;) {
        try {
            (0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, '.git'));
            return true;
        }
        catch {
            const parent = (0,external_node_path_.dirname)(dir);
            if (parent === dir)
                return false;
            dir = parent;
        }
    }
}
/** The trimmed stdout of `git args` in cwd, or null when git fails or is missing. */
function gitOutput(cwd, args, maxBuffer = 1024 * 1024) {
    return new Promise((done) => {
        (0,external_node_child_process_.execFile)('git', args, { cwd, timeout: 30_000, maxBuffer }, (error, stdout) => done(error ? null : stdout));
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./shared/train/params.ts




/**
 * Reads the `params` input: an existing file (YAML or JSON) is read, anything else is parsed as
 * inline YAML. Returns `{}` when not given. Throws InputError when the text is not YAML or not a mapping.
 */
async function readParams(value, cwd) {
    if (value === undefined || value.trim() === '')
        return { params: {}, source: { inline: true } };
    const candidate = value.trim();
    const isFile = !candidate.includes('\n') && (await (0,promises_.stat)((0,external_node_path_.resolve)(cwd, candidate)).catch(() => undefined))?.isFile() === true;
    const text = isFile ? await (0,promises_.readFile)((0,external_node_path_.resolve)(cwd, candidate), 'utf8') : value;
    const where = isFile ? `params file ${candidate}` : `inline params`;
    let data;
    try {
        data = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        const detail = error.linePos?.[0];
        throw new errors/* InputError */.d(`Input 'params': the ${where} is not valid YAML: ${error.message.split('\n')[0]}`, isFile ? { file: candidate, line: detail?.line, column: detail?.col } : {});
    }
    if (data === null || data === undefined)
        return { params: {}, source: isFile ? { file: candidate } : { inline: true } };
    if (typeof data !== 'object' || Array.isArray(data)) {
        const hint = isFile ? '' : ` (no file ${candidate} exists in ${cwd}, so it was read as inline YAML)`;
        throw new errors/* InputError */.d(`Input 'params': the ${where} is ${JSON.stringify(data)}${hint}; expected a mapping such as {epochs: 10, learning_rate: 0.01}.`, isFile ? { file: candidate } : {});
    }
    return { params: data, source: isFile ? { file: candidate } : { inline: true } };
}
/** JSON with object keys sorted at every level: the same params always give the same text. */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value) ?? 'null';
    if (value instanceof Date)
        return JSON.stringify(value.toISOString());
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

;// CONCATENATED MODULE: ./shared/train/fingerprint.ts







/** Folder names never part of the fingerprint: tools' state, installed packages, version control. */
const ALWAYS_EXCLUDED = new Set(['.git', 'node_modules', '.mlops']);
function toPosix(path) {
    return external_node_path_.sep === '/' ? path : path.split(external_node_path_.sep).join('/');
}
/** True when `path` (relative to cwd) is one of `excluded` (relative to cwd) or inside one of them. */
function isExcluded(path, excluded) {
    const parts = path.split('/');
    if (parts.some((p) => ALWAYS_EXCLUDED.has(p)))
        return true;
    return excluded.some((e) => path === e || path.startsWith(`${e}/`));
}
/** The files git tracks under cwd (relative to cwd), or undefined when cwd is not in a git work tree. */
async function gitTrackedFiles(cwd) {
    if (!insideGitWorkTree(cwd))
        return undefined;
    const output = await gitOutput(cwd, ['ls-files', '-z', '--cached'], 256 * 1024 * 1024);
    return output === null ? undefined : output.split('\0').filter(Boolean);
}
async function walkFiles(cwd, dir, out, excluded) {
    const entries = await (0,promises_.readdir)((0,external_node_path_.join)(cwd, dir), { withFileTypes: true });
    for (const entry of entries) {
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (isExcluded(path, excluded))
            continue;
        if (entry.isDirectory())
            await walkFiles(cwd, path, out, excluded);
        else if (entry.isFile())
            out.push(path);
        // Symbolic links are followed only to files, so a link to a parent cannot loop.
        else if (entry.isSymbolicLink() && (await (0,promises_.stat)((0,external_node_path_.join)(cwd, path)).catch(() => undefined))?.isFile())
            out.push(path);
    }
}
/**
 * The files whose contents go into the fingerprint, relative to cwd and sorted. With `patterns`
 * (files or globs): the files they match. Without: git's tracked files under cwd, or every file
 * when cwd is not in a git repository. `.git`, `node_modules`, `.mlops` and `excluded` paths
 * (relative to cwd) are left out either way. Throws InputError for a pattern that matches nothing.
 */
async function listKeyFiles(cwd, patterns, excluded) {
    const normalized = excluded.map((e) => toPosix(e).replace(/\/+$/, '')).filter((e) => e !== '' && e !== '.' && !e.startsWith('../'));
    const found = new Set();
    let source;
    if (patterns && patterns.length) {
        source = 'patterns';
        for (const pattern of patterns) {
            const matches = [];
            for await (const match of (0,promises_.glob)(pattern, { cwd }))
                matches.push(match);
            let count = 0;
            for (const match of matches) {
                const absolute = (0,external_node_path_.resolve)(cwd, match);
                const info = await (0,promises_.stat)(absolute).catch(() => undefined);
                if (!info)
                    continue;
                count++;
                const inside = toPosix((0,external_node_path_.relative)(cwd, absolute));
                if (info.isDirectory()) {
                    const nested = [];
                    await walkFiles(cwd, inside, nested, normalized);
                    nested.forEach((f) => found.add(f));
                }
                else if (!isExcluded(inside, normalized)) {
                    found.add(inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside) ? toPosix(absolute) : inside);
                }
            }
            // A pattern that only matches excluded files (the model, .mlops) is not a mistake; one that matches nothing is.
            if (count === 0)
                throw new errors/* InputError */.d(`Input 'cache-key-files': ${pattern} matches no file in ${cwd}.`);
        }
    }
    else {
        const tracked = await gitTrackedFiles(cwd);
        if (tracked) {
            source = 'git';
            for (const path of tracked) {
                if (isExcluded(path, normalized))
                    continue;
                // A tracked file deleted from the work tree is not part of what runs.
                if ((await (0,promises_.stat)((0,external_node_path_.join)(cwd, path)).catch(() => undefined))?.isFile())
                    found.add(path);
            }
        }
        else {
            source = 'walk';
            const files = [];
            await walkFiles(cwd, '', files, normalized);
            files.forEach((f) => found.add(f));
        }
    }
    return { files: [...found].sort(), source };
}
/** The sha256 of each file (paths relative to cwd), in the order given. */
async function hashKeyFiles(cwd, files) {
    const out = [];
    for (const path of files)
        out.push({ path, sha256: await (0,digest/* sha256OfFile */.V)((0,external_node_path_.resolve)(cwd, path)) });
    return out;
}
/**
 * The run's fingerprint, `sha256:<hex>`: the same data, code and config files, params (key order
 * ignored), command and image always give the same value; a change to any of them gives another.
 */
function trainFingerprint(parts) {
    const text = canonicalJson({
        version: 1,
        data: parts.dataFingerprint ?? null,
        files: [...parts.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.sha256]),
        params: parts.params,
        command: parts.command,
        image: parts.image ?? null,
    });
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(text).digest('hex')}`;
}

;// CONCATENATED MODULE: ./shared/train/manifest.ts

async function gitLine(cwd, args) {
    if (!insideGitWorkTree(cwd))
        return null;
    return (await gitOutput(cwd, args))?.trim() || null;
}
/**
 * The commit, ref and workflow run URL: from GITHUB_SHA, GITHUB_REF and GITHUB_SERVER_URL/
 * GITHUB_REPOSITORY/GITHUB_RUN_ID inside Actions; from `git rev-parse` in `cwd` elsewhere (null
 * when cwd is not in a git repository).
 */
async function describeSource(cwd, env = process.env) {
    const commit = env.GITHUB_SHA || (await gitLine(cwd, ['rev-parse', 'HEAD']));
    let ref = env.GITHUB_REF || null;
    if (!ref && commit) {
        const symbolic = await gitLine(cwd, ['symbolic-ref', '-q', 'HEAD']);
        ref = symbolic ?? null;
    }
    const workflowRunUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
        : null;
    return { commit: commit || null, ref, workflowRunUrl };
}

;// CONCATENATED MODULE: ./shared/train/metrics.ts

function typeName(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}
/**
 * Parses a metrics file: `{name: number}`, or one level of nesting by split (`{"validation":
 * {"accuracy": 0.9}}` → `validation.accuracy`). Throws InputError naming the file and the bad key.
 */
function parseMetricsFile(text, file) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* InputError */.d(`Metrics file ${file} is not valid JSON (${error.message}); expected {"name": number} or {"split": {"name": number}}.`, { file });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new errors/* InputError */.d(`Metrics file ${file} holds ${typeName(data)}; expected a JSON object such as {"accuracy": 0.93}.`, { file });
    }
    const flat = {};
    for (const [key, value] of Object.entries(data)) {
        if (typeof value === 'number') {
            if (!Number.isFinite(value))
                throw new errors/* InputError */.d(`Metrics file ${file}: "${key}" is ${value}; expected a finite number.`, { file });
            flat[key] = value;
        }
        else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
            for (const [name, inner] of Object.entries(value)) {
                if (typeof inner !== 'number' || !Number.isFinite(inner)) {
                    throw new errors/* InputError */.d(`Metrics file ${file}: "${key}.${name}" is ${typeName(inner)}; expected a number (metrics may be nested one level, by split).`, { file });
                }
                flat[`${key}.${name}`] = inner;
            }
        }
        else {
            throw new errors/* InputError */.d(`Metrics file ${file}: "${key}" is ${typeName(value)}; expected a number or an object of numbers (by split).`, { file });
        }
    }
    return flat;
}
const METRIC_PREFIX = 'mlops-metric';
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
/**
 * Parses one line of the command's output in the format `mlops-metric [step=N] name=value ...`.
 * Returns undefined for any other line, and for a metric line that is malformed (`problem` says why).
 */
function parseMetricLine(line) {
    const text = line.trim();
    if (!text.startsWith(`${METRIC_PREFIX} `) && text !== METRIC_PREFIX)
        return undefined;
    const values = {};
    let step;
    for (const pair of text.slice(METRIC_PREFIX.length).trim().split(/\s+/).filter(Boolean)) {
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const raw = pair.slice(eq + 1);
        const value = Number(raw);
        if (eq <= 0 || !NAME.test(name) || raw === '' || !Number.isFinite(value))
            return { problem: `"${pair}" is not name=number` };
        if (name === 'step') {
            if (!Number.isInteger(value) || value < 0)
                return { problem: `step=${raw} is not an integer >= 0` };
            step = value;
        }
        else {
            values[name] = value;
        }
    }
    if (Object.keys(values).length === 0)
        return { problem: 'no name=value pair' };
    return { step, values };
}
/** The metric lines of one run, collected as a learning curve. */
class LearningCurve {
    steps = [];
    /** Adds a line's values when it is a metric line; returns the problem of a malformed metric line. */
    addLine(line) {
        const parsed = parseMetricLine(line);
        if (parsed === undefined)
            return undefined;
        if ('problem' in parsed)
            return parsed.problem;
        // A line without step= continues from the previous one, so plain `mlops-metric loss=…` lines still plot.
        const step = parsed.step ?? (this.steps.length ? (this.steps.at(-1).step ?? this.steps.length - 1) + 1 : 0);
        this.steps.push({ step, values: parsed.values });
        return undefined;
    }
    /** The names of every metric printed, in order of first appearance. */
    names() {
        const names = new Set();
        for (const s of this.steps)
            for (const name of Object.keys(s.values))
                names.add(name);
        return [...names];
    }
    /** The last value printed for each metric. */
    last() {
        const last = {};
        for (const s of this.steps)
            Object.assign(last, s.values);
        return last;
    }
    toJSON() {
        return this.steps.map((s) => ({ step: s.step ?? 0, values: s.values }));
    }
    static fromJSON(data) {
        const curve = new LearningCurve();
        for (const s of data)
            curve.steps.push({ step: s.step, values: { ...s.values } });
        return curve;
    }
}

;// CONCATENATED MODULE: ./shared/train/output-files.ts



const SKIPPED = new Set(['.git', 'node_modules', '.mlops']);
/**
 * Records size and mtime of every file under `cwd` (relative paths), skipping `.git`, `node_modules`,
 * `.mlops` and `excluded` folders (relative to cwd). Symbolic links are not followed.
 */
async function snapshotFiles(cwd, excluded = []) {
    const snapshot = new Map();
    const walk = async (dir) => {
        const entries = await (0,promises_.readdir)((0,external_node_path_.join)(cwd, dir), { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
            const path = dir ? `${dir}/${entry.name}` : entry.name;
            if (SKIPPED.has(entry.name) || excluded.includes(path))
                continue;
            if (entry.isDirectory())
                await walk(path);
            else if (entry.isFile()) {
                const info = await (0,promises_.lstat)((0,external_node_path_.join)(cwd, path)).catch(() => undefined);
                if (info)
                    snapshot.set(path, `${info.size}:${info.mtimeMs}:${info.ino}`);
            }
        }
    };
    await walk('');
    return snapshot;
}
/** The files of `after` that are new or changed since `before`, sorted. */
function changedFiles(before, after) {
    return [...after].filter(([path, state]) => before.get(path) !== state).map(([path]) => path).sort();
}
/**
 * The files of a model: the file itself, or every file under the folder (sorted, relative to cwd).
 * Returns undefined when the path does not exist.
 */
async function listModelFiles(cwd, modelPath) {
    const info = await (0,promises_.stat)((0,external_node_path_.join)(cwd, modelPath)).catch(() => undefined);
    if (!info)
        return undefined;
    if (!info.isDirectory())
        return [modelPath];
    const files = [];
    const walk = async (dir) => {
        for (const entry of await (0,promises_.readdir)((0,external_node_path_.join)(cwd, dir), { withFileTypes: true })) {
            const path = `${dir}/${entry.name}`;
            if (entry.isDirectory())
                await walk(path);
            else if (entry.isFile() || ((await (0,promises_.stat)((0,external_node_path_.join)(cwd, path)).catch(() => undefined))?.isFile() ?? false))
                files.push(path);
        }
    };
    await walk(modelPath);
    return files.sort();
}
/** Size and sha256 of each file (paths relative to cwd). */
async function hashFiles(cwd, paths) {
    const out = [];
    for (const path of paths) {
        const absolute = (0,external_node_path_.join)(cwd, path);
        const info = await (0,promises_.stat)(absolute);
        out.push({ path, bytes: info.size, sha256: `sha256:${await (0,digest/* sha256OfFile */.V)(absolute)}` });
    }
    return out;
}
/** Places a copy of `source` at `target`: a hard link when the file system allows (no bytes copied), else a copy. */
async function linkOrCopy(source, target) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
    try {
        await (0,promises_.link)(source, target);
    }
    catch {
        await (0,promises_.copyFile)(source, target);
    }
}

;// CONCATENATED MODULE: ./shared/train/output-cache.ts



/**
 * The folder a cache entry is staged in. Its path is the same in every run with this fingerprint
 * (the Actions cache ties an entry to its paths), inside the workspace (the local cache only takes
 * paths there), and under `.mlops` so no fingerprint or snapshot ever includes it.
 */
function cacheStagingDir(runtime, fingerprintHex) {
    const inside = (0,external_node_path_.relative)(runtime.workspace, runtime.stateDir);
    const base = inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside) ? (0,external_node_path_.join)(runtime.workspace, '.mlops') : runtime.stateDir;
    return (0,external_node_path_.join)(base, 'train-cache', fingerprintHex);
}
/** Removes a staging folder, and the folders above it that it leaves empty (rmdir keeps anything non-empty). */
async function removeStaging(staging) {
    await (0,promises_.rm)(staging, { recursive: true, force: true });
    const parent = (0,external_node_path_.dirname)(staging);
    await (0,promises_.rmdir)(parent).then(() => (0,promises_.rmdir)((0,external_node_path_.dirname)(parent)), () => undefined).catch(() => undefined);
}
async function moveFile(source, target) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
    await (0,promises_.rm)(target, { recursive: true, force: true });
    try {
        await (0,promises_.rename)(source, target);
    }
    catch {
        await (0,promises_.copyFile)(source, target);
    }
}
/**
 * Saves the outputs of a successful run (files relative to cwd) under `key`. Returns whether the
 * cache took them; like every cache operation, failures only warn.
 */
async function saveTrainOutputs(runtime, options) {
    const { cwd, key, staging, record } = options;
    await (0,promises_.rm)(staging, { recursive: true, force: true });
    try {
        for (const [index, path] of record.files.entries())
            await linkOrCopy((0,external_node_path_.join)(cwd, path), (0,external_node_path_.join)(staging, 'files', String(index)));
        await (0,promises_.writeFile)((0,external_node_path_.join)(staging, 'record.json'), JSON.stringify(record));
        return await runtime.saveCache([staging], key);
    }
    catch (error) {
        runtime.warning(`Could not stage the outputs for the cache, continuing without saving them: ${error.message}`);
        return false;
    }
    finally {
        await removeStaging(staging);
    }
}
/**
 * Restores the outputs saved under `key` into cwd: the model path is replaced as a whole (no stale
 * file of an earlier model survives), every other output file is put back. Returns the cached run,
 * or undefined on a miss or an unusable entry (then nothing in cwd has changed).
 */
async function restoreTrainOutputs(runtime, options) {
    const { cwd, key, staging } = options;
    await (0,promises_.rm)(staging, { recursive: true, force: true });
    try {
        const matched = await runtime.restoreCache([staging], key);
        if (matched !== key)
            return undefined;
        let record;
        try {
            record = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(staging, 'record.json'), 'utf8'));
            if (record.version !== 1 || !Array.isArray(record.files))
                throw new Error('unknown record format');
            for (const index of record.files.keys())
                await (0,promises_.stat)((0,external_node_path_.join)(staging, 'files', String(index)));
        }
        catch (error) {
            runtime.warning(`The cache entry ${key} is incomplete (${error.message}): training instead.`);
            return undefined;
        }
        await (0,promises_.rm)((0,external_node_path_.join)(cwd, record.modelPath), { recursive: true, force: true });
        for (const [index, path] of record.files.entries())
            await moveFile((0,external_node_path_.join)(staging, 'files', String(index)), (0,external_node_path_.join)(cwd, path));
        return record;
    }
    finally {
        await removeStaging(staging);
    }
}

;// CONCATENATED MODULE: ./shared/train/process-runner.ts



function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        // The group is already gone.
    }
}
/**
 * Runs `bash -c command` in its own process group, streaming its output. At the timeout the whole
 * group gets SIGTERM, then SIGKILL after `graceMs`, so no child survives. Resolves when bash has
 * exited; throws ServiceError when bash cannot be started.
 */
function runShellCommand(options) {
    return new Promise((resolvePromise, reject) => {
        let child;
        try {
            // detached: a new process group, so the timeout reaches every descendant, not only bash.
            child = (0,external_node_child_process_.spawn)('bash', ['-c', options.command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        }
        catch (error) {
            reject(new errors/* ServiceError */._('bash', `could not start the command in ${options.cwd}: ${error.message}`));
            return;
        }
        const pid = child.pid;
        let timedOut = false;
        let killTimer;
        const timer = options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                if (pid)
                    killGroup(pid, 'SIGTERM');
                killTimer = setTimeout(() => pid && killGroup(pid, 'SIGKILL'), options.graceMs ?? 10_000);
            }, options.timeoutMs);
        child.stdout.setEncoding('utf8').on('data', (text) => options.onOutput(text, 'stdout'));
        child.stderr.setEncoding('utf8').on('data', (text) => options.onOutput(text, 'stderr'));
        child.on('error', (error) => {
            clearTimeout(timer);
            clearTimeout(killTimer);
            reject(new errors/* ServiceError */._('bash', `could not run the command in ${options.cwd}: ${error.message}`));
        });
        child.on('exit', (code, signal) => {
            clearTimeout(timer);
            const exitCode = code ?? 128 + (signal ? (external_node_os_.constants.signals[signal] ?? 0) : 0);
            let finished = false;
            const finish = () => {
                if (finished)
                    return;
                finished = true;
                clearTimeout(killTimer);
                if (timedOut && pid)
                    killGroup(pid, 'SIGKILL');
                resolvePromise({ exitCode, timedOut });
            };
            // A background child may keep the pipes open after bash exits: read what is there, then stop waiting.
            if (child.stdout.readableEnded && child.stderr.readableEnded)
                finish();
            else {
                const wait = setTimeout(() => {
                    child.stdout.destroy();
                    child.stderr.destroy();
                    finish();
                }, 1000);
                child.on('close', () => {
                    clearTimeout(wait);
                    finish();
                });
            }
        });
    });
}
/** Splits streamed text into lines, per stream, keeping an unfinished line until the next chunk. */
class LineSplitter {
    onLine;
    pending = new Map();
    constructor(onLine) {
        this.onLine = onLine;
    }
    push(text, stream) {
        const parts = ((this.pending.get(stream) ?? '') + text).split(/\r?\n/);
        this.pending.set(stream, parts.pop());
        for (const line of parts)
            this.onLine(line, stream);
    }
    /** Hands over the unfinished lines (output that did not end with a newline). */
    flush() {
        for (const [stream, rest] of this.pending)
            if (rest !== '')
                this.onLine(rest, stream);
        this.pending.clear();
    }
}

// EXTERNAL MODULE: ./shared/report/escape.ts
var report_escape = __webpack_require__(46682);
// EXTERNAL MODULE: ./shared/report/mermaid.ts
var mermaid = __webpack_require__(16530);
;// CONCATENATED MODULE: ./shared/train/summary.ts


const MAX_CHART_POINTS = 100;
const MAX_CHARTS = 4;
function formatNumber(value) {
    if (Number.isInteger(value))
        return String(value);
    return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : value.toExponential(3);
}
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
/** A fenced code block that the content cannot close: the fence is longer than any backtick run in it. */
function codeBlock(text, language = 'text') {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}
/** Train and validation series of one metric share a chart: `loss` with `val_loss`, `accuracy` with `validation.accuracy`. */
function chartGroup(name) {
    return name.replace(/^(val|valid|validation|train|training|test|eval)[_.]/, '');
}
/** Evenly spaced indices (first and last included), so a long curve stays a readable chart. */
function sampleIndices(count, max) {
    if (count <= max)
        return [...Array(count).keys()];
    return [...new Set([...Array(max).keys()].map((i) => Math.round((i * (count - 1)) / (max - 1))))];
}
/** Mermaid line charts of the learning curve, one per group of related metrics (at most four). */
function learningCurveCharts(curve) {
    const groups = new Map();
    for (const name of curve.names()) {
        const key = chartGroup(name);
        groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    const charts = [];
    for (const [group, names] of [...groups].slice(0, MAX_CHARTS)) {
        // Carry the last value forward so series printed on different lines still line up by step.
        const last = {};
        const points = [];
        for (const s of curve.steps) {
            Object.assign(last, s.values);
            if (!names.some((n) => n in s.values) || !names.every((n) => n in last))
                continue;
            points.push({ step: s.step ?? points.length, values: names.map((n) => last[n]) });
        }
        if (points.length < 2)
            continue;
        const picked = sampleIndices(points.length, MAX_CHART_POINTS).map((i) => points[i]);
        const chart = (0,mermaid/* lineChart */.Tz)({
            title: group,
            steps: picked.map((p) => p.step),
            series: names.map((_, i) => picked.map((p) => p.values[i])),
            yLabel: group,
        });
        charts.push(`${chart}\n<sub>${names.map((n, i) => `line ${i + 1}: ${(0,report_escape/* escapeMarkdownText */.m)(n)}`).join(' · ')}; x: step</sub>`);
    }
    return charts;
}
/** The job summary of a train step, in Markdown (everything that came from the user escaped). */
function renderTrainSummary(facts) {
    const status = facts.outcome === 'failed' ? '❌ failed' : facts.outcome === 'restored' ? '♻️ restored from cache' : '✅ trained';
    const name = facts.runName ? ` (${(0,report_escape/* escapeMarkdownText */.m)(facts.runName)})` : '';
    const lines = [`## train${name}: ${status}`, ''];
    if (facts.failure)
        lines.push((0,report_escape/* escapeMarkdownText */.m)(facts.failure), '');
    const cache = !facts.cacheEnabled ? 'disabled' : facts.outcome === 'restored' ? 'hit: the command did not run' : 'miss';
    lines.push('| | |', '|---|---|', `| duration | ${facts.durationSeconds.toFixed(1)} s${facts.outcome === 'restored' ? ' (restore)' : ''} |`, `| cache | ${cache} |`, `| fingerprint | \`${facts.fingerprint}\` |`, `| model | ${(0,report_escape/* escapeMarkdownText */.m)(facts.modelPath)}${facts.modelFiles ? ` (${facts.modelFiles} file${facts.modelFiles === 1 ? '' : 's'}, ${formatBytes(facts.modelBytes)})` : ''} |`);
    if (facts.manifestPath)
        lines.push(`| manifest | ${(0,report_escape/* escapeMarkdownText */.m)(facts.manifestPath)} |`);
    lines.push('');
    const metricNames = Object.keys(facts.metrics);
    if (metricNames.length) {
        lines.push('### Metrics', '', '| metric | value |', '|---|---:|');
        for (const metric of metricNames)
            lines.push(`| ${(0,report_escape/* escapeMarkdownText */.m)(metric)} | ${formatNumber(facts.metrics[metric])} |`);
        lines.push('');
    }
    const charts = learningCurveCharts(facts.curve);
    if (charts.length) {
        lines.push(`### Learning curve (${facts.curve.steps.length} steps)`, '');
        for (const chart of charts)
            lines.push(chart, '');
    }
    if (facts.outcome === 'failed' && facts.logTail.length) {
        lines.push(`### Log (last ${facts.logTail.length} lines)`, '', codeBlock(facts.logTail.join('\n')), '');
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./shared/train/train.ts















const LOG_TAIL_LINES = 40;
const FAILURE_MESSAGE_LINES = 10;
/** Variables of the runner that the user's command has no business with (tokens, this step's inputs). */
const RUNNER_ONLY = /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_RUNTIME_URL|ACTIONS_RESULTS_URL|ACTIONS_CACHE_URL|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL)$/;
/** Variables that describe the host, not the container: the image's own values must win. */
const HOST_ONLY = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'TMPDIR', 'TMP', 'TEMP', 'LD_LIBRARY_PATH', 'LD_PRELOAD', '_']);
/**
 * The environment of the training command: the runner's (minus its tokens and this step's inputs,
 * and minus host-only variables in a container) plus the MLOPS_* variables.
 */
function commandEnvironment(base, mlops, inContainer) {
    const env = {};
    for (const [name, value] of Object.entries(base)) {
        if (value === undefined || RUNNER_ONLY.test(name) || (inContainer && HOST_ONLY.has(name)))
            continue;
        env[name] = value;
    }
    // An arbitrary user id has no home in the image; tools that write caches there need a writable one.
    if (inContainer)
        env.HOME = '/tmp';
    return { ...env, ...mlops };
}
function train_toPosix(path) {
    return external_node_path_.sep === '/' ? path : path.split(external_node_path_.sep).join('/');
}
/** A path input as a path relative to cwd; throws InputError when it leaves the working directory. */
function pathInside(input, value, cwd) {
    const inside = train_toPosix((0,external_node_path_.relative)(cwd, (0,external_node_path_.resolve)(cwd, value)));
    if (inside === '' || inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside)) {
        throw new errors/* InputError */.d(`Input '${input}' is ${JSON.stringify(value)}: expected a path inside the working directory ${cwd}.`);
    }
    return inside;
}
/** True when `inner` is `outer` or inside it. */
function isWithin(outer, inner) {
    const rel = (0,external_node_path_.relative)(outer, inner);
    return rel === '' || (!rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel));
}
/** Keeps the last lines of the log for the summary and the failure message. */
class LogTail {
    lines = [];
    push(line) {
        this.lines.push(line);
        if (this.lines.length > LOG_TAIL_LINES)
            this.lines.shift();
    }
}
/** Where earlier runs' outputs in this working directory are listed, so they never count as code. */
function outputsRecordPath(stateDir, cwd) {
    return (0,external_node_path_.join)(stateDir, 'train', `outputs-${(0,external_node_crypto_.createHash)('sha256').update(cwd).digest('hex').slice(0, 16)}.json`);
}
async function readRecordedOutputs(path) {
    try {
        const list = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
        return Array.isArray(list) ? list.filter((p) => typeof p === 'string') : [];
    }
    catch {
        return [];
    }
}
async function runTrainingCommand(options) {
    const { inputs, cwd, runtime, env, onOutput } = options;
    const timeoutMs = inputs['timeout-minutes'] === undefined ? undefined : Math.round(inputs['timeout-minutes'] * 60_000);
    const image = inputs['container-image'];
    if (!image) {
        if (inputs.gpus || inputs.memory || inputs.cpus)
            runtime.warning('gpus, memory and cpus apply only with container-image; they are ignored for a command run as a process.');
        return runShellCommand({ command: inputs.command, cwd, env, timeoutMs, onOutput });
    }
    // Loaded on demand: dockerode is large and most runs use no container.
    const { runInContainer } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(40), __webpack_require__.e(960)]).then(__webpack_require__.bind(__webpack_require__, 87960));
    const binds = [{ host: runtime.workspace, container: runtime.workspace }];
    if (!isWithin(runtime.workspace, cwd))
        binds.push({ host: cwd, container: cwd });
    if (!isWithin(runtime.workspace, options.runDir))
        binds.push({ host: options.runDir, container: options.runDir, readOnly: true });
    const user = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid()}` : undefined;
    runtime.info(`Running in container image ${image} as ${user ?? 'the image user'}, ${runtime.workspace} mounted at the same path.`);
    const result = await runInContainer({
        image,
        command: inputs.command,
        workingDir: cwd,
        binds,
        env,
        user,
        gpus: inputs.gpus === undefined ? undefined : inputs.gpus === 'all' ? 'all' : Number(inputs.gpus),
        memory: inputs.memory,
        cpus: inputs.cpus,
        timeoutMs,
        onOutput,
    });
    return { exitCode: result.exitCode, timedOut: result.timedOut };
}
function sum(files) {
    return files.reduce((total, f) => total + f.bytes, 0);
}
/**
 * The train stage: runs the user's command (in a process group or a container) unless a run with
 * the same fingerprint left its outputs in the cache, then records the model's file hashes, the
 * metrics, the learning curve and a run manifest, and uploads them as an artifact when asked.
 * Returns a failure (with the log's tail) when the command fails, times out or produces no model;
 * throws InputError for bad inputs and a malformed metrics file.
 */
async function train(inputs, runtime) {
    const start = new Date();
    const cwd = (0,external_node_path_.resolve)(runtime.workspace, inputs['working-directory']);
    if (!(await (0,promises_.stat)(cwd).catch(() => undefined))?.isDirectory()) {
        throw new errors/* InputError */.d(`Input 'working-directory' is ${JSON.stringify(inputs['working-directory'])}: ${cwd} is not a directory.`);
    }
    const modelPath = pathInside('model-path', inputs['model-path'], cwd);
    const metricsPath = inputs['metrics-file'] ? pathInside('metrics-file', inputs['metrics-file'], cwd) : undefined;
    const { params, source: paramsSource } = await readParams(inputs.params, cwd);
    const facts = Promise.all([describeEnvironment(), describeSource(cwd)]);
    const runDir = (0,external_node_path_.join)(runtime.stateDir, 'runs', runtime.runId, 'train');
    await (0,promises_.mkdir)(runDir, { recursive: true });
    const paramsFile = (0,external_node_path_.join)(runDir, 'params.json');
    const logFile = (0,external_node_path_.join)(runDir, 'train.log');
    const manifestFile = (0,external_node_path_.join)(runDir, 'manifest.json');
    await (0,local_store/* writeFileAtomic */.Zf)(paramsFile, `${JSON.stringify(params, null, 2)}\n`);
    const stateInside = isWithin(cwd, runtime.stateDir) ? train_toPosix((0,external_node_path_.relative)(cwd, runtime.stateDir)) : undefined;
    const recordPath = outputsRecordPath(runtime.stateDir, cwd);
    const baseExcluded = [modelPath, ...(metricsPath ? [metricsPath] : []), ...(stateInside ? [stateInside] : [])];
    let keyList = await listKeyFiles(cwd, inputs['cache-key-files'], baseExcluded);
    // Git-tracked files are code by definition. Outside git, files an earlier run here wrote
    // (predictions, reports) are outputs, not code: they would change the fingerprint of the next run.
    if (keyList.source !== 'git') {
        const earlierOutputs = await readRecordedOutputs(recordPath);
        if (earlierOutputs.length)
            keyList = { ...keyList, files: keyList.files.filter((f) => !earlierOutputs.includes(f)) };
    }
    let keyFiles = await hashKeyFiles(cwd, keyList.files);
    const fingerprintOf = (files) => trainFingerprint({ dataFingerprint: inputs['data-fingerprint'], files, params, command: inputs.command, image: inputs['container-image'] });
    let fingerprint = fingerprintOf(keyFiles);
    let cacheKey = `mlops-train-${fingerprint.slice('sha256:'.length)}`;
    runtime.info(`Fingerprint ${fingerprint} over ${keyFiles.length} file${keyFiles.length === 1 ? '' : 's'} (${keyList.source === 'git' ? 'git-tracked' : keyList.source === 'walk' ? 'every file' : 'cache-key-files'}), the params, the command${inputs['data-fingerprint'] ? ', the data fingerprint' : ''}${inputs['container-image'] ? ' and the image' : ''}.`);
    const baseManifest = (environment, sourceFacts) => ({
        kind: 'mlops-train-manifest',
        version: 1,
        runId: runtime.runId,
        runName: inputs['run-name'] ?? null,
        fingerprint,
        cacheKey,
        command: inputs.command,
        workingDirectory: cwd,
        containerImage: inputs['container-image'] ?? null,
        params,
        paramsSource: 'file' in paramsSource ? paramsSource.file : inputs.params ? 'inline' : null,
        dataFingerprint: inputs['data-fingerprint'] ?? null,
        keyFiles: { source: keyList.source, files: keyFiles },
        git: { commit: sourceFacts.commit, ref: sourceFacts.ref },
        workflowRunUrl: sourceFacts.workflowRunUrl,
        environment,
        metricsFile: metricsPath ? (0,external_node_path_.join)(cwd, metricsPath) : null,
        log: logFile,
    });
    const finish = async (manifest, curve, outcome, logTail, failure) => {
        await (0,local_store/* writeFileAtomic */.Zf)(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
        let artifact = '';
        if (inputs['artifact-name'])
            artifact = await uploadRunArtifact(runtime, inputs['artifact-name'], cwd, runDir, manifest);
        await runtime.summary(renderTrainSummary({
            runName: inputs['run-name'],
            outcome,
            failure,
            fingerprint,
            cacheKey,
            cacheEnabled: inputs.cache,
            durationSeconds: manifest.durationSeconds,
            modelPath: modelPath,
            modelFiles: manifest.model.files.length,
            modelBytes: sum(manifest.model.files),
            metrics: manifest.metrics,
            curve,
            logTail,
            manifestPath: manifestFile,
        }));
        return {
            outputs: {
                'model-path': (0,external_node_path_.join)(cwd, modelPath),
                metrics: JSON.stringify(manifest.metrics),
                'metrics-file': metricsPath ? (0,external_node_path_.join)(cwd, metricsPath) : '',
                manifest: manifestFile,
                fingerprint,
                'cache-hit': outcome === 'restored',
                'duration-seconds': manifest.durationSeconds,
                artifact,
            },
            failure,
        };
    };
    if (inputs.cache) {
        const restoreStarted = performance.now();
        const cached = await restoreTrainOutputs(runtime, { cwd, key: cacheKey, staging: cacheStagingDir(runtime, fingerprint.slice('sha256:'.length)) });
        if (cached) {
            const durationSeconds = Math.round(performance.now() - restoreStarted) / 1000;
            runtime.info(`Cache hit (${cacheKey}): restored ${cached.files.length} file${cached.files.length === 1 ? '' : 's'} of run ${cached.manifest.runId} in ${durationSeconds.toFixed(2)} s; the command did not run.`);
            await (0,local_store/* writeFileAtomic */.Zf)(logFile, `Cache hit ${cacheKey}: the outputs of run ${cached.manifest.runId} were restored and the command did not run.\n`);
            await (0,local_store/* writeFileAtomic */.Zf)(recordPath, JSON.stringify(cached.files));
            const [environment, sourceFacts] = await facts;
            const original = cached.manifest;
            const manifest = {
                ...baseManifest(environment, sourceFacts),
                cacheHit: true,
                start: start.toISOString(),
                end: new Date().toISOString(),
                durationSeconds,
                exitCode: null,
                timedOut: false,
                // Byte-identical to what the original run hashed: the entry's key is that run's fingerprint.
                model: { path: (0,external_node_path_.join)(cwd, modelPath), files: original.model.files },
                metrics: cached.metrics,
                learningCurveSteps: cached.curve.length,
                outputs: original.outputs,
                restoredFrom: { runId: original.runId, start: original.start, end: original.end, durationSeconds: original.durationSeconds, git: original.git },
            };
            return finish(manifest, LearningCurve.fromJSON(cached.curve), 'restored', []);
        }
        runtime.info(`Cache miss (${cacheKey}): training.`);
    }
    const before = await snapshotFiles(cwd, stateInside ? [stateInside] : []);
    const log = (0,external_node_fs_.createWriteStream)(logFile);
    const tail = new LogTail();
    const curve = new LearningCurve();
    const splitter = new LineSplitter((line) => {
        runtime.info(line);
        log.write(`${line}\n`);
        tail.push(line);
        const problem = curve.addLine(line);
        if (problem)
            runtime.warning(`Ignored a malformed mlops-metric line (${problem}): ${line}`);
    });
    const env = commandEnvironment(process.env, {
        MLOPS_PARAMS: canonicalJson(params),
        MLOPS_PARAMS_FILE: paramsFile,
        MLOPS_RUN_ID: runtime.runId,
        MLOPS_MODEL_PATH: (0,external_node_path_.join)(cwd, modelPath),
        ...(metricsPath ? { MLOPS_METRICS_FILE: (0,external_node_path_.join)(cwd, metricsPath) } : {}),
        ...(inputs['run-name'] ? { MLOPS_RUN_NAME: inputs['run-name'] } : {}),
    }, inputs['container-image'] !== undefined);
    runtime.info(`Running: ${inputs.command}`);
    const commandStarted = performance.now();
    let result;
    try {
        result = await runTrainingCommand({ inputs, cwd, runtime, env, runDir, onOutput: (text, stream) => splitter.push(text, stream) });
    }
    finally {
        splitter.flush();
        await new Promise((done) => log.end(done));
    }
    const durationSeconds = Math.round(performance.now() - commandStarted) / 1000;
    const [environment, sourceFacts] = await facts;
    const modelFileList = await listModelFiles(cwd, modelPath);
    let failure;
    const lastLines = () => tail.lines.slice(-FAILURE_MESSAGE_LINES).join('\n');
    if (result.timedOut) {
        const minutes = inputs['timeout-minutes'];
        failure = `The command was killed after ${minutes} minute${minutes === 1 ? '' : 's'} (timeout-minutes), with every process it started${inputs['container-image'] ? ' (the container was killed)' : ''}. Last lines of the log:\n${lastLines()}`;
    }
    else if (result.exitCode !== 0) {
        failure = `The command exited with code ${result.exitCode} after ${durationSeconds.toFixed(1)} s. Last lines of the log:\n${lastLines()}`;
    }
    else if (!modelFileList) {
        failure = `The command succeeded but did not write model-path ${modelPath} (looked for ${(0,external_node_path_.join)(cwd, modelPath)}).`;
    }
    else if (modelFileList.length === 0) {
        failure = `The command succeeded but model-path ${modelPath} is an empty folder.`;
    }
    let metrics = curve.last();
    let metricsError;
    if (!failure && metricsPath) {
        const text = await (0,promises_.readFile)((0,external_node_path_.join)(cwd, metricsPath), 'utf8').catch(() => undefined);
        if (text === undefined)
            failure = `The command succeeded but did not write metrics-file ${metricsPath} (looked for ${(0,external_node_path_.join)(cwd, metricsPath)}).`;
        else {
            try {
                metrics = parseMetricsFile(text, metricsPath);
            }
            catch (error) {
                if (!(error instanceof errors/* InputError */.d))
                    throw error;
                metricsError = error;
                failure = error.message;
            }
        }
    }
    const modelFiles = failure || !modelFileList ? [] : await hashFiles(cwd, modelFileList);
    const produced = failure ? [] : changedFiles(before, await snapshotFiles(cwd, stateInside ? [stateInside] : []));
    const modelSet = new Set(modelFileList ?? []);
    const otherOutputs = failure ? [] : await hashFiles(cwd, produced.filter((p) => !modelSet.has(p) && p !== metricsPath));
    const manifest = {
        ...baseManifest(environment, sourceFacts),
        cacheHit: false,
        start: start.toISOString(),
        end: new Date().toISOString(),
        durationSeconds,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        model: { path: (0,external_node_path_.join)(cwd, modelPath), files: modelFiles },
        metrics: failure ? {} : metrics,
        learningCurveSteps: curve.steps.length,
        outputs: otherOutputs,
        restoredFrom: null,
    };
    if (failure) {
        const outcome = await finish(manifest, curve, 'failed', tail.lines, failure);
        // A malformed metrics file is the user's mistake: reported against the file, as an InputError.
        if (metricsError)
            throw metricsError;
        return outcome;
    }
    const outputFiles = [...modelFiles.map((f) => f.path), ...(metricsPath ? [metricsPath] : []), ...otherOutputs.map((f) => f.path)];
    await (0,local_store/* writeFileAtomic */.Zf)(recordPath, JSON.stringify(outputFiles));
    if (keyList.source !== 'git' && keyFiles.some((f) => outputFiles.includes(f.path))) {
        // Outputs of an earlier run were lying here and counted as code: key the cache as the next run will see it.
        keyFiles = keyFiles.filter((f) => !outputFiles.includes(f.path));
        fingerprint = fingerprintOf(keyFiles);
        cacheKey = `mlops-train-${fingerprint.slice('sha256:'.length)}`;
        runtime.info(`${keyList.files.length - keyFiles.length} of the fingerprinted files were written by the command; without them the fingerprint is ${fingerprint}.`);
        Object.assign(manifest, { fingerprint, cacheKey, keyFiles: { source: keyList.source, files: keyFiles } });
    }
    runtime.info(`Trained in ${durationSeconds.toFixed(1)} s: ${modelFiles.length} model file${modelFiles.length === 1 ? '' : 's'}${otherOutputs.length ? `, ${otherOutputs.length} other output${otherOutputs.length === 1 ? '' : 's'} (${otherOutputs.map((f) => f.path).join(', ')})` : ''}.`);
    if (inputs.cache) {
        const record = { version: 1, fingerprint, files: outputFiles, modelPath, metricsFile: metricsPath ?? null, metrics, curve: curve.toJSON(), manifest };
        const staging = cacheStagingDir(runtime, fingerprint.slice('sha256:'.length));
        if (await saveTrainOutputs(runtime, { cwd, key: cacheKey, staging, record }))
            runtime.info(`Saved the outputs in the cache under ${cacheKey}.`);
    }
    return finish(manifest, curve, 'trained', tail.lines);
}
/** Uploads model, metrics, other outputs, params, log and manifest as one artifact; returns where it went. */
async function uploadRunArtifact(runtime, name, cwd, runDir, manifest) {
    // One folder laid out like the working directory, with the run's own files under mlops-train/.
    const root = (0,external_node_path_.join)(runDir, 'artifact');
    await (0,promises_.rm)(root, { recursive: true, force: true });
    const files = [];
    const add = async (source, path) => {
        if (!(await (0,promises_.stat)(source).catch(() => undefined)))
            return;
        await linkOrCopy(source, (0,external_node_path_.join)(root, path));
        files.push((0,external_node_path_.join)(root, path));
    };
    for (const file of manifest.model.files)
        await add((0,external_node_path_.join)(cwd, file.path), file.path);
    if (manifest.metricsFile)
        await add(manifest.metricsFile, train_toPosix((0,external_node_path_.relative)(cwd, manifest.metricsFile)));
    for (const file of manifest.outputs)
        await add((0,external_node_path_.join)(cwd, file.path), file.path);
    await add((0,external_node_path_.join)(runDir, 'params.json'), 'mlops-train/params.json');
    await add((0,external_node_path_.join)(runDir, 'train.log'), 'mlops-train/train.log');
    await add((0,external_node_path_.join)(runDir, 'manifest.json'), 'mlops-train/manifest.json');
    try {
        const stored = await runtime.uploadArtifact(name, files, root);
        return stored.location;
    }
    finally {
        await (0,promises_.rm)(root, { recursive: true, force: true });
    }
}


/***/ })

};

//# sourceMappingURL=928.index.js.map