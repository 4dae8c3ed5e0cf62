export const id = 934;
export const ids = [934];
export const modules = {

/***/ 6934:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: runCli

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/data/profile.ts + 2 modules
var profile = __webpack_require__(11922);
// EXTERNAL MODULE: ./shared/runtime/local.ts
var local = __webpack_require__(9706);
// EXTERNAL MODULE: ./shared/stage.ts + 1 modules
var stage = __webpack_require__(69407);
// EXTERNAL MODULE: ./shared/stages.ts + 3 modules
var stages = __webpack_require__(85962);
;// CONCATENATED MODULE: ./shared/cli/help.ts

function wrap(text, indent, width = 96) {
    const words = text.split(/\s+/);
    const lines = [];
    let line = '';
    for (const word of words) {
        if (line && line.length + word.length + 1 > width - indent.length) {
            lines.push(line);
            line = word;
        }
        else {
            line = line ? `${line} ${word}` : word;
        }
    }
    if (line)
        lines.push(line);
    return lines.map((l) => indent + l).join('\n');
}
/** `mlops --help`: the commands, from the stage schemas. */
function mainHelp() {
    const rows = stages/* stages */._.map(({ spec }) => `  ${spec.name.padEnd(16)} ${spec.description}`);
    return [
        'mlops: run the ML loop locally, with the same inputs and outputs as the GitHub Actions.',
        '',
        'Usage:',
        '  mlops <stage> --<input> <value> ...   run one stage (repeat a flag for list inputs)',
        '  mlops <stage> --help                  the stage\'s inputs and outputs',
        '  mlops profile merge A.json B.json ... merge data profiles of shards (JSON on stdout)',
        '',
        'Stages:',
        ...rows,
        '',
        'Global options:',
        '  --state-dir <dir>   where runs, artifacts and caches are kept (default .mlops)',
        '',
        'Outputs are printed as name=value lines on stdout; logs and annotations go to stderr.',
    ].join('\n');
}
/** `mlops <stage> --help`: inputs and outputs from the action's schema. */
function stageHelp(spec) {
    const inputs = Object.entries(spec.inputs).map(([name, input]) => {
        const tags = [input.required ? 'required' : undefined, input.default !== undefined ? `default: ${input.default}` : undefined]
            .filter(Boolean)
            .join(', ');
        return `  --${name}${tags ? ` (${tags})` : ''}\n${wrap(input.description, '      ')}`;
    });
    const outputs = Object.entries(spec.outputs).map(([name, output]) => `  ${name}\n${wrap(output.description, '      ')}`);
    return [`mlops ${spec.name}: ${spec.description}`, '', 'Inputs:', ...inputs, '', 'Outputs:', ...outputs].join('\n');
}

;// CONCATENATED MODULE: ./shared/cli/main.ts







/** A mistake in how the command was called: usage text follows, exit code 2. */
class UsageError extends Error {
}
function parseFlags(args, known) {
    const values = {};
    let help = false;
    let stateDir;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--help' || arg === '-h') {
            help = true;
            continue;
        }
        if (!arg.startsWith('--'))
            throw new UsageError(`unexpected argument '${arg}': inputs are given as --<input> <value>`);
        const eq = arg.indexOf('=');
        const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
        const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
        if (value === undefined)
            throw new UsageError(`--${name} needs a value`);
        if (name === 'state-dir') {
            stateDir = value;
            continue;
        }
        if (!known.has(name))
            throw new UsageError(`unknown input --${name}; expected one of ${[...known].map((k) => `--${k}`).join(', ')}`);
        // Repeating a flag builds a list input, one entry per line, as in a workflow file.
        values[name] = values[name] === undefined ? value : `${values[name]}\n${value}`;
    }
    return { values, help, stateDir };
}
async function profileCommand(args, out) {
    if (args[0] !== 'merge' || args.length < 2)
        throw new UsageError('usage: mlops profile merge A.json B.json ... > merged.json');
    const files = args.slice(1);
    const profiles = await Promise.all(files.map(async (file) => {
        const text = await (0,promises_.readFile)(file, 'utf8').catch(() => {
            throw new errors/* InputError */.d(`${file} does not exist or cannot be read`, { file });
        });
        return (0,profile/* parseProfile */.jZ)(text, file);
    }));
    out(`${JSON.stringify((0,profile/* mergeProfiles */.Ns)(profiles, files), null, 2)}\n`);
    return 0;
}
/** Runs the `mlops` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
async function runCli(argv, out = (t) => void process.stdout.write(t), err = (t) => void process.stderr.write(t)) {
    const [command, ...rest] = argv;
    try {
        if (!command || command === '--help' || command === '-h' || command === 'help') {
            out(`${mainHelp()}\n`);
            return command ? 0 : 2;
        }
        if (command === 'profile')
            return await profileCommand(rest, out);
        const entry = (0,stages/* findStage */.U)(command);
        if (!entry)
            throw new UsageError(`unknown command '${command}'; run mlops --help for the list`);
        const parsed = parseFlags(rest, new Set(Object.keys(entry.spec.inputs)));
        if (parsed.help) {
            out(`${stageHelp(entry.spec)}\n`);
            return 0;
        }
        const runtime = new local/* LocalRuntime */.k({ inputs: parsed.values, stateDir: parsed.stateDir, log: (line) => err(`${line}\n`) });
        const ok = await (0,stage.runStage)(entry.spec, await entry.load(), runtime);
        await runtime.recordRun(entry.spec.name);
        for (const [name, value] of Object.entries(runtime.outputs))
            out(`${name}=${value}\n`);
        return ok ? 0 : 1;
    }
    catch (error) {
        if (error instanceof UsageError) {
            err(`mlops: ${error.message}\n`);
            return 2;
        }
        if (error instanceof errors/* InputError */.d) {
            err(`error: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
}
/** The CLI entry's main program: the command line of this process. */
async function run() {
    process.exitCode = await runCli(process.argv.slice(2));
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

/***/ 9706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ newRunId),
/* harmony export */   k: () => (/* binding */ LocalRuntime)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _local_store_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(34626);




/** `file:line:column: message`, without repeating a file name the message already starts with. */
function located(message, at) {
    if (!at?.file)
        return message;
    const place = `${at.file}${at.line ? `:${at.line}` : ''}${at.column ? `:${at.column}` : ''}`;
    return message.startsWith(`${at.file}: `) ? `${place}: ${message.slice(at.file.length + 2)}` : `${place}: ${message}`;
}
/** A generated run id that sorts by time: 20261126T203000Z-1a2b3c. */
function newRunId() {
    return `${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
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
        this.workspace = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(options.workspace ?? process.cwd());
        this.stateDir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.workspace, options.stateDir ?? '.mlops');
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    }
    get runDir() {
        return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.stateDir, 'runs', this.runId);
    }
    input(name) {
        const value = this.options.inputs[name];
        return value === undefined || value === '' ? undefined : value;
    }
    setOutput(name, value) {
        this.outputs[name] = value;
    }
    async summary(markdown) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(this.runDir, { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.appendFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.runDir, 'summary.md'), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
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
        const location = await (0,_local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .storeLocalArtifact */ .V$)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.stateDir, 'artifacts'), name, files, rootDir);
        this.info(`Artifact ${name} stored in ${location} (no Actions artifact service here).`);
        return { name, location };
    }
    async restoreCache(paths, key, restoreKeys) {
        try {
            return await new _local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .LocalCache */ .Um((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.stateDir, 'cache'), this.workspace).restore(paths, key, restoreKeys);
        }
        catch (error) {
            this.warning(`Cache restore failed, continuing without it: ${error.message}`);
            return undefined;
        }
    }
    async saveCache(paths, key) {
        try {
            await new _local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .LocalCache */ .Um((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.stateDir, 'cache'), this.workspace).save(paths, key);
            return true;
        }
        catch (error) {
            this.warning(`Cache save failed, continuing: ${error.message}`);
            return false;
        }
    }
    /** Records the run's inputs and outputs under `.mlops/runs/<run-id>/`. */
    async recordRun(stage) {
        await (0,_local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .writeFileAtomic */ .Zf)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.runDir, 'run.json'), `${JSON.stringify({ stage, runId: this.runId, inputs: this.options.inputs, outputs: this.outputs, failed: this.failed ?? null }, null, 2)}\n`);
    }
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


/***/ }),

/***/ 69407:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runStage: () => (/* binding */ runStage)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(42463);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./shared/schemas/action-spec.ts
var action_spec = __webpack_require__(40107);
// EXTERNAL MODULE: ./shared/schemas/ajv-options.ts
var ajv_options = __webpack_require__(75597);
;// CONCATENATED MODULE: ./shared/schemas/inputs.ts





const inputs_ajv = new ajv.Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false, ...ajv_options/* runTimeAjvOptions */.O });
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
        validate = inputs_ajv.compile((0,action_spec/* inputsJsonSchema */.Z)(spec));
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


/***/ })

};

//# sourceMappingURL=934.index.js.map