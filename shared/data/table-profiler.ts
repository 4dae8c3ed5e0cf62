import { FAST_DATE, FAST_DATETIME, FAST_INTEGER, FAST_NUMBER, readFastValue } from './byte-values.js';
import { type FieldRanges, FieldQuoting, type RecordSink, fieldText } from './csv-scanner.js';
import { CategoryTable } from './category-table.js';
import { ColumnAccumulator, type ColumnKind } from './profile.js';
import { KeyDigest, type KeyHook } from './foreign-keys.js';
import { compileField } from './table-schema/field.js';
import { isViolation, type CellResult, type CellViolation, type FieldCodec, type TableField } from './table-schema/types.js';
import type { ViolationLog } from './violations.js';

/** A column as it will be read: its field definition, and whether the definition is the user's rule. */
export interface ColumnPlan {
  field: TableField;
  /** True with a user's schema; false when the type was inferred (a mismatch is then profiled, not reported). */
  enforce: boolean;
}

/** A table's reading plan; plain data, so it can be sent to worker threads. */
export interface TablePlan {
  columns: ColumnPlan[];
  missingValues: string[];
  /** Column names whose combination must be unique (a composite primary key). */
  compositeKey: string[];
}

/** Foreign key work while a table is read: keys collected for other tables, keys checked against sets. */
export interface KeyHooks {
  collect: KeyHook[];
  check: KeyHook[];
}

/** How a cell's bytes are read on the fast path (byte-values.ts has the numeric and date forms). */
const FAST_NONE = 0;
/** Numbers wait in a batch per column and reach the sketches in tight loops. */
const BATCH = 2048;
/** A categorical column read through its CategoryTable. */
const FAST_CATEGORY = 5;

export function kindOf(type: string | undefined): ColumnKind {
  switch (type) {
    case 'integer':
    case 'number':
    case 'year':
      return 'numeric';
    case 'date':
    case 'datetime':
    case 'time':
    case 'yearmonth':
      return 'temporal';
    default:
      return 'categorical';
  }
}

function fastPathOf(field: TableField, missingValues: string[]): number {
  const c = field.constraints ?? {};
  const onlyBounds = c.pattern === undefined && c.enum === undefined && c.minLength === undefined && c.maxLength === undefined;
  const plainMissing = missingValues.length === 1 && missingValues[0] === '';
  if (!onlyBounds || !plainMissing) return FAST_NONE;
  const format = field.format ?? 'default';
  switch (field.type) {
    case 'integer':
      return field.groupChar === undefined && field.bareNumber !== false ? FAST_INTEGER : FAST_NONE;
    case 'number':
      return field.groupChar === undefined && field.bareNumber !== false && (field.decimalChar ?? '.') === '.' ? FAST_NUMBER : FAST_NONE;
    case 'date':
      return format === 'default' && c.minimum === undefined && c.maximum === undefined ? FAST_DATE : FAST_NONE;
    case 'datetime':
      return format === 'default' && c.minimum === undefined && c.maximum === undefined ? FAST_DATETIME : FAST_NONE;
    default:
      return FAST_NONE;
  }
}

/**
 * Profiles and checks the records of one file (or one byte range of it). Every cell is cast by its
 * field's codec, except plain numbers and ISO dates, which are read from bytes directly.
 */
export class TableProfiler implements RecordSink {
  rows = 0;
  readonly accumulators: ColumnAccumulator[];
  private readonly codecs: FieldCodec[];
  private readonly fast: Uint8Array;
  private readonly minimum: Float64Array;
  private readonly maximum: Float64Array;
  private readonly enforce: boolean[];
  private readonly names: string[];
  private readonly uniqueSeen: (Set<string> | undefined)[];
  private readonly keyIndexes: number[];
  private readonly keySeen = new Set<string>();
  private readonly tables: (CategoryTable | undefined)[];
  private readonly batches: (Float64Array | undefined)[];
  private readonly batchFill: Int32Array;

  private readonly digest = new KeyDigest();

  constructor(
    readonly file: string,
    plan: TablePlan,
    private readonly violations: ViolationLog,
    private readonly keyHooks?: KeyHooks,
  ) {
    const n = plan.columns.length;
    this.names = plan.columns.map((c) => c.field.name);
    this.codecs = plan.columns.map((c) => compileField(c.field, plan.missingValues));
    this.accumulators = plan.columns.map((c) => new ColumnAccumulator(c.field.name, c.field.type ?? 'string', kindOf(c.field.type)));
    this.enforce = plan.columns.map((c) => c.enforce);
    this.fast = new Uint8Array(n);
    this.minimum = new Float64Array(n).fill(-Infinity);
    this.maximum = new Float64Array(n).fill(Infinity);
    plan.columns.forEach((c, i) => {
      this.fast[i] = fastPathOf(c.field, plan.missingValues);
      if (typeof c.field.constraints?.minimum === 'number') this.minimum[i] = c.field.constraints.minimum;
      if (typeof c.field.constraints?.maximum === 'number') this.maximum[i] = c.field.constraints.maximum;
    });
    this.uniqueSeen = this.codecs.map((codec, i) => (codec.unique && plan.columns[i]!.enforce ? new Set<string>() : undefined));
    this.keyIndexes = plan.compositeKey.map((name) => this.names.indexOf(name)).filter((i) => i >= 0);
    this.batches = this.accumulators.map((a) => (a.moments ? new Float64Array(BATCH) : undefined));
    this.batchFill = new Int32Array(n);
    this.tables = plan.columns.map((c, i) => {
      if (kindOf(c.field.type) !== 'categorical' || this.uniqueSeen[i] !== undefined) return undefined;
      this.fast[i] = FAST_CATEGORY;
      return new CategoryTable();
    });
  }

  /** A CSV record as byte ranges. */
  record(buf: Uint8Array, fields: FieldRanges, count: number, line: number): void {
    this.rows++;
    const n = this.names.length;
    if (count !== n) {
      this.violations.add(this.file, line, 'row-length', () => `row has ${count} field${count === 1 ? '' : 's'}; the header has ${n}`);
      return;
    }
    const starts = fields.starts;
    const ends = fields.ends;
    const quoting = fields.quoting;
    for (let i = 0; i < n; i++) {
      const start = starts[i]!;
      const end = ends[i]!;
      if (quoting[i] >= FieldQuoting.Malformed) {
        if (quoting[i] === FieldQuoting.Null) {
          this.missing(i, line);
          continue;
        }
        this.violations.add(
          this.file,
          line,
          'csv',
          () => `column ${this.names[i]}: text after a closing quote`,
          this.names[i],
          fieldText(buf, fields, i),
        );
        this.accumulators[i]!.typeErrors++;
        continue;
      }
      const fast = this.fast[i]!;
      if (fast === FAST_CATEGORY) {
        if (start === end) {
          this.missing(i, line);
          continue;
        }
        // Doubled quotes need unescaping: such a cell takes the text path.
        if (quoting[i] !== FieldQuoting.QuotedEscaped && this.category(i, buf, fields, line)) continue;
      } else if (fast !== FAST_NONE && this.uniqueSeen[i] === undefined) {
        if (start === end) {
          this.missing(i, line);
          continue;
        }
        const batch = this.batches[i]!;
        const at = this.batchFill[i]!;
        if (readFastValue(fast, buf, start, end, batch, at)) {
          const value = batch[at]!;
          if ((value < this.minimum[i]! || value > this.maximum[i]!) && this.enforce[i]) {
            // Out of bounds: reported, and still profiled, since it is what the data holds.
            const text = fieldText(buf, fields, i);
            const result = this.codecs[i]!.castAndCheck(text);
            if (isViolation(result)) this.report(i, line, text, result);
          }
          if (at + 1 === BATCH) {
            this.batchFill[i] = BATCH;
            this.flushNumbers(i);
          } else {
            this.batchFill[i] = at + 1;
          }
          continue;
        }
      }
      const text = fieldText(buf, fields, i);
      this.checked(i, this.codecs[i]!.castAndCheck(text), line, text);
    }
    if (this.keyIndexes.length > 0)
      this.checkKey(
        line,
        this.keyIndexes.map((k) => fieldText(buf, fields, k)),
      );
    if (this.keyHooks) this.foreignKeys(line, (k) => (quoting[k]! >= FieldQuoting.Malformed ? null : fieldText(buf, fields, k)));
  }

  /** Collects or checks the row's foreign keys. A key with a null or invalid part is neither (SQL's MATCH SIMPLE). */
  private foreignKeys(line: number, textOf: (column: number) => string | null): void {
    const digest = this.digest;
    const hooks = this.keyHooks!;
    for (let h = 0; h < hooks.collect.length + hooks.check.length; h++) {
      const collecting = h < hooks.collect.length;
      const hook = collecting ? hooks.collect[h]! : hooks.check[h - hooks.collect.length]!;
      digest.reset();
      let complete = true;
      for (const column of hook.columns) {
        const text = textOf(column);
        const value = text === null ? null : this.codecs[column]!.castAndCheck(text);
        if (value === null || isViolation(value)) {
          complete = false;
          break;
        }
        digest.add(value);
      }
      if (!complete) continue;
      digest.finish();
      if (collecting) hook.set.add(digest);
      else if (!hook.set.has(digest)) {
        const parts = hook.columns.map((c) => textOf(c)!);
        this.violations.add(this.file, line, 'foreignKey', () => hook.missing!(parts), hook.label, parts.join(', '));
      }
    }
  }

  /**
   * A categorical cell through the column's table: cast once per distinct text, then counted.
   * Returns false when the table cannot hold it (full, or long free text): the caller reads it as text.
   */
  private category(i: number, buf: Uint8Array, fields: FieldRanges, line: number): boolean {
    const table = this.tables[i]!;
    const start = fields.starts[i]!;
    const end = fields.ends[i]!;
    let entry = table.find(buf, start, end);
    if (entry === -1) {
      const text = fieldText(buf, fields, i);
      const result = this.codecs[i]!.castAndCheck(text);
      entry = table.insert(buf, start, end, text, result);
      if (entry === -1) return false;
      // The distinct sketch needs each value once; repeats would not change it.
      if (result !== null && !isViolation(result)) this.accumulators[i]!.distinct.addString(typeof result === 'string' ? result : text);
    }
    const outcome = table.outcomes[entry] as CellResult;
    if (outcome === null || isViolation(outcome)) this.checked(i, outcome, line, table.texts[entry]!);
    else table.counts[entry]!++;
    return true;
  }

  /** Hands the tables' counts to the column sketches; call before reading the accumulators. */
  finish(): void {
    this.batches.forEach((batch, i) => {
      if (batch) this.flushNumbers(i);
    });
    this.tables.forEach((table, i) => {
      const top = this.accumulators[i]!.top!;
      table?.drain((text, count, outcome) => top.add(typeof outcome === 'string' ? outcome : text, count));
    });
  }

  /** A record from JSON lines or Parquet: each cell's text, or null when absent. */
  values(cells: (string | null)[], line: number): void {
    this.rows++;
    for (let i = 0; i < cells.length; i++) {
      const text = cells[i];
      if (text === null || text === undefined) {
        this.missing(i, line);
        continue;
      }
      this.checked(i, this.codecs[i]!.castAndCheck(text), line, text);
    }
    if (this.keyIndexes.length > 0)
      this.checkKey(
        line,
        this.keyIndexes.map((k) => cells[k] ?? ''),
      );
    if (this.keyHooks) this.foreignKeys(line, (k) => cells[k] ?? null);
  }

  unterminatedQuote(line: number): void {
    this.violations.add(
      this.file,
      line,
      'csv',
      () => 'a quoted field starting on this line is never closed; the rest of the file cannot be read',
    );
  }

  /** Structural problems found by the readers (encoding, oversized records). */
  problem(line: number | undefined, rule: string, message: string): void {
    this.violations.add(this.file, line, rule, () => message);
  }

  private numberValue(i: number, value: number): void {
    const at = this.batchFill[i]!;
    this.batches[i]![at] = value;
    this.batchFill[i] = at + 1;
    if (at + 1 === BATCH) this.flushNumbers(i);
  }

  /** One loop per sketch over the column's batch: each call site stays monomorphic and inlined. */
  private flushNumbers(i: number): void {
    const batch = this.batches[i]!;
    const count = this.batchFill[i]!;
    const acc = this.accumulators[i]!;
    const moments = acc.moments!;
    const quantiles = acc.quantiles!;
    const distinct = acc.distinct;
    let n = count;
    // NaN and ±Infinity are valid numbers (Table Schema) but have no place in sketches: counted, then dropped.
    for (let k = 0; k < n; k++) {
      const v = batch[k]!;
      if (v - v !== 0) {
        acc.countNonFinite(v);
        batch[k] = batch[--n]!;
        k--;
      }
    }
    for (let k = 0; k < n; k++) moments.add(batch[k]!);
    for (let k = 0; k < n; k++) quantiles.add(batch[k]!);
    for (let k = 0; k < n; k++) distinct.addNumber(batch[k]!);
    this.batchFill[i] = 0;
  }

  private missing(i: number, line: number): void {
    const acc = this.accumulators[i]!;
    acc.nulls++;
    if (this.enforce[i] && this.codecs[i]!.required) {
      this.violations.add(this.file, line, 'required', () => `column ${this.names[i]}: a value is required`, this.names[i], '');
    }
  }

  /** Records a broken rule of column `i`; its message is built only if it is reported individually. */
  private report(i: number, line: number, text: string, result: CellViolation): void {
    this.violations.add(
      this.file,
      line,
      result.rule,
      () => `column ${this.names[i]}: ${JSON.stringify(text)} breaks ${result.rule}: expected ${result.expected}`,
      this.names[i],
      text,
    );
  }

  private checked(i: number, result: CellResult, line: number, text: string): void {
    const acc = this.accumulators[i]!;
    if (result === null) {
      this.missing(i, line);
      return;
    }
    if (isViolation(result)) {
      if (result.rule === 'required') {
        this.missing(i, line);
        return;
      }
      if (result.rule === 'type') acc.typeErrors++;
      if (this.enforce[i]) this.report(i, line, text, result);
      if (result.rule === 'type') return;
    }
    const value = isViolation(result) ? undefined : result;
    if (acc.moments) {
      if (typeof value === 'number') this.numberValue(i, value);
    } else {
      const shown = typeof value === 'string' ? value : text;
      acc.top!.add(shown);
      acc.distinct.addString(shown);
    }
    const seen = this.uniqueSeen[i];
    if (seen) {
      if (seen.has(text)) {
        this.violations.add(
          this.file,
          line,
          'unique',
          () => `column ${this.names[i]}: ${JSON.stringify(text)} appears more than once; values must be unique`,
          this.names[i],
          text,
        );
      } else {
        seen.add(text);
      }
    }
  }

  private checkKey(line: number, parts: string[]): void {
    const key = parts.join('\u0000');
    if (this.keySeen.has(key)) {
      this.violations.add(
        this.file,
        line,
        'primaryKey',
        () => `primary key (${this.keyIndexes.map((k) => this.names[k]).join(', ')}) = (${parts.join(', ')}) appears more than once`,
      );
    } else {
      this.keySeen.add(key);
    }
  }
}
