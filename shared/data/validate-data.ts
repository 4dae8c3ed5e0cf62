import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sha256OfFile } from '../digest.js';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Runtime } from '../runtime/port.js';
import type { ValidateDataInputs } from '../schemas/validate-data.js';
import type { StageResult } from '../stage.js';
import {
  type ColumnDrift,
  checkSameColumns,
  type DatasetDrift,
  describeDrift,
  describeThreshold,
  type DriftThresholds,
  measureDatasetDrift,
  measureDrift,
} from './drift.js';
import { profileFile } from './parallel-profile.js';
import { type ColumnAccumulator, dataFingerprint, parseProfile, type ProfileJSON, type SourceJSON } from './profile.js';
import { readHead, readParquetHead, type TableHead } from './read-table.js';
import { type DataSource, resolveDataSources } from './sources.js';
import type { ColumnPlan, TablePlan } from './table-profiler.js';
// Only what every run needs is imported here: the Table Schema reader and the expectations (Ajv, YAML)
// and the YAML writer of an inferred schema are imported when an input asks for them.
import { compileTableSchema } from './table-schema/field.js';
import { headerMismatches } from './table-schema/fields-match.js';
import { inferTableSchema, inferTableSchemaFromRecords } from './table-schema/infer.js';
import { primaryKeyFields, type TableField, type TableSchema } from './table-schema/types.js';
import { renderValidateDataReport } from './validate-data-report.js';
import { ViolationLog } from './violations.js';

function inferFrom(head: TableHead): TableSchema {
  return head.records ? inferTableSchemaFromRecords(head.records) : inferTableSchema(head.columns, head.sample);
}

/** The reading plan of a file: the user's fields where the schema has them, inferred types elsewhere. */
function planFor(source: DataSource, head: TableHead, schema: TableSchema | undefined, log: ViolationLog): TablePlan {
  let inferred: TableSchema | undefined;
  const inferredField = (name: string): TableField => {
    inferred ??= inferFrom(head);
    const field = inferred.fields.find((f) => f.name === name) ?? { name, type: 'string' };
    // Only the type: an inferred constraint is a guess, not a rule.
    return { name, type: field.type, format: field.format };
  };
  if (!schema) {
    return {
      columns: head.columns.map((name) => ({ field: inferredField(name), enforce: false })),
      missingValues: [''],
      primaryKey: [],
      uniqueKeys: [],
    };
  }
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const tabular = source.format === 'csv' || source.format === 'tsv';
  const names = tabular ? head.columns : [...schema.fields.map((f) => f.name), ...head.columns.filter((c) => !byName.has(c))];
  const columns: ColumnPlan[] = names.map((name) => {
    const field = byName.get(name);
    return field ? { field, enforce: true } : { field: inferredField(name), enforce: false };
  });
  for (const mismatch of headerMismatches(schema, head.columns, tabular)) {
    log.add(source.path, 1, 'header', () => mismatch.message, mismatch.column);
  }
  return {
    columns,
    missingValues: schema.missingValues ?? [''],
    primaryKey: primaryKeyFields(schema),
    uniqueKeys: schema.uniqueKeys ?? [],
  };
}

async function readTableSchema(path: string, cwd: string, runtime: Runtime): Promise<TableSchema> {
  const { loadTableSchemaWithWarnings } = await import('./table-schema/descriptor.js');
  const { schema, warnings } = await loadTableSchemaWithWarnings(resolve(cwd, path)).catch((error: unknown) => {
    if (error instanceof InputError) throw new InputError(error.message.replace(resolve(cwd, path), path), { ...error.at, file: path });
    throw error;
  });
  const file = relative(runtime.workspace, resolve(cwd, path));
  for (const warning of warnings) {
    runtime.warning(`${path}: ${warning.message}`, { file, line: warning.line, title: 'validate-data: schema' });
  }
  try {
    compileTableSchema(schema);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`, { file: path });
    throw error;
  }
  return schema;
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (symlinks resolved). */
async function realPathOf(path: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(path);
  return parent === path ? path : join(await realPathOf(parent), basename(path));
}

/**
 * Refuses an infer-schema path that leaves the working directory (also through a symlink), that is one of the
 * data files or the reference profile, or that exists without overwrite-schema. Nothing is written then.
 */
async function checkInferSchemaTarget(inputs: ValidateDataInputs, cwd: string, sources: DataSource[]): Promise<void> {
  const given = inputs['infer-schema']!;
  const target = resolve(cwd, given);
  const realTarget = await realPathOf(target);
  const fromWorkingDirectory = relative(await realPathOf(cwd), realTarget);
  if (fromWorkingDirectory === '' || fromWorkingDirectory.startsWith('..') || isAbsolute(fromWorkingDirectory)) {
    throw new InputError(
      `Input 'infer-schema': ${given} is outside the working directory (${cwd}); the inferred schema is only written inside it.`,
      { file: given },
    );
  }
  const inputsRead = [...sources.map((s) => s.absolute), ...(inputs.reference ? [resolve(cwd, inputs.reference)] : [])];
  for (const path of inputsRead) {
    if ((await realPathOf(path)) === realTarget) {
      throw new InputError(
        `Input 'infer-schema': ${given} is a file this run reads (${relative(cwd, path) || path}); writing the schema there would replace it. Choose another path.`,
        { file: given },
      );
    }
  }
  if (!inputs['overwrite-schema'] && (await stat(target).catch(() => undefined))) {
    throw new InputError(
      `Input 'infer-schema': ${given} already exists and is kept; choose another path, or set overwrite-schema to true (--overwrite-schema in the CLI) to replace it.`,
      { file: given },
    );
  }
}

/**
 * The validate-data stage: reads every file once (threads for large ones), checks the schema and
 * expectations, writes the profile and report, and measures drift against a reference profile.
 */
export async function validateData(inputs: ValidateDataInputs, runtime: Runtime): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  const sources = await resolveDataSources(inputs.data, cwd);
  // Checked before any work: a hand-edited schema is never replaced by a guess unless asked.
  if (inputs['infer-schema']) await checkInferSchemaTarget(inputs, cwd, sources);
  const schema = inputs.schema ? await readTableSchema(inputs.schema, cwd, runtime) : undefined;
  const expectationsModule = inputs.expectations ? await import('./expectations.js') : undefined;
  const expectations = inputs.expectations ? await expectationsModule!.loadExpectations(inputs.expectations, cwd) : undefined;
  let reference: ProfileJSON | null = null;
  if (inputs.reference) {
    const text = await readFile(resolve(cwd, inputs.reference), 'utf8').catch(() => {
      throw new InputError(`Input 'reference': ${inputs.reference} does not exist (looked in ${cwd}).`, { file: inputs.reference });
    });
    reference = parseProfile(text, inputs.reference);
  }

  const log = new ViolationLog(inputs['max-reported-errors']);
  const started = performance.now();
  let columns: string[] | undefined;
  let accumulators: ColumnAccumulator[] | undefined;
  let firstHead: TableHead | undefined;
  const sourceRecords: SourceJSON[] = [];
  let rows = 0;
  for (const source of sources) {
    const hashing = sha256OfFile(source.absolute).then((hex) => `sha256:${hex}`);
    // Awaited below; marked handled now so a failure while reading the head is the one reported.
    hashing.catch(() => undefined);
    const head = source.format === 'parquet' ? await readParquetHead(source) : await readHead(source);
    // The file's count includes its header's violations, so it agrees with the total reported at the end.
    const countBefore = log.count;
    const plan = planFor(source, head, schema, log);
    const names = plan.columns.map((c) => c.field.name);
    if (columns && names.join('\u0000') !== columns.join('\u0000')) {
      throw new InputError(
        `${source.path} has columns (${names.join(', ')}) but ${sources[0]!.path} has (${columns.join(', ')}): every file of one data set must have the same columns.`,
        { file: source.path, line: 1 },
      );
    }
    columns ??= names;
    firstHead ??= head;
    const fileStarted = performance.now();
    const result = await profileFile(source, plan, head, inputs['max-reported-errors']);
    log.absorb(result.violations.count, result.violations.reported);
    if (result.rows === 0) log.add(source.path, head.firstDataLine, 'rows', () => 'the file has a header but no data rows');
    if (accumulators) accumulators.forEach((a, i) => a.merge(result.accumulators[i]!));
    else accumulators = result.accumulators;
    rows += result.rows;
    sourceRecords.push({
      path: source.path,
      format: source.format + (source.gzip ? '+gzip' : ''),
      rows: result.rows,
      sha256: await hashing,
    });
    const seconds = (performance.now() - fileStarted) / 1000;
    runtime.info(
      `${source.path}: ${result.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s on ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${log.count - countBefore} violation${log.count - countBefore === 1 ? '' : 's'}.`,
    );
  }

  const profile: ProfileJSON = {
    kind: 'mlops-data-profile',
    version: 1,
    rows,
    fingerprint: dataFingerprint(sourceRecords),
    sources: sourceRecords,
    columns: accumulators!.map((a) => a.toJSON()),
  };
  if (expectations) expectationsModule!.checkExpectations(expectations, profile, log);

  let drift: ColumnDrift[] | null = null;
  let datasetDrift: DatasetDrift | null = null;
  if (reference) {
    checkSameColumns(reference, profile, inputs.reference!);
    const overrides: Record<string, Partial<DriftThresholds>> = {};
    for (const [name, rules] of Object.entries(expectations?.columns ?? {})) {
      const threshold = rules['drift-threshold'];
      const pValue = rules['drift-p-value'];
      if (threshold === undefined && pValue === undefined) continue;
      overrides[name] = {
        ...(threshold === undefined ? {} : { psi: threshold, js: threshold }),
        ...(pValue === undefined ? {} : { 'p-value': pValue }),
      };
    }
    drift = measureDrift(reference, profile, inputs['drift-threshold'], overrides);
    datasetDrift = measureDatasetDrift(drift, inputs['drift-share']);
  }
  const driftedColumns = datasetDrift?.drifted ?? [];
  const valid = log.count === 0;

  const outDir = join(runtime.stateDir, 'runs', runtime.runId, 'validate-data');
  const profilePath = join(outDir, 'profile.json');
  const reportPath = join(outDir, 'report.md');
  const driftPath = join(outDir, 'drift.json');
  await writeFileAtomic(profilePath, `${JSON.stringify(profile)}\n`);
  if (drift) {
    const driftJson = { kind: 'mlops-data-drift', version: 1, reference: inputs.reference, dataset: datasetDrift, columns: drift };
    await writeFileAtomic(driftPath, `${JSON.stringify(driftJson, null, 2)}\n`);
  }
  const report = renderValidateDataReport({
    profile,
    violationCount: log.count,
    violations: log.reported,
    drift,
    datasetDrift,
    reference,
    referenceName: inputs.reference,
    valid,
  });
  await writeFileAtomic(reportPath, report);
  if (inputs['infer-schema']) {
    const target = resolve(cwd, inputs['infer-schema']);
    const { formatTableSchemaYaml } = await import('./table-schema/format-yaml.js');
    await writeFileAtomic(target, formatTableSchemaYaml(inferFrom(firstHead!)));
    runtime.info(`Inferred Table Schema written to ${inputs['infer-schema']}: review it, then pass it as the schema input.`);
  }

  for (const v of log.reported) {
    const file = v.file.startsWith('input ') ? undefined : relative(runtime.workspace, resolve(cwd, v.file));
    runtime.error(v.message, { file, line: v.line, title: `validate-data: ${v.rule}` });
  }
  for (const d of drift ?? []) {
    if (d.status === 'drift') {
      runtime.warning(`column ${d.column} drifted: ${describeDrift(d)} (${describeThreshold(d)})`, { title: 'validate-data: drift' });
    } else if (d.status === 'insufficient data') {
      runtime.warning(`column ${d.column}: drift not judged: ${d.note}`, { title: 'validate-data: drift (insufficient data)' });
    }
  }
  await runtime.summary(report);
  const memory = process.memoryUsage();
  runtime.debug(
    `memory: rss ${(memory.rss / 1048576).toFixed(0)} MB, heap ${(memory.heapUsed / 1048576).toFixed(0)}/${(memory.heapTotal / 1048576).toFixed(0)} MB, external ${(memory.external / 1048576).toFixed(0)} MB, array buffers ${(memory.arrayBuffers / 1048576).toFixed(0)} MB`,
  );
  runtime.info(
    `Profiled ${rows.toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(2)} s, ${log.count} violation${log.count === 1 ? '' : 's'} in all; profile: ${profilePath}`,
  );

  const failOn = inputs['fail-on'];
  let failure: string | undefined;
  if (failOn !== 'never' && !valid)
    failure = `validate-data: ${log.count} violation${log.count === 1 ? '' : 's'} (see the annotations and the job summary).`;
  else if (failOn === 'drift' && datasetDrift?.detected) {
    const columns = drift!.filter((d) => d.status === 'drift').map((d) => `${d.column} (${describeDrift(d)})`);
    failure = `validate-data: dataset drift: ${datasetDrift.drifted.length} of ${datasetDrift.judged} columns drifted (drift-share ${datasetDrift.threshold}): ${columns.join(', ')}.`;
  }
  return {
    outputs: {
      valid,
      rows,
      'error-count': log.count,
      fingerprint: profile.fingerprint,
      profile: profilePath,
      report: reportPath,
      'drifted-columns': JSON.stringify(driftedColumns),
      'dataset-drift': datasetDrift?.detected ?? false,
      drift: drift ? driftPath : '',
    },
    failure,
  };
}
