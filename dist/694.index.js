export const id = 694;
export const ids = [694];
export const modules = {

/***/ 5694:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubRuntime: () => (/* binding */ GitHubRuntime)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(33838);
/* harmony import */ var _local_store_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(34626);
/* harmony import */ var _local_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9706);





function properties(at) {
    return { file: at?.file, startLine: at?.line, startColumn: at?.column, title: at?.title };
}
/** The runtime inside a GitHub Actions job: @actions/core, @actions/artifact, @actions/cache. */
class GitHubRuntime {
    kind = 'github';
    workspace = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(process.env.GITHUB_WORKSPACE ?? process.cwd());
    stateDir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(this.workspace, process.env.MLOPS_STATE_DIR ?? '.mlops');
    runId = process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${(0,_local_js__WEBPACK_IMPORTED_MODULE_4__/* .newRunId */ .F)()}` : (0,_local_js__WEBPACK_IMPORTED_MODULE_4__/* .newRunId */ .F)();
    input(name) {
        const value = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getInput */ .V4(name);
        return value === '' ? undefined : value;
    }
    setOutput(name, value) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .setOutput */ .uH(name, value);
    }
    async summary(markdown) {
        if (!process.env.GITHUB_STEP_SUMMARY) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq('GITHUB_STEP_SUMMARY is not set: the job summary goes to the log instead.');
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(markdown);
            return;
        }
        await _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .summary */ .z.addRaw(markdown, true).write();
    }
    info(message) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(message);
    }
    debug(message) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .debug */ .Yz(message);
    }
    warning(message, at) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(message, properties(at));
    }
    error(message, at) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .error */ .z3(message, properties(at));
    }
    notice(message, at) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .notice */ .lm(message, properties(at));
    }
    mask(secret) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .setSecret */ .Pq(secret);
    }
    fail(message, at) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .error */ .z3(message, properties(at));
        process.exitCode = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .ExitCode */ .yU.Failure;
    }
    event() {
        const path = process.env.GITHUB_EVENT_PATH;
        let payload = {};
        if (path) {
            try {
                payload = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8'));
            }
            catch (error) {
                _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Could not read the event payload ${path}: ${error.message}`);
            }
        }
        return { name: process.env.GITHUB_EVENT_NAME ?? 'unknown', payload };
    }
    async uploadArtifact(name, files, rootDir) {
        if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
            const location = await (0,_local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .storeLocalArtifact */ .V$)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.stateDir, 'artifacts'), name, files, rootDir);
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset: artifact ${name} stored in ${location} instead.`);
            return { name, location };
        }
        // Loaded lazily: the artifact client is large and most runs never upload.
        const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(110), __webpack_require__.e(913), __webpack_require__.e(518)]).then(__webpack_require__.bind(__webpack_require__, 56518));
        const result = await new DefaultArtifactClient().uploadArtifact(name, files.map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(rootDir, f)), rootDir);
        return { name, id: result.id, location: `artifact ${name} (id ${result.id ?? 'unknown'})` };
    }
    localCache() {
        return new _local_store_js__WEBPACK_IMPORTED_MODULE_3__/* .LocalCache */ .Um((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.stateDir, 'cache'), this.workspace);
    }
    async restoreCache(paths, key, restoreKeys) {
        try {
            const cache = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(110), __webpack_require__.e(91)]).then(__webpack_require__.bind(__webpack_require__, 18091));
            if (!cache.isFeatureAvailable()) {
                _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq('The Actions cache service is not available here: using .mlops/cache instead.');
                return await this.localCache().restore(paths, key, restoreKeys);
            }
            return await cache.restoreCache(paths, key, restoreKeys);
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Cache restore failed, continuing without it: ${error.message}`);
            return undefined;
        }
    }
    async saveCache(paths, key) {
        try {
            const cache = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(110), __webpack_require__.e(91)]).then(__webpack_require__.bind(__webpack_require__, 18091));
            if (!cache.isFeatureAvailable()) {
                _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq('The Actions cache service is not available here: using .mlops/cache instead.');
                await this.localCache().save(paths, key);
                return true;
            }
            await cache.saveCache(paths, key);
            return true;
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Cache save failed, continuing: ${error.message}`);
            return false;
        }
    }
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


/***/ })

};

//# sourceMappingURL=694.index.js.map