export const id = 407;
export const ids = [407];
export const modules = {

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

//# sourceMappingURL=407.index.js.map