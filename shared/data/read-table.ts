import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';
import { openByteInput, UnreadableBytesError, type ByteInput } from './byte-input.js';
import { CsvScanner, FieldQuoting, type FieldRanges, fieldText, type RecordSink } from './csv-scanner.js';
import { DialectScanner } from './dialect-scanner.js';
import { openParquet, type ParquetTable } from './parquet.js';
import type { DataSource } from './sources.js';
import { type CsvDialect, defaultDialect, isPlainDialect, likelyDelimiter } from './table-dialect.js';
import type { TableProfiler } from './table-profiler.js';
import { jsonValueText } from './table-schema/json-value-text.js';

const CHUNK = 2 * 1024 * 1024;
/** Records longer than this are refused: memory stays bounded whatever the file holds. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
const SAMPLE_ROWS = 1000;
const HEAD_BYTES = 1024 * 1024;

/** The column names and the first rows, for building the reading plan and inferring types. */
export interface TableHead {
  columns: string[];
  /** Byte offset where the data starts (after the header line), for uncompressed CSV/TSV. */
  dataStart: number;
  /** Line number of the first data line. */
  firstDataLine: number;
  sample: string[][];
  /** JSON lines and Parquet: the sample as records, for type inference from JSON values. */
  records?: Record<string, unknown>[];
  /** CSV/TSV: records before the data (header rows, rows before them, comment rows among them). */
  recordsBefore?: number;
  /** True when the file has no header (dialect `header: false`, or a later file of a resource's `path` array): columns are field1… */
  headerless?: boolean;
  /** The delimiter a one-column header looks like it uses (`;`, `|`, tab), when no dialect set one. */
  likelyDelimiter?: string;
}

/** The dialect a CSV/TSV source is read with. */
export function dialectOf(source: DataSource): CsvDialect {
  return source.dialect ?? defaultDialect(source.format === 'tsv');
}

/** What both scanners offer. */
interface DelimitedScanner {
  line: number;
  scan(buf: Uint8Array, from: number, to: number, final: boolean, sink: RecordSink, stopAt?: number): number;
}

/** The fast RFC 4180 scanner when the dialect allows it, else the general one. */
function scannerFor(source: DataSource): DelimitedScanner {
  const dialect = dialectOf(source);
  return isPlainDialect(dialect) ? new CsvScanner(dialect.delimiter.charCodeAt(0)) : new DialectScanner(dialect);
}

/** Passes records on, leaving out the dialect's commentRows (numbered from the file's first record). */
class CommentRowsFilter implements RecordSink {
  private record_ = 0;
  constructor(
    private readonly inner: RecordSink,
    private readonly skip: Set<number>,
    recordsBefore: number,
  ) {
    this.record_ = recordsBefore;
  }
  record(buf: Uint8Array, fields: FieldRanges, count: number, line: number): void {
    if (!this.skip.has(++this.record_)) this.inner.record(buf, fields, count, line);
  }
  unterminatedQuote(line: number): void {
    this.inner.unterminatedQuote(line);
  }
}

/** What a range read found besides the profile. */
export interface RangeOutcome {
  /** Lines consumed (for shifting the next range's line numbers). */
  lines: number;
  /** True when a quoted field ran to the end of the range: the split point was inside a quote. */
  unterminated: boolean;
}

class UnterminatedWatch implements RecordSink {
  unterminated = false;
  constructor(private readonly inner: RecordSink) {}
  record(buf: Uint8Array, fields: FieldRanges, count: number, line: number): void {
    this.inner.record(buf, fields, count, line);
  }
  unterminatedQuote(line: number): void {
    this.unterminated = true;
    this.inner.unterminatedQuote(line);
  }
}

function reportEncoding(profiler: TableProfiler, buf: Buffer, from: number, to: number, firstLine: number): void {
  let line = firstLine;
  let start = from;
  while (start < to) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1 || end > to) end = to;
    if (!isUtf8(buf.subarray(start, end)))
      profiler.problem(line, 'encoding', 'this line is not valid UTF-8 (is the file in another encoding, such as Latin-1?)');
    line++;
    start = end + 1;
  }
}

/**
 * Streams CSV/TSV records from `input` into `profiler`, starting at line `firstLine`. Bounded memory:
 * a 2 MiB buffer, grown only for a record longer than that, up to MAX_RECORD_BYTES.
 */
export async function scanCsvInput(
  input: ByteInput,
  source: DataSource,
  profiler: TableProfiler,
  firstLine: number,
  skipBom: boolean,
  recordsBefore = 0,
): Promise<RangeOutcome> {
  const scanner = scannerFor(source);
  scanner.line = firstLine;
  const commentRows = dialectOf(source).commentRows.filter((r) => r > recordsBefore);
  const sink = new UnterminatedWatch(commentRows.length ? new CommentRowsFilter(profiler, new Set(commentRows), recordsBefore) : profiler);
  let work = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let eof = false;
  let first = skipBom;
  for (;;) {
    while (!eof && filled < work.length) {
      const n = await readAtLine(input, work, filled, scanner.line);
      if (n === 0) eof = true;
      filled += n;
    }
    let from = 0;
    if (first) {
      first = false;
      if (filled >= 3 && work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf) from = 3;
    }
    const lineBefore = scanner.line;
    const consumed = scanner.scan(work, from, filled, eof, sink);
    if (!isUtf8(work.subarray(from, consumed))) reportEncoding(profiler, work, from, consumed, lineBefore);
    if (eof || sink.unterminated) break;
    if (consumed === from) {
      if (work.length >= MAX_RECORD_BYTES) {
        profiler.problem(
          scanner.line,
          'record-size',
          `a record longer than ${MAX_RECORD_BYTES / 1048576} MiB starts on this line; the rest of the file was not read (is this really ${source.format.toUpperCase()}?)`,
        );
        break;
      }
      const bigger = Buffer.allocUnsafe(Math.min(work.length * 2, MAX_RECORD_BYTES));
      work.copy(bigger, 0, 0, filled);
      work = bigger;
      continue;
    }
    work.copyWithin(0, consumed, filled);
    filled -= consumed;
  }
  return { lines: scanner.line - firstLine, unterminated: sink.unterminated };
}

/** input.read, with an unreadable stretch of bytes placed at the line being read (`line` and after). */
async function readAtLine(input: ByteInput, target: Buffer, offset: number, line: number): Promise<number> {
  try {
    return await input.read(target, offset);
  } catch (error) {
    if (error instanceof UnreadableBytesError) {
      throw new InputError(`${error.message}; the data from line ${line} on cannot be read`, { file: error.at.file, line });
    }
    throw error;
  }
}

/** Streams JSON lines into the profiler: one object per line; other lines are violations. */
export async function scanJsonLinesInput(
  input: ByteInput,
  columns: string[],
  profiler: TableProfiler,
  firstLine: number,
): Promise<RangeOutcome> {
  let work = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let eof = false;
  let line = firstLine;
  const cells: (string | null)[] = new Array(columns.length);
  for (;;) {
    while (!eof && filled < work.length) {
      const n = await readAtLine(input, work, filled, line);
      if (n === 0) eof = true;
      filled += n;
    }
    let start = 0;
    for (;;) {
      let end = work.indexOf(0x0a, start);
      if (end === -1 || end >= filled) {
        if (!eof || start >= filled) break;
        end = filled;
      }
      const slice = work.subarray(start, end);
      const text = slice.toString('utf8').trim();
      if (text !== '') {
        if (!isUtf8(slice)) {
          profiler.problem(line, 'encoding', 'this line is not valid UTF-8');
        } else {
          let record: unknown;
          try {
            record = JSON.parse(text);
          } catch (error) {
            profiler.problem(line, 'json', `not valid JSON: ${(error as Error).message}`);
            record = undefined;
          }
          if (record !== undefined) {
            if (typeof record !== 'object' || record === null || Array.isArray(record)) {
              profiler.problem(line, 'json', 'expected a JSON object on each line');
            } else {
              const object = record as Record<string, unknown>;
              for (let i = 0; i < columns.length; i++) {
                const value = object[columns[i]!];
                cells[i] = value === null || value === undefined ? null : jsonValueText(value);
              }
              profiler.values(cells, line);
            }
          }
        }
      }
      line++;
      start = end + 1;
    }
    if (eof) break;
    if (start === 0) {
      if (work.length >= MAX_RECORD_BYTES) {
        profiler.problem(line, 'record-size', `a line longer than ${MAX_RECORD_BYTES / 1048576} MiB; the rest of the file was not read`);
        break;
      }
      const bigger = Buffer.allocUnsafe(Math.min(work.length * 2, MAX_RECORD_BYTES));
      work.copy(bigger, 0, 0, filled);
      work = bigger;
      continue;
    }
    work.copyWithin(0, start, filled);
    filled -= start;
  }
  return { lines: line - firstLine, unterminated: false };
}

/** Rows rowStart..rowEnd of row group `group`; a page that cannot be read is an InputError naming the file and the row group. */
async function rowGroupRows(
  table: ParquetTable,
  source: DataSource,
  group: number,
  rowStart: number,
  rowEnd: number,
  columns?: string[],
): Promise<Record<string, unknown>[]> {
  return table.rows(rowStart, rowEnd, columns).catch((error: unknown) => {
    throw new InputError(
      `${source.path}: row group ${group + 1} of ${table.rowGroups.length} (rows ${rowStart + 1}–${rowEnd}) cannot be read: ${(error as Error).message}; the file is corrupt or truncated.`,
      { file: source.path },
    );
  });
}

/** Streams a Parquet file's rows, one row group at a time. */
export async function scanParquet(source: DataSource, columns: string[], profiler: TableProfiler): Promise<RangeOutcome> {
  const table = await openParquet(source.absolute).catch((error: unknown) => {
    throw new InputError(`${source.path} is not a readable Parquet file: ${(error as Error).message}`, { file: source.path });
  });
  const cells: (string | null)[] = new Array(columns.length);
  let rowStart = 0;
  let line = 1;
  for (const [group, groupRows] of table.rowGroups.entries()) {
    const rowEnd = rowStart + groupRows;
    const rows = await rowGroupRows(table, source, group, rowStart, rowEnd, columns);
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) cells[i] = parquetText(row[columns[i]!]);
      profiler.values(cells, line++);
    }
    rowStart = rowEnd;
  }
  return { lines: line - 1, unterminated: false };
}

function parquetText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (typeof value === 'bigint') return value.toString();
  return jsonValueText(value);
}

class HeadSink implements RecordSink {
  rows: string[][] = [];
  unterminated = false;
  constructor(private readonly limit: number) {}
  record(buf: Uint8Array, fields: FieldRanges, count: number): void {
    if (this.rows.length > this.limit) return;
    const row: string[] = [];
    for (let i = 0; i < count; i++) row.push(fields.quoting[i] === FieldQuoting.Null ? '' : fieldText(buf, fields, i));
    this.rows.push(row);
  }
  unterminatedQuote(): void {
    this.unterminated = true;
  }
}

/**
 * Reads a file's header and first rows. Throws InputError for an empty file, a header that cannot be
 * read, or duplicate or empty column names.
 */
export async function readHead(source: DataSource): Promise<TableHead> {
  const input = await openByteInput(source);
  try {
    // Enough for the header and the sample; read further only while the header is not complete.
    let buf = Buffer.allocUnsafe(Math.min(Math.max(source.size, 1), HEAD_BYTES) + 1);
    let filled = 0;
    for (;;) {
      const n = filled < buf.length ? await input.read(buf, filled) : 0;
      if (n === 0) {
        if (filled < buf.length || buf.length > MAX_RECORD_BYTES || buf.indexOf(0x0a) !== -1) break;
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 4, MAX_RECORD_BYTES + 1));
        buf.copy(bigger);
        buf = bigger;
        continue;
      }
      filled += n;
    }
    const bom = filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    let content = bom;
    while (content < filled && (buf[content] === 0x20 || buf[content] === 0x0a || buf[content] === 0x0d || buf[content] === 0x09))
      content++;
    if (content === filled) {
      throw new InputError(`${source.path} is empty: expected a header line and data rows.`, { file: source.path, line: 1 });
    }
    if (source.format === 'jsonl') return headOfJsonLines(source, buf.subarray(0, filled));
    return headOfDelimited(source, buf, bom, filled, filled < buf.length);
  } finally {
    await input.close();
  }
}

/** The header (as the dialect lays it out) and first rows of a CSV/TSV file held in buf[bom, filled). */
function headOfDelimited(source: DataSource, buf: Buffer, bom: number, filled: number, complete: boolean): TableHead {
  const dialect = dialectOf(source);
  const headerCount = dialect.header ? Math.max(...dialect.headerRows) : 0;
  const sink = new HeadSink(SAMPLE_ROWS + headerCount);
  scannerFor(source).scan(buf, bom, filled, complete, sink);
  if (sink.rows.length < Math.max(headerCount, 1)) {
    const why = sink.unterminated
      ? headerCount > 1
        ? 'a quoted field in the header rows is never closed'
        : 'its first quoted field is never closed'
      : sink.rows.length === 0 && filled > MAX_RECORD_BYTES
        ? `its first line is longer than ${MAX_RECORD_BYTES / 1048576} MiB`
        : headerCount > 1
          ? `the dialect's header rows (${dialect.headerRows.join(', ')}) are not all there: the file has ${sink.rows.length} record${sink.rows.length === 1 ? '' : 's'}`
          : sink.rows.length === 0
            ? 'no record in it (every line is blank or a comment)'
            : `its first line is longer than ${MAX_RECORD_BYTES / 1048576} MiB`;
    throw new InputError(`${source.path}: cannot read the header: ${why}.`, { file: source.path, line: 1 });
  }
  // Find where the header records end (one record per scan: stopAt is the record's own first byte + 1).
  const skipper = scannerFor(source);
  let seen = 0;
  const counter: RecordSink = { record: () => void seen++, unterminatedQuote: () => undefined };
  let dataStart = bom;
  while (seen < headerCount && dataStart < filled) {
    const next = skipper.scan(buf, dataStart, filled, complete, counter, dataStart + 1);
    if (next === dataStart) break;
    dataStart = next;
  }
  const comments = new Set(dialect.commentRows);
  const sample = sink.rows.slice(headerCount).filter((_, i) => !comments.has(headerCount + i + 1));
  if (!dialect.header) {
    const width = sample[0]?.length ?? sink.rows[0]!.length;
    const columns = Array.from({ length: width }, (_, i) => `field${i + 1}`);
    return { columns, dataStart, firstDataLine: skipper.line, sample, recordsBefore: 0, headerless: true };
  }
  const columns = joinHeaderRows(
    dialect.headerRows.map((r) => sink.rows[r - 1]!),
    dialect.headerJoin,
  );
  checkColumnNames(columns, source);
  return {
    columns,
    dataStart,
    firstDataLine: skipper.line,
    sample,
    recordsBefore: headerCount,
    likelyDelimiter: source.format === 'csv' ? likelyDelimiter(columns, dialect) : undefined,
  };
}

/**
 * One name per column from one or more header rows, joined with headerJoin. In a row shorter than the
 * others or with an empty cell, the cell to its left stands for it (a label spanning columns, as in
 * table-dialect.mdx's example `fruit` over `id,name` giving `fruit id`, `fruit name`).
 */
export function joinHeaderRows(rows: string[][], join: string): string[] {
  if (rows.length === 1) return rows[0]!.map((c) => c.trim());
  const width = Math.max(...rows.map((r) => r.length));
  const names: string[] = [];
  for (let i = 0; i < width; i++) {
    const parts: string[] = [];
    for (const [k, row] of rows.entries()) {
      let cell = row[i]?.trim() ?? '';
      // Only upper rows span: the last row names each column itself.
      if (cell === '' && k < rows.length - 1) for (let j = Math.min(i, row.length) - 1; j >= 0 && cell === ''; j--) cell = row[j]!.trim();
      if (cell !== '') parts.push(cell);
    }
    names.push(parts.join(join));
  }
  return names;
}

function headOfJsonLines(source: DataSource, buf: Buffer): TableHead {
  const records: Record<string, unknown>[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const line of buf.toString('utf8').split('\n', SAMPLE_ROWS)) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      records.push(value as Record<string, unknown>);
      for (const key of Object.keys(value)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
    } catch {
      // Reported with its line number when the file is read.
    }
  }
  if (columns.length === 0)
    throw new InputError(`${source.path}: no JSON object found in its first lines; expected one JSON object per line.`, {
      file: source.path,
      line: 1,
    });
  return { columns, dataStart: 0, firstDataLine: 1, sample: [], records };
}

/** The header and first rows of a Parquet file, from its schema and first row group. */
export async function readParquetHead(source: DataSource): Promise<TableHead> {
  let table: ParquetTable;
  try {
    table = await openParquet(source.absolute);
  } catch (error) {
    throw new InputError(`${source.path} is not a readable Parquet file: ${(error as Error).message}`, { file: source.path });
  }
  const records: Record<string, unknown>[] = [];
  let rowStart = 0;
  for (const [group, groupRows] of table.rowGroups.entries()) {
    if (records.length >= SAMPLE_ROWS) break;
    const rowEnd = Math.min(rowStart + groupRows, rowStart + SAMPLE_ROWS - records.length);
    records.push(...(await rowGroupRows(table, source, group, rowStart, rowEnd)));
    rowStart += groupRows;
  }
  const converted = records.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v])),
  );
  return { columns: table.columns, dataStart: 0, firstDataLine: 1, sample: [], records: converted };
}

// A repeated name is judged against the schema (which may repeat it too, as v1 allowed): see repeatedColumnError.
function checkColumnNames(columns: string[], source: DataSource): void {
  columns.forEach((name, i) => {
    if (name === '') throw new InputError(`${source.path}: column ${i + 1} of the header has no name.`, { file: source.path, line: 1 });
  });
}

/** The error for a header that repeats a column name when no schema says how to read the repeats. */
export function repeatedColumnError(columns: readonly string[], path: string): InputError | undefined {
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) return new InputError(`${path}: the header names column ${JSON.stringify(name)} twice.`, { file: path, line: 1 });
    seen.add(name);
  }
  return undefined;
}

/** A record of delimited text held in memory: its cells (null for the dialect's nullSequence) and its line in the text. */
export interface TextRecord {
  cells: (string | null)[];
  line: number;
}

/**
 * Reads delimited text held in memory (a resource's inline CSV) as the dialect says: every record, comment
 * lines left out by the scanner. `unterminatedLine` is the line of a quoted field never closed.
 */
export function scanDelimitedText(
  text: string,
  format: 'csv' | 'tsv',
  dialect: CsvDialect | undefined,
): { records: TextRecord[]; unterminatedLine?: number } {
  const buf = Buffer.from(text, 'utf8');
  const records: TextRecord[] = [];
  let unterminatedLine: number | undefined;
  const sink: RecordSink = {
    record(bytes, fields, count, line) {
      const cells: (string | null)[] = [];
      for (let i = 0; i < count; i++) cells.push(fields.quoting[i] === FieldQuoting.Null ? null : fieldText(bytes, fields, i));
      records.push({ cells, line });
    },
    unterminatedQuote(line) {
      unterminatedLine ??= line;
    },
  };
  const source = { path: '', absolute: '', format, gzip: false, size: buf.length, ...(dialect ? { dialect } : {}) } as DataSource;
  scannerFor(source).scan(buf, 0, buf.length, true, sink);
  return { records, ...(unterminatedLine === undefined ? {} : { unterminatedLine }) };
}
