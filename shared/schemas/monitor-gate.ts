import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

/** `90`, `30s`, `5m`, `1h`, `500ms`, `1.5h`: seconds when no unit is given. */
const duration = { type: 'string', pattern: '^\\s*[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h|d)?\\s*$' } as const;
const count = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;

export const monitorGateSpec = defineAction({
  name: 'monitor-gate',
  title: 'mlops monitor-gate',
  description:
    "Watch a deployed model and decide: promote, hold, roll back or retrain. Rules over service health (error rate, latency, traffic), input drift against the registered data profile, live accuracy and custom PromQL are measured from Prometheus or the serving runtime's /metrics, with Argo Rollouts' analysis semantics (initial delay, interval, count, failure, inconclusive and error limits), and decided on intervals like evaluate's gates; a canary is compared with the stable version over the same window.",
  inputs: {
    'prometheus-url': {
      description:
        "Prometheus's base URL (e.g. `http://prometheus:9090`), scraping the serving runtime: measurements are PromQL over `window`. Give this or `endpoint`, or both (then Prometheus measures and `endpoint` receives the load test).",
      schema: { type: 'string', pattern: '^https?://' },
    },
    endpoint: {
      description:
        "The serving runtime's base URL (e.g. `http://127.0.0.1:8080`): without `prometheus-url`, each measurement is the difference between two scrapes of its `/metrics`, `interval` apart; it also receives `load-test`.",
      schema: { type: 'string', pattern: '^https?://' },
    },
    model: {
      description:
        'What is deployed (in a canary: the canary): `<registry>/<name>@<alias|version|sha256:…>`. Its name and version select the series (`model`, `version` labels); its registered data profile is the drift reference; `on-pass: promote` moves `alias` to its digest. Registry credentials from the MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD environment variables (for ghcr.io, else `github-token`).',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    stable: {
      description:
        'In a canary, the version it is compared with: `<registry>/<name>@<alias|version|sha256:…>`. Rules with `stable` thresholds (`error_rate <= stable + 0.005`) compare both over the same window.',
      schema: { type: 'string', minLength: 1 },
    },
    rules: {
      description:
        'Rules, one per line, in the grammar of evaluate\'s gates (or the path of a file holding them): `error_rate < 0.01`, `latency_p95_ms < 200`, `requests_per_minute > 1`, `drift.max < 0.2`, `drift.share < 0.5`, `drift[column=body_mass_g] < 0.3`, `error_rate <= stable + 0.005`, `prediction_drift < 0.1` (live predictions against the registered held-out predictions: JS distance for classes, KS D or PSI for values), `accuracy >= 0.85` and the other classification metrics evaluate computes (`f1_macro`, `balanced_accuracy`, …; with `labels`), `promql("<query>") < 5`.',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    'initial-delay': {
      description: 'Wait this long before the first measurement (`30s`, `5m`; seconds without a unit).',
      default: '0s',
      schema: duration,
    },
    interval: {
      description: 'Time between measurements.',
      default: '30s',
      schema: duration,
    },
    count: {
      description: 'How many measurements the analysis takes at most (it stops early on failure or success limits).',
      default: '5',
      schema: count(1, 10000),
    },
    window: {
      description:
        'The span of traffic one measurement covers: the PromQL range (`increase(…[window])`). Default: `interval`. With `endpoint` alone, a measurement covers the time since the previous scrape.',
      schema: duration,
    },
    'failure-limit': {
      description: 'Failed measurements allowed; one more fails the analysis at once (Argo Rollouts `failureLimit`).',
      default: '0',
      schema: count(0, 10000),
    },
    'inconclusive-limit': {
      description:
        'Inconclusive measurements allowed (NaN, an empty result, fewer than `min-samples` requests, an interval straddling a threshold); one more ends the analysis inconclusive.',
      default: '0',
      schema: count(0, 10000),
    },
    'consecutive-error-limit': {
      description:
        'Measurement errors in a row allowed (Prometheus or the endpoint unreachable, a bad answer): one blip is not a failure; one more ends the analysis with verdict `error`.',
      default: '4',
      schema: count(0, 10000),
    },
    'consecutive-success-limit': {
      description: 'Passing measurements in a row that end the analysis early with a pass (promote early); `0`: take `count` measurements.',
      default: '0',
      schema: count(0, 10000),
    },
    'min-samples': {
      description: 'Requests a measurement needs (per version compared) before its rates and latencies count; fewer is inconclusive.',
      default: '20',
      schema: count(1, 100000000),
    },
    'load-test': {
      description:
        'A JSONL file of requests, one per line: an Open Inference Protocol body (sent to `/v2/models/<name>/infer`), an `/invocations` body, or `{"path": "…", "request": {…}}`; sent to `endpoint` at `load-test-rate` during the analysis, in a loop, for canaries that get no traffic of their own. Relative to `working-directory`.',
      schema: { type: 'string', minLength: 1 },
    },
    'load-test-rate': {
      description: 'Requests per second of the load test.',
      default: '5',
      schema: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    },
    'load-test-max-requests': {
      description: 'The load test stops after this many requests (or when the analysis ends).',
      default: '100000',
      schema: count(1, 10000000),
    },
    labels: {
      description:
        "Delayed ground truth for `accuracy` (and `f1_macro`, `balanced_accuracy`, …) rules: a CSV, TSV, JSONL or Parquet file with an `id` column (the request id, `x-request-id`), a `label` column and, for requests of several rows, a `row` column (0-based), joined with the predicted class the serving runtime's sampled request log (`request-log`) keeps per row. Rows with an empty or over-long id or an empty label, and rows labelled twice differently, are refused by line. Relative to `working-directory`.",
      schema: { type: 'string', minLength: 1 },
    },
    'request-log': {
      description: "The serving runtime's request log folder (`mlops serve --request-log <dir>`), read for `labels`.",
      schema: { type: 'string', minLength: 1 },
    },
    'on-fail': {
      description:
        'What a failed analysis does, one or more per line: `fail` (the step fails), `rollback` (move `alias` back with its history and redeploy the previous version, or drop the canary), `retrain` (dispatch `retrain-workflow`), `issue` (open or update one issue with the report; closed on the next passing run). `error` and `inconclusive` verdicts hold and, with `fail`, fail the step.',
      default: 'fail',
      format: 'lines',
      schema: { type: 'array', items: { type: 'string', enum: ['fail', 'rollback', 'retrain', 'issue'] } },
    },
    'on-pass': {
      description: "`promote`: move `alias` to the canary's digest and send it all traffic; `none`: just report.",
      default: 'none',
      schema: { type: 'string', enum: ['none', 'promote'] },
    },
    alias: {
      description: 'The alias `promote` moves to the model and `rollback` moves back.',
      default: 'production',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$' },
    },
    target: {
      description:
        "Where the model is deployed, for `promote` and `rollback` (through deploy's code): `process`, `docker` or `swarm`, as deploy's `target`.",
      default: 'process',
      schema: { type: 'string', enum: ['process', 'docker', 'swarm'] },
    },
    port: {
      description:
        "The stable port of the deployment (deploy's `port`). Default for `process`: the port the deployment listens on now (else 8080).",
      default: '8080',
      schema: count(1, 65535),
    },
    'docker-host': {
      description: "docker and swarm: the Docker Engine (deploy's `docker-host`).",
      schema: { type: 'string', minLength: 1 },
    },
    'base-image': {
      description: "docker and swarm: the image the serving image is built on (deploy's `base-image`), for `promote`.",
      schema: { type: 'string', minLength: 1 },
    },
    'retrain-workflow': {
      description: 'The workflow `retrain` dispatches (`retrain.yml`, through `workflow_dispatch`), or `repository_dispatch:<event-type>`.',
      schema: { type: 'string', minLength: 1 },
    },
    'retrain-ref': {
      description: 'The branch or tag the retrain workflow runs on. Default: the branch of this run (`GITHUB_REF_NAME`), else `main`.',
      schema: { type: 'string', minLength: 1 },
    },
    'retrain-inputs': {
      description:
        "The inputs of the retrain workflow's `workflow_dispatch` (a YAML or JSON map, e.g. `{reason: drift}`); it must declare them. A `repository_dispatch` gets the decision, model, version, verdict and drifted columns as its `client_payload` instead.",
      format: 'yaml',
      schema: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    },
    cooldown: {
      description:
        "No second retrain dispatch within this period: read from GitHub itself (the workflow's recent dispatched runs), no state of our own.",
      default: '24h',
      schema: duration,
    },
    'issue-label': {
      description: 'The label of the one issue `issue` opens, updates and closes.',
      default: 'mlops-monitor',
      schema: { type: 'string', minLength: 1, maxLength: 50 },
    },
    'request-timeout': {
      description: 'Every HTTP request (Prometheus, the endpoint, the load test) gives up after this long.',
      default: '10s',
      schema: duration,
    },
    'github-token': {
      description: 'Token for dispatching the retrain workflow (`actions: write`) and the issue (`issues: write`).',
      default: '${{ github.token }}',
      schema: { type: 'string' },
    },
    'working-directory': workingDirectoryInput(),
  },
  outputs: {
    decision: { description: '`promote`, `hold`, `rollback` or `retrain`.' },
    passed: { description: "'true' when the analysis passed, else 'false' (also for inconclusive and error)." },
    verdict: { description: '`pass`, `fail`, `inconclusive` or `error`.' },
    report: { description: 'Path to the Markdown report (the JSON report beside it, `.json`).' },
    'drifted-columns': { description: 'JSON array of the columns that drifted in the last measurement.' },
    dispatched: { description: 'JSON: what was triggered (`{"workflow": …, "ref": …}`), or `null`.' },
    'issue-url': { description: 'The issue opened or updated, when `issue` ran.' },
  },
});

/** Inputs of monitor-gate after parsing and validation. */
export type MonitorGateInputs = InputsOf<typeof monitorGateSpec>;
