import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { digestsOfFiles } from '../digest.js';
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
import type { ColumnExpectations } from './expectations.js';
import type { DataPackage } from './data-package.js';
import { ForeignKeyRun, type KeyedTable } from './foreign-key-run.js';
import { SpillFolder } from './foreign-key-spill.js';
import { type ForeignKey, foreignKeyIssue, KeyBudget, normalizeForeignKeys } from './foreign-keys.js';
import { dataFingerprint, parseProfile, withOccurrences, type ProfileJSON, type ResourceProfileJSON } from './profile.js';
import { type DataSource, isPackageDescriptor, resolveDataSources } from './sources.js';
import type { CsvDialect } from './table-dialect.js';
import { inferFrom, readTable, type TableJob, type TableResult } from './table-reading.js';
// Only what every run needs is imported here: the Table Schema reader and the expectations (Ajv, YAML)
// and the YAML writer of an inferred schema are imported when an input asks for them.
import { compileTableSchema } from './table-schema/field.js';
import type { TableSchema } from './table-schema/types.js';
import { renderValidateDataReport } from './validate-data-report.js';
import { ViolationLog } from './violations.js';

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
 * Where infer-schema writes: the path itself for files of one table; for a Data Package, a folder holding
 * `<resource>.schema.yaml` for each tabular resource without a schema (those with one are named and left alone).
 * Every target is checked by checkInferSchemaTarget before any data is read.
 */
async function inferSchemaTargets(
  inputs: ValidateDataInputs,
  cwd: string,
  sources: DataSource[],
  pkg: DataPackage | undefined,
  runtime: Runtime,
): Promise<{ table: string; path: string }[]> {
  const given = inputs['infer-schema']!;
  if (!pkg) {
    await checkInferSchemaTarget(inputs, given, cwd, sources);
    return [{ table: '', path: given }];
  }
  const tabular = pkg.resources.filter((r) => r.tabular && !r.refused);
  const withSchema = tabular.filter((r) => r.schema);
  const without = tabular.filter((r) => !r.schema);
  if (without.length === 0)
    throw new InputError(
      `Input 'infer-schema': every tabular resource of ${pkg.file} has its own schema (${withSchema.map((r) => r.name).join(', ')}); there is none to infer. Remove infer-schema, or remove a resource's schema to infer it again.`,
    );
  if (withSchema.length > 0)
    runtime.info(
      `infer-schema: ${withSchema.map((r) => r.name).join(', ')} ${withSchema.length === 1 ? 'has its' : 'have their'} own schema in ${pkg.file}; none is inferred for ${withSchema.length === 1 ? 'it' : 'them'}.`,
    );
  const targets = without.map((r) => ({ table: r.name, path: join(given, `${r.name}.schema.yaml`) }));
  for (const { path } of targets) await checkInferSchemaTarget(inputs, path, cwd, sources);
  return targets;
}

/**
 * Refuses an infer-schema path that leaves the working directory (also through a symlink), that is one of the
 * data files or the reference profile, or that exists without overwrite-schema. Nothing is written then.
 */
async function checkInferSchemaTarget(inputs: ValidateDataInputs, given: string, cwd: string, sources: DataSource[]): Promise<void> {
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

/** Reads the dialect input (a file or inline YAML/JSON) and checks it against the Table Dialect profile. */
async function readDialectInput(value: string, cwd: string, tab: boolean): Promise<CsvDialect> {
  const [{ readFileOrInline }, { YamlDocument, pointerSegments }, { checkDialect }] = await Promise.all([
    import('../schemas/file-or-inline.js'),
    import('../schemas/yaml-document.js'),
    import('./data-package.js'),
  ]);
  const given = await readFileOrInline(value, cwd);
  const where = given.file ?? "input 'dialect'";
  const doc = YamlDocument.parse(given.text);
  const syntax = doc.syntaxError;
  if (syntax)
    throw new InputError(
      `${given.file ?? "Input 'dialect'"}: not valid YAML or JSON at line ${syntax.line}: ${syntax.reason}`,
      given.file ? { file: given.file, line: syntax.line } : {},
    );
  return checkDialect(doc.data(where, given.file ? { file: given.file } : {}), tab, (pointer, message) => {
    const line = given.file ? doc.lineOf(pointerSegments(pointer), { key: true }) : undefined;
    return new InputError(
      `${given.file ?? "Input 'dialect'"}: ${message}`,
      given.file ? { file: given.file, ...(line ? { line } : {}) } : {},
    );
  });
}

/** The tables of a run, as jobs, with what the profile and summary need about each. */
interface RunTables {
  jobs: TableJob[];
  pkg?: DataPackage;
  /** Resources not read (refused location, integrity), by name, with the reason. */
  refused: Map<string, string>;
  sha256: Map<string, string>;
}

/** Checks `bytes` and `hash` of each resource before anything is read; a mismatch refuses the resource. */
async function checkIntegrity(
  pkg: DataPackage,
  log: ViolationLog,
  sha256: Map<string, string>,
  refused: Map<string, string>,
): Promise<void> {
  for (const resource of pkg.resources) {
    if (resource.refused) {
      refused.set(resource.name, resource.refused);
      log.add(
        pkg.file,
        pkg.lineOf(resource.refusedPointer!),
        'resource',
        () => `resource ${resource.name} was not read: ${resource.refused}`,
      );
      continue;
    }
    if (resource.sources.length === 0 || (resource.bytes === undefined && resource.hash === undefined)) continue;
    const algorithm = resource.hash?.algorithm ?? 'md5';
    const digests = await digestsOfFiles(
      resource.sources.map((s) => s.absolute),
      algorithm,
    );
    resource.sources.forEach((s, i) => sha256.set(s.absolute, digests.sha256[i]!));
    const problems: { pointer: string; text: string }[] = [];
    if (resource.bytes !== undefined && resource.bytes !== digests.bytes)
      problems.push({
        pointer: `${resource.pointer}/bytes`,
        text: `bytes is ${resource.bytes} but the file${resource.sources.length > 1 ? 's hold' : ' holds'} ${digests.bytes}`,
      });
    if (resource.hash && resource.hash.hex !== digests.combined)
      problems.push({
        pointer: `${resource.pointer}/hash`,
        text: `hash is ${algorithm}:${resource.hash.hex} but the file${resource.sources.length > 1 ? 's have' : ' has'} ${algorithm}:${digests.combined}`,
      });
    if (problems.length) {
      const reason = problems.map((p) => p.text).join('; ');
      refused.set(resource.name, `${reason}: changed since the descriptor was written, or the wrong file`);
      log.add(
        pkg.file,
        pkg.lineOf(problems[0]!.pointer),
        'integrity',
        () => `resource ${resource.name} was not read: its ${reason} (changed since the descriptor was written, or the wrong file?)`,
      );
    }
  }
}

/**
 * The validate-data stage: reads every table once (threads for large files), checks the schemas, foreign
 * keys and expectations, writes the profile and report, and measures drift against a reference profile.
 * `data` is files of one table, or one Data Package descriptor whose tabular resources are each a table.
 */
export async function validateData(inputs: ValidateDataInputs, runtime: Runtime): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  const packageEntry = inputs.data.find(isPackageDescriptor);
  if (packageEntry && inputs.data.length > 1)
    throw new InputError(
      `Input 'data': ${packageEntry} is a Data Package descriptor; name it alone (its resources list the files), not with ${inputs.data.filter((d) => d !== packageEntry).join(', ')}.`,
    );
  if (packageEntry) {
    for (const input of ['schema', 'dialect'] as const)
      if (inputs[input])
        throw new InputError(
          `Input '${input}': not used with a Data Package (${packageEntry}): each resource gives its own ${input}. Remove it, or name the data files instead of the package.`,
        );
  }
  const log = new ViolationLog(inputs['max-reported-errors']);
  const tables: RunTables = { jobs: [], refused: new Map(), sha256: new Map() };
  let sources: DataSource[] = [];
  if (packageEntry) {
    // The package reader brings the YAML parser and Ajv with the profiles: loaded only for a package.
    const { loadDataPackage } = await import('./data-package.js');
    const pkg = await loadDataPackage(packageEntry, cwd);
    tables.pkg = pkg;
    for (const warning of pkg.warnings)
      runtime.warning(warning.message, {
        file: relative(runtime.workspace, resolve(cwd, warning.file)),
        line: warning.line,
        title: 'validate-data: schema',
      });
    await checkIntegrity(pkg, log, tables.sha256, tables.refused);
    for (const resource of pkg.resources) {
      if (!resource.tabular) {
        if (!resource.refused)
          runtime.info(
            `${resource.name}: not a table (no schema, dialect, table type or table format); only its bytes and hash are checked.`,
          );
        continue;
      }
      tables.jobs.push({
        name: resource.name,
        sources: resource.sources,
        continued: resource.sources.length > 1,
        inline: resource.inline,
        inlineFile: pkg.file,
        schema: resource.schema,
        foreignKeys: resource.foreignKeys,
        inPackage: true,
      });
      sources.push(...resource.sources);
    }
  } else {
    sources = await resolveDataSources(inputs.data, cwd);
    if (inputs.dialect) {
      const csv = await readDialectInput(inputs.dialect, cwd, false);
      const tsv = await readDialectInput(inputs.dialect, cwd, true);
      for (const source of sources)
        if (source.format === 'csv' || source.format === 'tsv') source.dialect = source.format === 'tsv' ? tsv : csv;
    }
    const schema = inputs.schema ? await readTableSchema(inputs.schema, cwd, runtime) : undefined;
    const foreignKeys = normalizeForeignKeys(schema?.foreignKeys);
    for (const fk of foreignKeys) {
      const issue = foreignKeyIssue(
        fk,
        schema!.fields.map((f) => f.name),
        () => undefined,
        `/foreignKeys/${fk.index}`,
      );
      if (issue)
        throw new InputError(
          `${inputs.schema}: ${issue.message}${fk.resource !== undefined ? ` (a foreign key into another resource needs a Data Package: name its datapackage.json in data)` : ''}`,
          { file: inputs.schema },
        );
    }
    tables.jobs.push({ sources, continued: false, schema, foreignKeys, inPackage: false });
  }
  // Checked before any work: a hand-edited schema is never replaced by a guess unless asked.
  const inferTargets = inputs['infer-schema'] ? await inferSchemaTargets(inputs, cwd, sources, tables.pkg, runtime) : [];
  const expectationsModule = inputs.expectations ? await import('./expectations.js') : undefined;
  const expectations = inputs.expectations ? await expectationsModule!.loadExpectations(inputs.expectations, cwd) : undefined;
  if (expectations && tables.pkg && (expectations.rows || expectations.columns))
    throw new InputError(
      `Input 'expectations': ${expectations.file} has ${expectations.rows ? 'rows' : 'columns'} at its top, but the data is a Data Package (${tables.pkg.file}); put each resource's rules under resources: <name>: (rows, columns).`,
      { file: expectations.file, line: expectations.lineOf([expectations.rows ? 'rows' : 'columns']) },
    );
  if (expectations?.resources && !tables.pkg)
    throw new InputError(
      `Input 'expectations': ${expectations.file} has resources, which apply to a Data Package; the data is files of one table, whose rules are rows and columns at the top.`,
      { file: expectations.file, line: expectations.lineOf(['resources']) },
    );
  let reference: ProfileJSON | null = null;
  if (inputs.reference) {
    const text = await readFile(resolve(cwd, inputs.reference), 'utf8').catch(() => {
      throw new InputError(`Input 'reference': ${inputs.reference} does not exist (looked in ${cwd}).`, { file: inputs.reference });
    });
    reference = parseProfile(text, inputs.reference);
  }

  const started = performance.now();
  const fkLocation = (job: TableJob, fk: ForeignKey): { file: string; line?: number } => {
    if (!tables.pkg) return { file: inputs.schema! };
    const resource = tables.pkg.resources.find((r) => r.name === job.name)!;
    return { file: tables.pkg.file, line: tables.pkg.lineOf(`${resource.pointer}/schema/foreignKeys/${fk.index}`) };
  };
  const keyed = new Map<string, KeyedTable>(
    tables.jobs.map((job) => [job.name ?? '', { job, refused: tables.refused.get(job.name ?? '') }]),
  );
  // Referenced keys beyond the memory budget go to disk, in the state folder's temp, removed when reading ends.
  const spill = new SpillFolder(join(runtime.stateDir, 'tmp'));
  const foreignKeyRun = new ForeignKeyRun(
    keyed,
    (job, fk, why) => {
      const at = fkLocation(job, fk);
      log.add(
        at.file,
        at.line,
        'foreignKey',
        () => `${job.name === undefined ? '' : `resource ${job.name}: `}foreign key (${fk.fields.join(', ')}) not checked: ${why}`,
      );
    },
    keyBudgetForTests(),
    spill,
  );
  const results = new Map<string, TableResult>();
  const readOptions = (job: TableJob, collectOnly: boolean) => ({
    maxReported: inputs['max-reported-errors'],
    sha256: tables.sha256,
    info: collectOnly ? undefined : (message: string) => runtime.info(message),
    warning: (message: string, file: string) =>
      runtime.warning(message, { file: relative(runtime.workspace, resolve(cwd, file)), line: 1, title: 'validate-data: delimiter' }),
    hooksFor: collectOnly ? undefined : (columns: string[]) => foreignKeyRun.hooksFor(job, columns),
  });
  try {
    for (const job of foreignKeyRun.order()) {
      if (tables.refused.has(job.name ?? '')) continue;
      await foreignKeyRun.prepare(job, async (table, hooks) => {
        runtime.info(`${table.name ?? 'data'}: reading once to collect the keys its foreign keys refer to.`);
        await readTable(table, new ViolationLog(0), { ...readOptions(table, true), hooksFor: hooks });
      });
      const result = await readTable(job, log, readOptions(job, false));
      result.violations += foreignKeyRun.finish(job, log);
      results.set(job.name ?? '', result);
    }
  } finally {
    spill.close();
  }
  if (foreignKeyRun.keysHeld > 0) runtime.debug(`foreign keys: ${foreignKeyRun.keysHeld.toLocaleString('en-US')} referenced keys held`);
  if (foreignKeyRun.keysSpilled > 0)
    runtime.info(
      `foreign keys: ${foreignKeyRun.keysSpilled.toLocaleString('en-US')} referenced keys did not fit the memory budget and were checked from disk (sorted runs, merge-join).`,
    );

  const resourceProfiles: ResourceProfileJSON[] = [];
  for (const job of tables.jobs) {
    const result = results.get(job.name ?? '');
    if (!result) continue;
    resourceProfiles.push({
      name: job.name ?? '',
      rows: result.rows,
      fingerprint: result.sources.length
        ? dataFingerprint(result.sources)
        : `sha256:${createHash('sha256')
            .update(JSON.stringify(job.inline ?? null))
            .digest('hex')}`,
      sources: result.sources,
      columns: withOccurrences(result.accumulators.map((a) => a.toJSON())),
    });
  }
  const allSources = resourceProfiles.flatMap((r) => r.sources);
  const rows = resourceProfiles.reduce((sum, r) => sum + r.rows, 0);
  const profile: ProfileJSON = tables.pkg
    ? {
        kind: 'mlops-data-profile',
        version: 1,
        rows,
        fingerprint: allSources.length
          ? dataFingerprint(allSources)
          : dataFingerprint(resourceProfiles.map((r) => ({ sha256: r.fingerprint }))),
        sources: allSources,
        columns: [],
        resources: resourceProfiles,
      }
    : {
        kind: 'mlops-data-profile',
        version: 1,
        rows,
        fingerprint: dataFingerprint(allSources),
        sources: allSources,
        columns: resourceProfiles[0]!.columns,
      };
  if (expectations)
    expectationsModule!.checkExpectations(
      expectations,
      profile,
      log,
      (tables.pkg?.resources ?? []).map((r) => r.name),
    );

  let drift: ColumnDrift[] | null = null;
  let datasetDrift: DatasetDrift | null = null;
  const resourceDrift = new Map<string, ColumnDrift[]>();
  if (reference) {
    const overridesOf = (columns: Record<string, ColumnExpectations> | undefined): Record<string, Partial<DriftThresholds>> => {
      const overrides: Record<string, Partial<DriftThresholds>> = {};
      for (const [name, rules] of Object.entries(columns ?? {})) {
        const threshold = rules['drift-threshold'];
        const pValue = rules['drift-p-value'];
        if (threshold === undefined && pValue === undefined) continue;
        overrides[name] = {
          ...(threshold === undefined ? {} : { psi: threshold, js: threshold }),
          ...(pValue === undefined ? {} : { 'p-value': pValue }),
        };
      }
      return overrides;
    };
    if (tables.pkg) {
      if (!reference.resources)
        throw new InputError(
          `Input 'reference': ${inputs.reference} is the profile of one table, not of a Data Package; drift is measured resource by resource against a package's profile.`,
          { file: inputs.reference },
        );
      drift = [];
      for (const current of resourceProfiles) {
        const before = reference.resources.find((r) => r.name === current.name);
        if (!before) {
          runtime.warning(`resource ${current.name} is not in the reference profile ${inputs.reference}: its drift is not measured.`, {
            title: 'validate-data: drift',
          });
          continue;
        }
        const asProfile = (r: ResourceProfileJSON): ProfileJSON => ({ kind: 'mlops-data-profile', version: 1, ...r });
        checkSameColumns(asProfile(before), asProfile(current), `${inputs.reference} (resource ${current.name})`);
        const overrides = overridesOf(expectations?.resources?.[current.name]?.columns);
        const measured = measureDrift(asProfile(before), asProfile(current), inputs['drift-threshold'], overrides);
        resourceDrift.set(current.name, measured);
        drift.push(...measured.map((d) => ({ ...d, column: `${current.name}/${d.column}` })));
      }
    } else {
      checkSameColumns(reference, profile, inputs.reference!);
      drift = measureDrift(reference, profile, inputs['drift-threshold'], overridesOf(expectations?.columns));
    }
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
    resources: tables.pkg
      ? tables.pkg.resources.map((r) => ({
          name: r.name,
          files: r.inline ? [`${tables.pkg!.file} (inline)`] : r.sources.map((s) => s.path),
          tabular: r.tabular,
          refused: tables.refused.get(r.name),
          violations: results.get(r.name)?.violations,
          drift: resourceDrift.get(r.name) ?? null,
        }))
      : undefined,
  });
  await writeFileAtomic(reportPath, report);
  if (inferTargets.length > 0) {
    const { formatTableSchemaYaml } = await import('./table-schema/format-yaml.js');
    for (const { table, path } of inferTargets) {
      const head = results.get(table)?.firstHead;
      if (!head) continue;
      await writeFileAtomic(resolve(cwd, path), formatTableSchemaYaml(inferFrom(head)));
      runtime.info(
        tables.pkg
          ? `Inferred Table Schema of resource ${table} written to ${path}: review it, then name it as the resource's schema in ${tables.pkg.file}.`
          : `Inferred Table Schema written to ${path}: review it, then pass it as the schema input.`,
      );
    }
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
    `Profiled ${rows.toLocaleString('en-US')} rows${tables.pkg ? ` in ${resourceProfiles.length} resource${resourceProfiles.length === 1 ? '' : 's'}` : ''} in ${((performance.now() - started) / 1000).toFixed(2)} s, ${log.count} violation${log.count === 1 ? '' : 's'} in all; profile: ${profilePath}`,
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

/**
 * The foreign key memory budget. For tests only: MLOPS_TEST_FOREIGN_KEY_BUDGET_BYTES makes it small, so the spill
 * to disk is exercised on small tables; it is not an input and not for users.
 */
function keyBudgetForTests(): KeyBudget {
  const bytes = Number(process.env.MLOPS_TEST_FOREIGN_KEY_BUDGET_BYTES);
  return Number.isInteger(bytes) && bytes > 0 ? new KeyBudget(bytes) : new KeyBudget();
}
