// Reading one table (a file, a resource's files, or a resource's inline rows) into mergeable column state,
// with its foreign key work: what validate-data does once per table, whether or not the data is a package.
import { sha256OfFile } from '../digest.js';
import { InputError } from '../errors.js';
import type { InlineRows } from './data-package.js';
import type { ForeignKey } from './foreign-keys.js';
import { profileFile } from './parallel-profile.js';
import { ColumnAccumulator, type SourceJSON } from './profile.js';
import { dialectOf, readHead, readParquetHead, repeatedColumnError, type TableHead } from './read-table.js';
import type { DataSource } from './sources.js';
import { delimiterHint } from './table-dialect.js';
import { type ColumnPlan, type KeyHooks, type TablePlan, TableProfiler } from './table-profiler.js';
import { inferTableSchema, inferTableSchemaFromRecords } from './table-schema/infer.js';
import { headerMismatches } from './table-schema/fields-match.js';
import { primaryKeyFields, type TableField, type TableSchema } from './table-schema/types.js';
import { ViolationLog } from './violations.js';

/** One table to read: a data set's files, or a Data Package resource. */
export interface TableJob {
  /** The resource's name; undefined for the files of the data input. */
  name?: string;
  sources: DataSource[];
  /** A resource's `path` array: one table whose header is in the first file only. */
  continued: boolean;
  inline?: InlineRows;
  /** The descriptor holding inline rows (relative to the working directory). */
  inlineFile?: string;
  schema?: TableSchema;
  foreignKeys: ForeignKey[];
  inPackage: boolean;
}

/** What reading a table gives. */
export interface TableResult {
  rows: number;
  columns: string[];
  accumulators: ColumnAccumulator[];
  sources: SourceJSON[];
  firstHead?: TableHead;
  /** Violations found in this table. */
  violations: number;
}

export interface ReadOptions {
  maxReported: number;
  /** Sha256 of files already hashed (the integrity check), by absolute path. */
  sha256?: Map<string, string>;
  /** The foreign key work, once the table's columns are known; undefined for none. */
  hooksFor?: (columns: string[]) => KeyHooks | undefined;
  /** One line per file read; omitted for a pass that only collects keys. */
  info?: (message: string) => void;
  /** A warning (the delimiter hint when there is no schema to break). */
  warning?: (message: string, file: string) => void;
}

export function inferFrom(head: TableHead): TableSchema {
  return head.records ? inferTableSchemaFromRecords(head.records) : inferTableSchema(head.columns, head.sample);
}

interface PlanOptions {
  /** False for the later files of a resource's `path` array, which have no header line. */
  headerLine: boolean;
  /** Line of the header, for annotations (1 in a file; the data's line for inline data). */
  line: number;
  inPackage: boolean;
}

/** The reading plan of a file: the user's fields where the schema has them, inferred types elsewhere. */
function planFor(source: DataSource, head: TableHead, schema: TableSchema | undefined, log: ViolationLog, options: PlanOptions): TablePlan {
  let inferred: TableSchema | undefined;
  const inferredField = (name: string): TableField => {
    inferred ??= inferFrom(head);
    const field = inferred.fields.find((f) => f.name === name) ?? { name, type: 'string' };
    // Only the type: an inferred constraint is a guess, not a rule.
    return { name, type: field.type, format: field.format };
  };
  if (!schema) {
    const repeated = repeatedColumnError(head.columns, source.path);
    if (repeated) throw repeated;
    return {
      columns: head.columns.map((name) => ({ field: inferredField(name), enforce: false })),
      missingValues: [''],
      primaryKey: [],
      uniqueKeys: [],
    };
  }
  // Without a header (dialect header: false), the schema's fields name the columns by position.
  const columnsRead = head.headerless ? head.columns.map((c, i) => schema.fields[i]?.name ?? c) : head.columns;
  const byName = fieldsByName(schema.fields);
  const tabular = source.format === 'csv' || source.format === 'tsv';
  const names = tabular ? columnsRead : [...schema.fields.map((f) => f.name), ...columnsRead.filter((c) => !byName.has(c))];
  // The k-th column of a name reads the k-th field of that name (names may repeat, as v1 allowed).
  const taken = new Map<string, number>();
  const columns: ColumnPlan[] = names.map((name) => {
    const k = taken.get(name) ?? 0;
    taken.set(name, k + 1);
    const field = byName.get(name)?.[k];
    return field ? { field, enforce: true } : { field: inferredField(name), enforce: false };
  });
  if (options.headerLine) {
    const hint = head.likelyDelimiter ? ` (${delimiterHint(head.likelyDelimiter, options.inPackage)})` : '';
    const header = head.headerless ? 'rows' : 'header';
    for (const mismatch of headerMismatches(schema, columnsRead, tabular)) {
      const message = mismatch.message.replace('missing from the header', `missing from the ${header}`) + hint;
      log.add(source.path, options.line, 'header', () => message, mismatch.column);
    }
  }
  return {
    columns,
    missingValues: schema.missingValues ?? [''],
    primaryKey: primaryKeyFields(schema),
    uniqueKeys: schema.uniqueKeys ?? [],
  };
}

/** Reads a table's files (or inline rows), logging its violations into `log`. */
export async function readTable(job: TableJob, log: ViolationLog, options: ReadOptions): Promise<TableResult> {
  if (job.inline) return readInline(job, log, options);
  let columns: string[] | undefined;
  let accumulators: ColumnAccumulator[] | undefined;
  let firstHead: TableHead | undefined;
  let hooks: KeyHooks | undefined;
  const sources: SourceJSON[] = [];
  const countBefore = log.count;
  let rows = 0;
  for (const [i, given] of job.sources.entries()) {
    const continued = job.continued && i > 0;
    const delimited = given.format === 'csv' || given.format === 'tsv';
    // The later files of a path array are the table's continuation: no header of their own.
    const source: DataSource =
      continued && delimited ? { ...given, dialect: { ...dialectOf(given), header: false, headerRows: [], commentRows: [] } } : given;
    const known = options.sha256?.get(source.absolute);
    const hashing = options.info
      ? (known ? Promise.resolve(known) : sha256OfFile(source.absolute)).then((hex) => `sha256:${hex}`)
      : undefined;
    // Awaited below; marked handled now so a failure while reading the head is the one reported.
    hashing?.catch(() => undefined);
    let head = source.format === 'parquet' ? await readParquetHead(source) : await readHead(source);
    if (continued && columns && delimited) head = { ...head, columns, headerless: false };
    const fileCountBefore = log.count;
    const plan = planFor(source, head, job.schema, log, { headerLine: !continued, line: 1, inPackage: job.inPackage });
    if (head.likelyDelimiter && !job.schema)
      options.warning?.(`${source.path}: ${delimiterHint(head.likelyDelimiter, job.inPackage)}`, source.path);
    const names = plan.columns.map((c) => c.field.name);
    if (columns && names.join('\u0000') !== columns.join('\u0000')) {
      throw new InputError(
        `${source.path} has columns (${names.join(', ')}) but ${job.sources[0]!.path} has (${columns.join(', ')}): every file of one ${job.name === undefined ? 'data set' : `resource (${job.name})`} must have the same columns.`,
        { file: source.path, line: 1 },
      );
    }
    if (!columns) hooks = options.hooksFor?.(names);
    columns ??= names;
    firstHead ??= head;
    const started = performance.now();
    const result = await profileFile(source, plan, head, options.maxReported, undefined, hooks);
    log.absorb(result.violations.count, result.violations.reported);
    if (result.rows === 0 && !continued) log.add(source.path, head.firstDataLine, 'rows', () => 'the file has a header but no data rows');
    if (accumulators) accumulators.forEach((a, k) => a.merge(result.accumulators[k]!));
    else accumulators = result.accumulators;
    rows += result.rows;
    if (hashing)
      sources.push({ path: source.path, format: source.format + (source.gzip ? '+gzip' : ''), rows: result.rows, sha256: await hashing });
    const seconds = (performance.now() - started) / 1000;
    const found = log.count - fileCountBefore;
    options.info?.(
      `${job.name === undefined ? '' : `${job.name}: `}${source.path}: ${result.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s on ${result.threads} thread${result.threads === 1 ? '' : 's'}, ${found} violation${found === 1 ? '' : 's'}.`,
    );
  }
  return { rows, columns: columns!, accumulators: accumulators!, sources, firstHead, violations: log.count - countBefore };
}

/** A resource's inline rows, each annotated at its line in the descriptor. */
function readInline(job: TableJob, log: ViolationLog, options: ReadOptions): TableResult {
  const inline = job.inline!;
  const file = job.inlineFile!;
  const source: DataSource = { path: file, absolute: file, format: 'csv', gzip: false, size: 0 };
  const sample = inline.rows.slice(0, 1000).map((row) => row.map((c) => c ?? ''));
  const head: TableHead = { columns: inline.columns, dataStart: 0, firstDataLine: 1, sample };
  const countBefore = log.count;
  const headerLine = inline.headerLine ?? 1;
  const plan = planFor(source, head, job.schema, log, { headerLine: true, line: headerLine, inPackage: true });
  const names = plan.columns.map((c) => c.field.name);
  const at = occurrenceIndexes(names, inline.columns);
  const own = new ViolationLog(options.maxReported);
  const profiler = new TableProfiler(file, plan, own, options.hooksFor?.(names));
  const cells: (string | null)[] = new Array(names.length);
  for (const [k, row] of inline.rows.entries()) {
    const line = inline.lines[k] ?? headerLine;
    if (row.length !== inline.columns.length) {
      const label = inline.labels?.[k];
      own.add(
        file,
        line,
        'row-length',
        () =>
          `${label ? `${label}: ` : ''}row has ${row.length} field${row.length === 1 ? '' : 's'}; the header has ${inline.columns.length}`,
      );
      continue;
    }
    for (let c = 0; c < names.length; c++) cells[c] = at[c]! === -1 ? null : row[at[c]!]!;
    const before = own.reported.length;
    profiler.values(cells, line);
    const label = inline.labels?.[k];
    if (label) for (let v = before; v < own.reported.length; v++) own.reported[v]!.message = `${label}: ${own.reported[v]!.message}`;
  }
  profiler.finish();
  log.absorb(own.count, own.reported);
  if (inline.rows.length === 0) log.add(file, headerLine, 'rows', () => `resource ${job.name}: its inline data has no rows`);
  options.info?.(
    `${job.name}: ${profiler.rows} inline rows in ${file}, ${log.count - countBefore} violation${log.count - countBefore === 1 ? '' : 's'}.`,
  );
  return {
    rows: profiler.rows,
    columns: names,
    accumulators: profiler.accumulators,
    sources: [],
    firstHead: head,
    violations: log.count - countBefore,
  };
}

function fieldsByName(fields: readonly TableField[]): Map<string, TableField[]> {
  const byName = new Map<string, TableField[]>();
  for (const field of fields) {
    const same = byName.get(field.name);
    if (same) same.push(field);
    else byName.set(field.name, [field]);
  }
  return byName;
}

/** For each wanted name, the index of the column holding it: the k-th repeat of a name is its k-th column, else -1. */
function occurrenceIndexes(wanted: readonly string[], columns: readonly string[]): number[] {
  const used = new Map<string, number>();
  return wanted.map((name) => {
    let from = used.get(name) ?? 0;
    from = columns.indexOf(name, from);
    used.set(name, from === -1 ? columns.length : from + 1);
    return from;
  });
}
