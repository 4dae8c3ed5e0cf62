import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

export const trainSpec = defineAction({
  name: 'train',
  title: 'mlops train',
  description:
    'Run your training command reproducibly (in a process or a container), skip it when data, code and params are unchanged, and record the model, metrics, learning curve and a run manifest.',
  inputs: {
    command: {
      description:
        'The training command, run with bash in working-directory. Its stdout and stderr are streamed to the log and kept in a log file.',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    'working-directory': workingDirectoryInput('The directory the command runs in; relative paths are resolved against it.'),
    params: {
      description:
        'Hyperparameters: a YAML or JSON file path, or inline YAML; a mapping. Passed to the command as MLOPS_PARAMS (JSON) and MLOPS_PARAMS_FILE (a JSON file), and recorded in the run manifest.',
      schema: { type: 'string' },
    },
    'model-path': {
      description:
        'The file or folder the command must produce (a folder keeps model.onnx and model.onnx.data together). A successful command that did not produce it, or left a model from an earlier run there without rewriting any of its files, fails the step.',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    'metrics-file': {
      description:
        'A JSON file the command writes: flat {name: number}, or nested by split ({"validation": {"accuracy": 0.9}} becomes validation.accuracy). A file left from an earlier run that the command did not rewrite fails the step.',
      schema: { type: 'string' },
    },
    'container-image': {
      description:
        "Run the command inside this image on the Docker Engine (DOCKER_HOST), with the workspace bind-mounted at the same path, the runner's user id and the environment passed through. The image is never pulled.",
      schema: { type: 'string' },
    },
    gpus: {
      description: 'GPUs for the container: `all` or a count (Docker device requests). Only with container-image.',
      schema: { type: 'string', pattern: '^(all|[1-9][0-9]*)$' },
    },
    memory: {
      description:
        'Memory limit of the container, such as 4g, 512m or 2Gi (units k, m, g, t are powers of 1024; 4g, 4gb and 4Gi are the same). Only with container-image.',
      // What parseMemory (shared/docker/run-container.ts) reads: a number, then an optional unit, `i` and `b`.
      schema: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?([kmgtKMGT][iI]?)?[bB]?$' },
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
      description:
        "Skip the command when a run with the same fingerprint saved its outputs (Actions cache; .mlops/cache locally), and save them after a successful run. 'false' disables both.",
      default: 'true',
      schema: { type: 'boolean' },
    },
    'data-fingerprint': {
      description: "The data's fingerprint (validate-data's `fingerprint` output); part of the run's fingerprint.",
      schema: { type: 'string' },
    },
    'cache-key-files': {
      description:
        "Files or globs of code and config, one per line, whose contents are part of the fingerprint. Default: the working directory's files that git tracks or that are untracked but not ignored (every file outside git), except the model path, the metrics file, .mlops/, node_modules/, .git/, .github/ and Markdown files; the log lists them and warns about untracked ones.",
      format: 'lines',
      schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
    'artifact-name': {
      description:
        'Upload the model, metrics, other outputs, params, log and run manifest as one artifact of this name (.mlops/artifacts/ locally).',
      // GitHub's rules for artifact names (actions/upload-artifact), and not `.` or `..`: the local store makes it a folder.
      schema: { type: 'string', pattern: '^(?!\\.{1,2}$)[^\\\\/":<>|*?\\r\\n]+$' },
    },
    'run-name': {
      description: 'A name telling apart the runs of a matrix sweep; shown in the summary and recorded in the manifest.',
      schema: { type: 'string' },
    },
  },
  outputs: {
    'model-path': { description: 'Absolute path of the model file or folder (empty when the step failed).' },
    metrics: {
      description:
        'JSON object of the final metrics ({"validation.accuracy": 0.97, ...}): the metrics file, else the last value of each printed metric.',
    },
    'metrics-file': { description: 'Absolute path of the metrics file (empty when none was given or the step failed).' },
    manifest: {
      description:
        'Path to the run manifest (JSON): fingerprint, command, params, git commit, environment, GPUs, sha256 of every model file, timings.',
    },
    fingerprint: { description: 'sha256:<hex> of the data fingerprint, the cache-key files, the params, the command and the image.' },
    'cache-hit': { description: "'true' when the outputs were restored from the cache and the command did not run." },
    'duration-seconds': { description: 'Wall-clock seconds of the command (or of the restore on a cache hit).' },
    artifact: { description: 'Where the artifact was stored (empty without artifact-name).' },
  },
});

/** Inputs of train after parsing and validation. */
export type TrainInputs = InputsOf<typeof trainSpec>;
