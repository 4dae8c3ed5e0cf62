import { FAST_DATE, FAST_DATETIME, FAST_INTEGER, FAST_NUMBER, readFastValue } from './byte-values.js';
import { type FieldRanges, FieldQuoting, type RecordSink, fieldText } from './csv-scanner.js';
import { CategoryTable } from './category-table.js';
import { ColumnAccumulator, type ColumnKind } from './profile.js';
import { KeyDigest, type KeyHook } from './foreign-keys.js';
import { compileField } from './table-schema/field.js';
import {
  isViolation,
  type CellResult,
  type CellValue,
  type CellViolation,
  type FieldCodec,
  type MissingValue,
  type TableField,
} from './table-schema/types.js';
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
  /** The schema's missing values (a field's own list replaces them for that field). */
  missingValues: MissingValue[];
  /** The primary key's column names (one or more; none without a key): never null, unique together. */
  primaryKey: string[];
  /** Column sets whose logical values must be unique together, rows with a null part excepted. */
  uniqueKeys: string[][];
}

/** Whether a plan needs every row in one place (uniqueness and keys are checked across the whole file). */
export function planNeedsWholeFile(plan: TablePlan): boolean {
  return (
    plan.primaryKey.length > 0 || plan.uniqueKeys.length > 0 || plan.columns.some((c) => c.enforce && c.field.constraints?.unique === true)
  );
}

/** A set of columns whose values must be unique together. */
interface KeyCheck {
  rule: 'primaryKey' | 'uniqueKeys';
  indexes: number[];
  seen: Set<string>;
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

/**
 * How a field's column is profiled. Categories said to be ordered or unordered are counted per category, even in
 * an integer field: ordered ones have the order of their list ("SHOULD regard the order of appearance of the values
 * ... as their natural order"), unordered ones none ("SHOULD assume that the categories do not have a natural
 * order"), so the integers' order (mean, quantiles) is not theirs. Without categoriesOrdered, "no assumption".
 */
export function columnKindOf(field: TableField): ColumnKind {
  return field.categoriesOrdered !== undefined && field.categories !== undefined ? 'categorical' : kindOf(field.type);
}

/** The categories of an ordered-categories field, as the profile's texts, in their order; else undefined. */
function categoryOrderOf(field: TableField): string[] | undefined {
  if (field.categoriesOrdered !== true || field.categories === undefined) return undefined;
  return field.categories.map((c) => String(typeof c === 'object' && c !== null ? c.value : c));
}

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

/** The byte reader a column may use: only when its codec says plain values need no check but its bounds. */
function fastPathOf(field: TableField, codec: FieldCodec): number {
  if (codec.fastBounds === undefined) return FAST_NONE;
  const unbounded = codec.fastBounds[0] === -Infinity && codec.fastBounds[1] === Infinity;
  const format = field.format ?? 'default';
  switch (field.type) {
    case 'integer':
      return field.groupChar === undefined && field.bareNumber !== false ? FAST_INTEGER : FAST_NONE;
    case 'number':
      return field.groupChar === undefined && field.bareNumber !== false && (field.decimalChar ?? '.') === '.' ? FAST_NUMBER : FAST_NONE;
    case 'date':
      return format === 'default' && unbounded ? FAST_DATE : FAST_NONE;
    case 'datetime':
      return format === 'default' && unbounded ? FAST_DATETIME : FAST_NONE;
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
  private readonly emptyMissing: boolean[];
  private readonly uniqueSeen: (Set<CellValue> | undefined)[];
  private readonly keys: KeyCheck[];
  /** Per column: whether a key reads it, and its last logical value (null when missing). */
  private readonly keyed: boolean[];
  private readonly lastValue: (CellValue | undefined)[];
  private readonly lastText: string[];
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
    // "Per SQL standards, the [primary key] fields cannot be null": each is required.
    // A key naming a repeated column name means its first column.
    this.codecs = plan.columns.map((c, i) =>
      plan.primaryKey.includes(c.field.name) && this.names.indexOf(c.field.name) === i
        ? compileField({ ...c.field, constraints: { ...c.field.constraints, required: true } }, plan.missingValues)
        : compileField(c.field, plan.missingValues),
    );
    this.emptyMissing = this.codecs.map((codec) => codec.emptyIsMissing);
    this.accumulators = plan.columns.map((c) => {
      const accumulator = new ColumnAccumulator(c.field.name, c.field.type ?? 'any', columnKindOf(c.field));
      accumulator.order = categoryOrderOf(c.field);
      return accumulator;
    });
    this.enforce = plan.columns.map((c) => c.enforce);
    this.fast = new Uint8Array(n);
    this.minimum = new Float64Array(n).fill(-Infinity);
    this.maximum = new Float64Array(n).fill(Infinity);
    this.uniqueSeen = this.codecs.map((codec, i) => (codec.unique && plan.columns[i]!.enforce ? new Set<CellValue>() : undefined));
    const keySets: Array<[KeyCheck['rule'], string[]]> = [
      ...(plan.primaryKey.length > 0 ? [['primaryKey', plan.primaryKey] as [KeyCheck['rule'], string[]]] : []),
      ...plan.uniqueKeys.map((names) => ['uniqueKeys', names] as [KeyCheck['rule'], string[]]),
    ];
    this.keys = keySets
      .map(([rule, names]) => ({ rule, indexes: names.map((name) => this.names.indexOf(name)), seen: new Set<string>() }))
      .filter((key) => key.indexes.length > 0 && key.indexes.every((i) => i >= 0));
    this.keyed = this.names.map((_, i) => this.keys.some((key) => key.indexes.includes(i)));
    this.lastValue = new Array<CellValue | undefined>(n);
    this.lastText = new Array<string>(n).fill('');
    plan.columns.forEach((c, i) => {
      // Uniqueness compares logical values: those columns are always cast.
      if (this.uniqueSeen[i] !== undefined || this.keyed[i]) return;
      this.fast[i] = fastPathOf(c.field, this.codecs[i]!);
      if (this.fast[i] !== FAST_NONE) {
        this.minimum[i] = this.codecs[i]!.fastBounds![0];
        this.maximum[i] = this.codecs[i]!.fastBounds![1];
      }
    });
    this.batches = this.accumulators.map((a) => (a.moments ? new Float64Array(BATCH) : undefined));
    this.batchFill = new Int32Array(n);
    this.tables = plan.columns.map((c, i) => {
      if (columnKindOf(c.field) !== 'categorical' || this.uniqueSeen[i] !== undefined || this.keyed[i]) return undefined;
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
        if (start === end && this.emptyMissing[i]) {
          this.missing(i, line);
          continue;
        }
        // Doubled quotes need unescaping: such a cell takes the text path.
        if (quoting[i] !== FieldQuoting.QuotedEscaped && this.category(i, buf, fields, line)) continue;
      } else if (fast !== FAST_NONE) {
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
    if (this.keys.length > 0) this.checkKeys(line);
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
      // Beyond the memory budget the key's values are kept too, so equality is decided on them, not the digest.
      const exact = (hook.spilled ?? hook.probe)?.encoder;
      exact?.begin();
      let complete = true;
      for (const column of hook.columns) {
        const text = textOf(column);
        const value = text === null ? null : this.codecs[column]!.castAndCheck(text);
        if (value === null || isViolation(value)) {
          complete = false;
          break;
        }
        digest.add(value);
        exact?.part(value);
      }
      if (!complete) continue;
      digest.finish();
      if (hook.spilled) hook.spilled.add(digest);
      else if (hook.probe)
        hook.probe.probe(
          digest,
          this.file,
          line,
          hook.columns.map((c) => textOf(c)!),
        );
      else if (collecting) hook.set!.add(digest);
      else if (!hook.set!.has(digest)) {
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
    if (this.keys.length > 0) this.checkKeys(line);
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
    this.lastValue[i] = null;
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
    // A text that is not of the field's type stands for itself in keys: two equal bad texts still collide.
    if (this.keyed[i]) {
      this.lastValue[i] = isViolation(result) ? `\u0000${text}` : result;
      this.lastText[i] = text;
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
    // "All constraints MUST be tested against the logical representation of data": 1, 1.0 and 1e0 are one number.
    if (seen && value !== undefined) {
      if (seen.has(value)) {
        this.violations.add(
          this.file,
          line,
          'unique',
          () => `column ${this.names[i]}: ${JSON.stringify(text)} appears more than once; values must be unique`,
          this.names[i],
          text,
        );
      } else {
        seen.add(value);
      }
    }
  }

  /** Checks the row's key values (left in lastValue by the cells) against every key seen before. */
  private checkKeys(line: number): void {
    for (const key of this.keys) {
      let joined = '';
      let hasNull = false;
      for (const k of key.indexes) {
        const value = this.lastValue[k];
        if (value === null || value === undefined) {
          hasNull = true;
          break;
        }
        joined += `${typeof value === 'number' ? (value === 0 ? '0' : String(value)) : typeof value === 'boolean' ? `b${value}` : `s${value}`}\u0001`;
      }
      // A primary key's null part is reported as required; uniqueKeys leave such rows out ("MUST be excluded").
      if (hasNull) continue;
      if (key.seen.has(joined)) {
        const names = key.indexes.map((k) => this.names[k]).join(', ');
        const values = key.indexes.map((k) => this.lastText[k]).join(', ');
        this.violations.add(this.file, line, key.rule, () =>
          key.rule === 'primaryKey'
            ? `primary key (${names}) = (${values}) appears more than once`
            : `unique key (${names}) = (${values}) appears more than once`,
        );
      } else {
        key.seen.add(joined);
      }
    }
  }
}
