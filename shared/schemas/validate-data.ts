import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

export const validateDataSpec = defineAction({
  name: 'validate-data',
  title: 'mlops validate-data',
  description:
    'Validate data files against a Frictionless Table Schema and dataset expectations, profile them in one streaming pass, and measure drift against a reference profile.',
  inputs: {
    data: {
      description:
        'Data files or globs, one per line: .csv, .tsv, .jsonl/.ndjson, .parquet, .csv.gz, .jsonl.gz; or one Data Package descriptor (datapackage.json or .yaml, v1 or v2), whose tabular resources are each validated with their own schema and dialect, foreign keys across them included. Paths are relative to working-directory.',
      required: true,
      format: 'lines',
      schema: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    },
    schema: {
      description:
        'A Frictionless Table Schema (JSON or YAML) the data must satisfy. Without it, types are inferred and only parse errors count.',
      schema: { type: 'string' },
    },
    dialect: {
      description:
        'A Frictionless Table Dialect (a file, or inline YAML/JSON) for the CSV/TSV files in data: header, headerRows, headerJoin, commentRows, commentChar, delimiter, lineTerminator, quoteChar, doubleQuote, escapeChar, nullSequence, skipInitialSpace. Without it: comma (tab for .tsv), double quotes, one header row.',
      schema: { type: 'string' },
    },
    expectations: {
      description:
        'Dataset-level checks in YAML (a file path or inline): row-count bounds; per column max null fraction, mean and quantile ranges, distinct-count range, drift threshold overrides. With a Data Package, under `resources: <name>:` for each resource.',
      schema: { type: 'string' },
    },
    reference: {
      description: 'A profile JSON written by an earlier run (its `profile` output) to measure drift against.',
      schema: { type: 'string' },
    },
    'drift-threshold': {
      description:
        'When a column counts as drifted. Below 1,000 values on either side a two-sample test decides (Kolmogorov-Smirnov for numbers and dates, chi-squared for categories): drift when its p-value is below `p-value`. Above, PSI decides for numbers and dates (drift above `psi`) and Jensen-Shannon distance for categories (drift above `js`). Fewer than 5 values on a side: not judged, with a warning.',
      default: '{psi: 0.2, js: 0.1, p-value: 0.05}',
      format: 'yaml',
      schema: {
        type: 'object',
        properties: {
          psi: { type: 'number', exclusiveMinimum: 0, default: 0.2 },
          js: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.1 },
          'p-value': { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.05 },
        },
        additionalProperties: false,
      },
    },
    'drift-share': {
      description:
        "Dataset drift (Evidently's rule): when at least this share of the judged columns drifted. `fail-on: drift` fails on dataset drift, not on one drifted column; `0` fails on any drifted column.",
      default: '0.5',
      schema: { type: 'number', minimum: 0, maximum: 1 },
    },
    'fail-on': {
      description:
        'What fails the step: `errors` (schema or expectation violations), `drift` (violations or dataset drift, see `drift-share`), or `never`.',
      default: 'errors',
      schema: { type: 'string', enum: ['errors', 'drift', 'never'] },
    },
    'max-reported-errors': {
      description: 'How many violations are reported individually (all are counted).',
      default: '50',
      schema: { type: 'integer', minimum: 0 },
    },
    'infer-schema': {
      description:
        'Write a Table Schema inferred from the data to this path (YAML), for you to review and edit. With a Data Package, a folder: each tabular resource without a schema gets `<resource>.schema.yaml` there. An existing file is kept (the step fails) unless `overwrite-schema` is true.',
      schema: { type: 'string' },
    },
    'overwrite-schema': {
      description: 'Let `infer-schema` replace a file that already exists (a schema you may have edited).',
      default: 'false',
      schema: { type: 'boolean' },
    },
    'working-directory': workingDirectoryInput(),
  },
  outputs: {
    valid: { description: "'true' when no schema or expectation rule was broken." },
    rows: { description: 'Number of data rows read (header lines excluded).' },
    'error-count': { description: 'Number of violations found (all of them, not only the reported ones).' },
    fingerprint: { description: 'sha256:<hex> of the data content; the same content always gives the same fingerprint.' },
    profile: { description: "Path to the profile JSON (use it as a later run's `reference`, or merge shards with `mlops profile merge`)." },
    report: { description: 'Path to the Markdown report.' },
    'drifted-columns': { description: 'JSON array of the names of the columns that drifted from the reference.' },
    'dataset-drift': { description: "'true' when the share of drifted columns reached `drift-share` ('false' without a reference)." },
    drift: {
      description:
        'Path to the drift JSON: per column the method that decided (ks, chi-squared, psi, js), its statistic, p-value and threshold; and the dataset verdict. Empty without a reference.',
    },
  },
});

/** Inputs of validate-data after parsing and validation. */
export type ValidateDataInputs = InputsOf<typeof validateDataSpec>;
