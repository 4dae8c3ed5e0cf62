import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

export const evaluateSpec = defineAction({
  name: 'evaluate',
  title: 'mlops evaluate',
  description:
    'Compute classification or regression metrics with bootstrap confidence intervals, compare them with a baseline (paired), decide gate rules on the intervals, and report in the job summary and one pull-request comment.',
  inputs: {
    predictions: {
      description:
        'Predictions to evaluate: a .csv, .tsv, .jsonl/.ndjson or .parquet file (csv, tsv, jsonl may be .gz) with a label column, a prediction column and optionally score columns. Give this or `metrics-file`. Read whole, up to 256 MiB of text (after gunzip) or 10,000,000 Parquet rows: evaluate a sample of larger sets.',
      schema: { type: 'string', minLength: 1 },
    },
    'metrics-file': {
      description:
        'Metrics already computed, instead of `predictions`: a JSON object of metric name → number (or {value, low, high}), or the `report-json` of an earlier run.',
      schema: { type: 'string', minLength: 1 },
    },
    task: {
      description:
        '`classification` (binary or multiclass), `regression`, or `inferred` from the labels: regression when every label is a number and some label is not an integer or there are more than 20 distinct labels, else classification. The log and the report say what was inferred and why.',
      default: 'inferred',
      schema: { type: 'string', enum: ['inferred', 'classification', 'regression'] },
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
      description:
        'Score columns, one per line. Binary: one column, the score of the positive class. Multiclass: one probability column per class, named `score_<class>`; `score_*` takes every column with that prefix. Default: every `score_<class>` column, if there are any.',
      format: 'lines',
      schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
    'id-column': {
      description:
        "A column identifying each row; the baseline's rows are matched to the candidate's by it (else by row order, after checking that the labels agree).",
      schema: { type: 'string', minLength: 1 },
    },
    'positive-class': {
      description: 'Binary classification: the positive class. Default: the greater label in scikit-learn\'s order ("1", "true", "yes").',
      schema: { type: 'string', minLength: 1 },
    },
    baseline: {
      description:
        'The model to beat: its predictions (same formats and columns as `predictions`; deltas are paired when both are predictions on the same rows), a metrics JSON file, or a registered model `<registry>/<name>@<alias|version|digest>` (e.g. `.mlops/registry/penguins@production`, `oci://ghcr.io/acme/penguins@v3`), whose registered predictions (else metrics) are used; registry credentials from the MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD environment variables.',
      schema: { type: 'string', minLength: 1 },
    },
    gates: {
      description:
        'Gate rules, one per line (e.g. `accuracy >= 0.9`, `f1_macro >= baseline - 0.005`, `recall[class=Gentoo] > 0.8`, `accuracy[island=Dream] >= 0.85`), or the path of a file holding them.',
      schema: { type: 'string' },
    },
    confidence: {
      description: 'Coverage of the bootstrap confidence intervals.',
      default: '0.95',
      schema: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    },
    'bootstrap-samples': {
      description:
        'Number of bootstrap resamples, 100 to 100000; `0` turns intervals off (gates are then decided on point values and the report says so). 1 to 99 are refused: too few resamples to place the tails of an interval.',
      default: '1000',
      schema: { type: 'integer', minimum: 0, maximum: 100000 },
    },
    seed: {
      description: 'Seed of the bootstrap resampling: the same seed gives the same intervals.',
      default: '0',
      schema: { type: 'integer', minimum: 0 },
    },
    'on-inconclusive': {
      description:
        "How a gate whose interval straddles its threshold (`inconclusive`: the difference is not statistically significant) counts for the step: `point` decides it on the point estimate (as MLflow's `MetricThreshold` does), `pass` lets it pass, `fail` fails the step. The `verdict` output says `inconclusive` either way; the report and the comment say the difference is not significant. A gate that cannot be evaluated (a rule against `baseline` with no baseline given, an undefined metric) is an error that fails the step, whatever this says.",
      default: 'point',
      schema: { type: 'string', enum: ['point', 'pass', 'fail'] },
    },
    'fail-on-inconclusive': {
      description:
        'Deprecated: use `on-inconclusive`. `true` means `on-inconclusive: fail`, `false` means `on-inconclusive: pass`; a warning says so. Giving both with different meanings is an error.',
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
    'run-name': {
      description:
        'A name telling apart the evaluations of one job, e.g. the `matrix.model` expression in a matrix; it names the default comment and artifact. Without it, a short hash of predictions, metrics-file, baseline and working-directory does.',
      schema: { type: 'string', minLength: 1 },
    },
    'comment-id': {
      description:
        "Names this evaluation's pull-request comment, updated in place on every run. Default: `evaluate/<job>/<run-name or hash>`, so each job and each matrix entry keeps its own comment.",
      schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' },
    },
    'report-artifact-name': {
      description:
        'Name of the artifact holding the report. Default: `evaluate-report-<job>-<run-name or hash>`, unique per job and matrix entry (a second upload of one name fails a step).',
      schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    },
    'github-token': {
      description: 'Token for commenting on the pull request.',
      default: '${{ github.token }}',
      schema: { type: 'string' },
    },
    'working-directory': workingDirectoryInput(),
  },
  outputs: {
    passed: {
      description: "'true' when every gate passes: a conclusive gate by its interval, an inconclusive one as `on-inconclusive` decides.",
    },
    verdict: {
      description: "`pass`, `fail` or `inconclusive` (some gate's interval straddles its threshold), whatever `on-inconclusive` says.",
    },
    metrics: { description: 'JSON: metric name → {value, low, high} for the candidate.' },
    report: { description: 'Path to the Markdown report.' },
    'report-json': {
      description: 'Path to the JSON report: metrics of candidate, baseline and delta with intervals, gate decisions, confusion matrix.',
    },
    'comment-url': { description: 'URL of the pull-request comment, when one was written.' },
    'report-artifact': {
      description: 'Name of the artifact the report was uploaded as (for actions/download-artifact); empty when the upload failed.',
    },
  },
});

/** Inputs of evaluate after parsing and validation. */
export type EvaluateInputs = InputsOf<typeof evaluateSpec>;
