export const id = 864;
export const ids = [864];
export const modules = {

/***/ 20864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run),
  runCli: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/data/profile.ts + 2 modules
var profile = __webpack_require__(11922);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/runtime/local-store.ts
var local_store = __webpack_require__(34626);
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
        this.workspace = (0,external_node_path_.resolve)(options.workspace ?? process.cwd());
        this.stateDir = (0,external_node_path_.resolve)(this.workspace, options.stateDir ?? '.mlops');
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    }
    get runDir() {
        return (0,external_node_path_.join)(this.stateDir, 'runs', this.runId);
    }
    input(name) {
        const value = this.options.inputs[name];
        return value === undefined || value === '' ? undefined : value;
    }
    setOutput(name, value) {
        this.outputs[name] = value;
    }
    async summary(markdown) {
        await (0,promises_.mkdir)(this.runDir, { recursive: true });
        await (0,promises_.appendFile)((0,external_node_path_.join)(this.runDir, 'summary.md'), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
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
        const location = await (0,local_store/* storeLocalArtifact */.V$)((0,external_node_path_.join)(this.stateDir, 'artifacts'), name, files, rootDir);
        this.info(`Artifact ${name} stored in ${location} (no Actions artifact service here).`);
        return { name, location };
    }
    async restoreCache(paths, key, restoreKeys) {
        try {
            return await new local_store/* LocalCache */.Um((0,external_node_path_.join)(this.stateDir, 'cache'), this.workspace).restore(paths, key, restoreKeys);
        }
        catch (error) {
            this.warning(`Cache restore failed, continuing without it: ${error.message}`);
            return undefined;
        }
    }
    async saveCache(paths, key) {
        try {
            await new local_store/* LocalCache */.Um((0,external_node_path_.join)(this.stateDir, 'cache'), this.workspace).save(paths, key);
            return true;
        }
        catch (error) {
            this.warning(`Cache save failed, continuing: ${error.message}`);
            return false;
        }
    }
    /** Records the run's inputs and outputs under `.mlops/runs/<run-id>/`. */
    async recordRun(stage) {
        await (0,local_store/* writeFileAtomic */.Zf)((0,external_node_path_.join)(this.runDir, 'run.json'), `${JSON.stringify({ stage, runId: this.runId, inputs: this.options.inputs, outputs: this.outputs, failed: this.failed ?? null }, null, 2)}\n`);
    }
}

// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(42463);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
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

;// CONCATENATED MODULE: ./shared/schemas/evaluate.ts

const evaluateSpec = {
    name: 'evaluate',
    title: 'mlops evaluate',
    description: 'Compute classification or regression metrics with bootstrap confidence intervals, compare them with a baseline (paired), decide gate rules on the intervals, and report in the job summary and one pull-request comment.',
    inputs: {
        predictions: {
            description: 'Predictions to evaluate: a .csv, .tsv, .jsonl/.ndjson or .parquet file (csv, tsv, jsonl may be .gz) with a label column, a prediction column and optionally score columns. Give this or `metrics-file`.',
            schema: { type: 'string', minLength: 1 },
        },
        'metrics-file': {
            description: 'Metrics already computed, instead of `predictions`: a JSON object of metric name → number (or {value, low, high}), or the `report-json` of an earlier run.',
            schema: { type: 'string', minLength: 1 },
        },
        task: {
            description: '`classification` (binary or multiclass) or `regression`.',
            default: 'classification',
            schema: { type: 'string', enum: ['classification', 'regression'] },
        },
        'label-column': {
            description: 'The column holding the true label (or the true value, for regression).',
            default: 'label',
            schema: { type: 'string', minLength: 1 },
        },
        'prediction-column': {
            description: 'The column holding the predicted label (or value).',
            default: 'prediction',
            schema: { type: 'string', minLength: 1 },
        },
        'score-columns': {
            description: 'Score columns, one per line. Binary: one column, the score of the positive class. Multiclass: one probability column per class, named `score_<class>`; `score_*` takes every column with that prefix. Default: every `score_<class>` column, if there are any.',
            format: 'lines',
            schema: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
        'id-column': {
            description: 'A column identifying each row; the baseline\'s rows are matched to the candidate\'s by it (else by row order, after checking that the labels agree).',
            schema: { type: 'string', minLength: 1 },
        },
        'positive-class': {
            description: 'Binary classification: the positive class. Default: the greater label in scikit-learn\'s order ("1", "true", "yes").',
            schema: { type: 'string', minLength: 1 },
        },
        baseline: {
            description: 'The model to beat: its predictions (same formats and columns as `predictions`; deltas are paired when both are predictions on the same rows) or a metrics JSON file.',
            schema: { type: 'string', minLength: 1 },
        },
        gates: {
            description: 'Gate rules, one per line (e.g. `accuracy >= 0.9`, `f1_macro >= baseline - 0.005`, `recall[class=Gentoo] > 0.8`, `accuracy[island=Dream] >= 0.85`), or the path of a file holding them.',
            schema: { type: 'string' },
        },
        confidence: {
            description: 'Coverage of the bootstrap confidence intervals.',
            default: '0.95',
            schema: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        },
        'bootstrap-samples': {
            description: 'Number of bootstrap resamples; 0 turns intervals off (gates are then decided on point values).',
            default: '1000',
            schema: { type: 'integer', minimum: 0, maximum: 100000 },
        },
        seed: {
            description: 'Seed of the bootstrap resampling: the same seed gives the same intervals.',
            default: '0',
            schema: { type: 'integer', minimum: 0 },
        },
        'fail-on-inconclusive': {
            description: 'Fail the step when a gate is inconclusive (its interval straddles the threshold), not only when one fails.',
            default: 'false',
            schema: { type: 'boolean' },
        },
        slices: {
            description: 'Columns to compute every metric by, one per line: metric names become `accuracy[island=Dream]`.',
            format: 'lines',
            schema: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
        comment: {
            description: 'Pull-request comment: `auto` (on pull_request events), `always`, or `never`.',
            default: 'auto',
            schema: { type: 'string', enum: ['auto', 'always', 'never'] },
        },
        'comment-id': {
            description: 'Names this pipeline\'s comment, so that several pipelines in one pull request keep one comment each.',
            default: 'evaluate',
            schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' },
        },
        'github-token': {
            description: 'Token for commenting on the pull request.',
            default: '${{ github.token }}',
            schema: { type: 'string' },
        },
        'working-directory': workingDirectoryInput(),
    },
    outputs: {
        passed: { description: "'true' when the verdict is pass, or inconclusive and `fail-on-inconclusive` is false." },
        verdict: { description: '`pass`, `fail` or `inconclusive`.' },
        metrics: { description: 'JSON: metric name → {value, low, high} for the candidate.' },
        report: { description: 'Path to the Markdown report.' },
        'report-json': { description: 'Path to the JSON report: metrics of candidate, baseline and delta with intervals, gate decisions, confusion matrix.' },
        'comment-url': { description: 'URL of the pull-request comment, when one was written.' },
    },
};

;// CONCATENATED MODULE: ./shared/schemas/train.ts

const trainSpec = {
    name: 'train',
    title: 'mlops train',
    description: 'Run your training command reproducibly (in a process or a container), skip it when data, code and params are unchanged, and record the model, metrics, learning curve and a run manifest.',
    inputs: {
        command: {
            description: 'The training command, run with bash in working-directory. Its stdout and stderr are streamed to the log and kept in a log file.',
            required: true,
            schema: { type: 'string', minLength: 1 },
        },
        'working-directory': workingDirectoryInput('The directory the command runs in; relative paths are resolved against it.'),
        params: {
            description: 'Hyperparameters: a YAML or JSON file path, or inline YAML; a mapping. Passed to the command as MLOPS_PARAMS (JSON) and MLOPS_PARAMS_FILE (a JSON file), and recorded in the run manifest.',
            schema: { type: 'string' },
        },
        'model-path': {
            description: 'The file or folder the command must produce (a folder keeps model.onnx and model.onnx.data together). A successful command that did not produce it fails the step.',
            required: true,
            schema: { type: 'string', minLength: 1 },
        },
        'metrics-file': {
            description: 'A JSON file the command writes: flat {name: number}, or nested by split ({"validation": {"accuracy": 0.9}} becomes validation.accuracy).',
            schema: { type: 'string' },
        },
        'container-image': {
            description: 'Run the command inside this image on the Docker Engine (DOCKER_HOST), with the workspace bind-mounted at the same path, the runner\'s user id and the environment passed through. The image is never pulled.',
            schema: { type: 'string' },
        },
        gpus: {
            description: 'GPUs for the container: `all` or a count (Docker device requests). Only with container-image.',
            schema: { type: 'string', pattern: '^(all|[1-9][0-9]*)$' },
        },
        memory: {
            description: 'Memory limit of the container, such as 4g or 512m. Only with container-image.',
            schema: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?[bkmgBKMG]?$' },
        },
        cpus: {
            description: 'CPU limit of the container, such as 2 or 0.5. Only with container-image.',
            schema: { type: 'number', exclusiveMinimum: 0 },
        },
        'timeout-minutes': {
            description: 'At this limit the whole process tree (or the container) is killed and the step fails.',
            schema: { type: 'number', exclusiveMinimum: 0 },
        },
        cache: {
            description: "Skip the command when a run with the same fingerprint saved its outputs (Actions cache; .mlops/cache locally), and save them after a successful run. 'false' disables both.",
            default: 'true',
            schema: { type: 'boolean' },
        },
        'data-fingerprint': {
            description: "The data's fingerprint (validate-data's `fingerprint` output); part of the run's fingerprint.",
            schema: { type: 'string' },
        },
        'cache-key-files': {
            description: "Files or globs of code and config, one per line, whose contents are part of the fingerprint. Default: the working directory's git-tracked files (all files outside git), except the model path, the metrics file, .mlops/, node_modules/ and .git/.",
            format: 'lines',
            schema: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
        'artifact-name': {
            description: 'Upload the model, metrics, other outputs, params, log and run manifest as one artifact of this name (.mlops/artifacts/ locally).',
            schema: { type: 'string', pattern: '^[^\\\\/":<>|*?\\r\\n]+$' },
        },
        'run-name': {
            description: 'A name telling apart the runs of a matrix sweep; shown in the summary and recorded in the manifest.',
            schema: { type: 'string' },
        },
    },
    outputs: {
        'model-path': { description: 'Absolute path of the model file or folder.' },
        metrics: { description: 'JSON object of the final metrics ({"validation.accuracy": 0.97, ...}): the metrics file, else the last value of each printed metric.' },
        'metrics-file': { description: 'Absolute path of the metrics file (empty when none was given).' },
        manifest: { description: 'Path to the run manifest (JSON): fingerprint, command, params, git commit, environment, GPUs, sha256 of every model file, timings.' },
        fingerprint: { description: 'sha256:<hex> of the data fingerprint, the cache-key files, the params, the command and the image.' },
        'cache-hit': { description: "'true' when the outputs were restored from the cache and the command did not run." },
        'duration-seconds': { description: 'Wall-clock seconds of the command (or of the restore on a cache hit).' },
        artifact: { description: 'Where the artifact was stored (empty without artifact-name).' },
    },
};

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

;// CONCATENATED MODULE: ./shared/cli/stages.ts



const stages = {
    'validate-data': {
        spec: validateDataSpec,
        load: async () => (await Promise.all(/* import() */[__webpack_require__.e(453), __webpack_require__.e(843), __webpack_require__.e(311), __webpack_require__.e(647)]).then(__webpack_require__.bind(__webpack_require__, 73647))).validateData,
    },
    train: {
        spec: trainSpec,
        load: async () => (await __webpack_require__.e(/* import() */ 928).then(__webpack_require__.bind(__webpack_require__, 34928))).train,
    },
    evaluate: {
        spec: evaluateSpec,
        load: async () => (await Promise.all(/* import() */[__webpack_require__.e(232), __webpack_require__.e(453), __webpack_require__.e(311), __webpack_require__.e(73)]).then(__webpack_require__.bind(__webpack_require__, 35073))).evaluate,
    },
};

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
    const rows = Object.values(stages).map(({ spec }) => `  ${spec.name.padEnd(16)} ${spec.description}`);
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
        const entry = stages[command];
        if (!entry)
            throw new UsageError(`unknown command '${command}'; run mlops --help for the list`);
        const parsed = parseFlags(rest, new Set(Object.keys(entry.spec.inputs)));
        if (parsed.help) {
            out(`${stageHelp(entry.spec)}\n`);
            return 0;
        }
        const runtime = new LocalRuntime({ inputs: parsed.values, stateDir: parsed.stateDir, log: (line) => err(`${line}\n`) });
        const ok = await runStage(entry.spec, await entry.load(), runtime);
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


/***/ })

};
