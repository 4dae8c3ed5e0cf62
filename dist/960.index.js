export const id = 960;
export const ids = [960];
export const modules = {

/***/ 87960:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runInContainer: () => (/* binding */ runInContainer)
/* harmony export */ });
/* unused harmony exports CONTAINER_LABEL, parseMemory, gpuDeviceRequests, containerCreateOptions, describeEngine, checkDockerAvailable */
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46193);
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_string_decoder__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(39040);
/* harmony import */ var dockerode__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(dockerode__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);




/** Label put on every container this module creates, so leftovers can be found. */
const CONTAINER_LABEL = 'io.mlops-actions.run';
const UNIT_BYTES = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
// Docker refuses smaller limits with a less helpful message.
const MIN_MEMORY_BYTES = 6 * 1024 ** 2;
const STREAM_DRAIN_MS = 5_000;
const PING_TIMEOUT_MS = 10_000;
/**
 * Parses a memory limit as Docker does ('512m', '4g', '1.5G', '4gb', '2Gi', '1073741824' bytes; units are
 * powers of 1024). Returns bytes; throws InputError naming the `memory` input for anything else.
 */
function parseMemory(text) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
    if (!match) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`memory: '${text}' is not a memory size; expected a number with an optional unit b, k, m, g or t (for example '512m' or '4g')`);
    }
    const bytes = Math.floor(Number(match[1]) * UNIT_BYTES[match[2].toLowerCase()]);
    if (bytes < MIN_MEMORY_BYTES) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`memory: '${text}' is below Docker's minimum of 6m`);
    }
    return bytes;
}
/** The GPU device requests Docker's `--gpus all` / `--gpus N` make. Throws InputError for a bad count. */
function gpuDeviceRequests(gpus) {
    if (gpus !== 'all' && !(Number.isInteger(gpus) && gpus > 0)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`gpus: '${gpus}' is not valid; expected 'all' or a positive whole number of GPUs`);
    }
    return [{ Driver: 'nvidia', Count: gpus === 'all' ? -1 : gpus, Capabilities: [['gpu']] }];
}
/**
 * The options `docker create` gets for a run: host networking, bind mounts, user, limits and GPUs.
 * Throws InputError for an invalid memory, cpus, gpus or a relative mount path.
 */
function containerCreateOptions(options) {
    const hostConfig = {
        // Host networking: a training command reaches only what the runner itself reaches (127.0.0.1 in tests).
        NetworkMode: 'host',
        Binds: options.binds.map((bind) => {
            for (const path of [bind.host, bind.container]) {
                if (!path.startsWith('/'))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`container mount '${path}' is not an absolute path`);
            }
            return `${bind.host}:${bind.container}${bind.readOnly ? ':ro' : ''}`;
        }),
    };
    if (options.memory !== undefined) {
        hostConfig.Memory = parseMemory(options.memory);
        // Without it Docker adds as much swap again, which would double the limit the user asked for.
        hostConfig.MemorySwap = hostConfig.Memory;
    }
    if (options.cpus !== undefined) {
        if (!(Number.isFinite(options.cpus) && options.cpus > 0)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(`cpus: '${options.cpus}' is not valid; expected a positive number such as 2 or 0.5`);
        }
        hostConfig.NanoCpus = Math.round(options.cpus * 1e9);
    }
    if (options.gpus !== undefined)
        hostConfig.DeviceRequests = gpuDeviceRequests(options.gpus);
    return {
        Image: options.image,
        Cmd: ['bash', '-c', options.command],
        WorkingDir: options.workingDir,
        Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`),
        ...(options.user !== undefined ? { User: options.user } : {}),
        Tty: false,
        AttachStdout: true,
        AttachStderr: true,
        Labels: { [CONTAINER_LABEL]: 'true' },
        HostConfig: hostConfig,
    };
}
/** Where a Dockerode client connects, for error messages. */
function describeEngine(docker) {
    const modem = docker.modem;
    if (typeof modem.socketPath === 'string')
        return `unix://${modem.socketPath}`;
    if (modem.host)
        return `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
    return 'the default socket /var/run/docker.sock';
}
/**
 * Checks that the engine answers. Returns its version; throws ServiceError naming the endpoint
 * (socket or DOCKER_HOST) when it cannot be reached within 10 s.
 */
async function checkDockerAvailable(docker) {
    const where = describeEngine(docker);
    const how = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : 'DOCKER_HOST is not set';
    let timer;
    try {
        const version = await Promise.race([
            docker.version(),
            new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
            }),
        ]);
        return { version: version.Version, apiVersion: version.ApiVersion };
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `cannot reach the Docker Engine at ${where} (${how}): ${error.message}. Start dockerd, or set DOCKER_HOST to its socket (unix:///path/docker.sock).`, { cause: error });
    }
    finally {
        clearTimeout(timer);
    }
}
function statusCode(error) {
    return error.statusCode;
}
async function checkImagePresent(docker, image) {
    try {
        await docker.getImage(image).inspect();
    }
    catch (error) {
        if (statusCode(error) === 404) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `image ${image} is not on this Docker Engine (${describeEngine(docker)}); pull or build it in an earlier step (docker pull ${image}), since the train stage never pulls images itself`);
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `could not inspect image ${image}: ${error.message}`, { cause: error });
    }
}
function outputSink(stream, onOutput) {
    // One decoder per stream so a UTF-8 character split across frames is not mangled.
    const decoder = new node_string_decoder__WEBPACK_IMPORTED_MODULE_0__.StringDecoder('utf8');
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Writable({
        write(chunk, _encoding, done) {
            const text = decoder.write(chunk);
            if (text)
                onOutput(text, stream);
            done();
        },
        final(done) {
            const rest = decoder.end();
            if (rest)
                onOutput(rest, stream);
            done();
        },
    });
}
/**
 * Runs `bash -c command` in a new container and streams its output live. Returns the exit code
 * (137 after a timeout kill). The container is always removed, also on timeout and on errors.
 * Throws InputError for invalid limits, ServiceError when the engine is unreachable, the image is
 * not present (it is never pulled), or Docker refuses the container.
 */
async function runInContainer(options) {
    const createOptions = containerCreateOptions(options);
    const docker = options.docker ?? new (dockerode__WEBPACK_IMPORTED_MODULE_2___default())();
    await checkDockerAvailable(docker);
    await checkImagePresent(docker, options.image);
    let container;
    try {
        container = await docker.createContainer(createOptions);
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `could not create a container from ${options.image}: ${error.message}`, { cause: error });
    }
    let timer;
    try {
        const output = (await container.attach({ stream: true, stdout: true, stderr: true }));
        const stdout = outputSink('stdout', options.onOutput);
        const stderr = outputSink('stderr', options.onOutput);
        const outputEnded = new Promise((resolve) => {
            output.on('end', resolve);
            output.on('close', resolve);
            output.on('error', () => resolve());
        });
        docker.modem.demuxStream(output, stdout, stderr);
        // Wait is requested before start so an instant exit cannot be missed; 'next-exit' because the
        // default condition ('not-running') is already true of a container not yet started.
        const exited = container.wait({ condition: 'next-exit' });
        // Not awaited when start fails; the removal below then ends the wait with an error nobody needs.
        exited.catch(() => undefined);
        try {
            await container.start();
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `could not start the container from ${options.image}: ${error.message}`, { cause: error });
        }
        let timedOut = false;
        if (options.timeoutMs !== undefined) {
            timer = setTimeout(() => {
                timedOut = true;
                // Killing the container ends every process in it, however deep the tree.
                container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
            }, options.timeoutMs);
        }
        const { StatusCode } = await exited;
        clearTimeout(timer);
        await Promise.race([outputEnded, new Promise((resolve) => setTimeout(resolve, STREAM_DRAIN_MS).unref())]);
        stdout.end();
        stderr.end();
        return { exitCode: StatusCode, timedOut, containerId: container.id };
    }
    finally {
        clearTimeout(timer);
        await container.remove({ force: true, v: true }).catch((error) => {
            // 404: already gone; 409: removal already in progress.
            if (statusCode(error) !== 404 && statusCode(error) !== 409)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ServiceError */ ._('Docker', `could not remove container ${container.id}: ${error.message}`, { cause: error });
        });
    }
}


/***/ })

};

//# sourceMappingURL=960.index.js.map