// Differential test against frictionless' JavaScript implementation (`tableschema` from npm) on the edge-case
// corpus in test/fixtures/table-schema/differential/: every cell and table row is judged by us, by tableschema
// and by the spec (the corpus's valid/invalid lists, each case quoting the sentence that decides). Wherever
// the three do not all agree, adjudications.json must say who is right and why; a disagreement it does not
// record fails the test, and so does a recorded one that no longer happens. DIFFERENTIAL_DUMP=FILE writes the
// unadjudicated ones to FILE, to start their entries from.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileField } from '../../../../shared/data/table-schema/field.js';
import '../../../../shared/data/table-schema/json-schema-constraint.js';
import {
  isViolation,
  primaryKeyFields,
  type MissingValue,
  type TableField,
  type TableSchema,
} from '../../../../shared/data/table-schema/types.js';
import { TableProfiler } from '../../../../shared/data/table-profiler.js';
import { ViolationLog } from '../../../../shared/data/violations.js';

const fixtures = new URL('../../../fixtures/table-schema/differential/', import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as T;

type Verdict = 'valid' | 'invalid' | 'unsupported';
interface CellCase {
  id: string;
  spec: string;
  field: Omit<TableField, 'name'>;
  missingValues?: MissingValue[];
  valid: string[];
  invalid: string[];
}
interface TableCase {
  id: string;
  spec: string;
  schema: TableSchema;
  rows: string[][];
  invalidRows: number[];
}
interface Adjudication {
  case: string;
  cell?: string;
  spec: unknown;
  ours: unknown;
  tableschema: unknown;
  right: 'ours' | 'tableschema' | 'neither';
  why: string;
}

const cells = read<{ cases: CellCase[] }>('cells.json').cases;
const tables = read<{ cases: TableCase[] }>('tables.json').cases;
const adjudications = read<{ cells: Adjudication[]; tables: Adjudication[] }>('adjudications.json');

// tableschema is CommonJS; its Field and Table are what `frictionless` users of JavaScript call.
const tableschema = createRequire(import.meta.url)('tableschema') as {
  Field: new (descriptor: object, options?: { missingValues?: string[] }) => { castValue(value: string): unknown };
  Table: { load(source: string[][], options: { schema: object }): Promise<{ read(options: { forceCast: boolean }): Promise<unknown[]> }> };
};

function ourCell(c: CellCase, raw: string): Verdict {
  return isViolation(compileField({ name: 'x', ...c.field }, c.missingValues).castAndCheck(raw)) ? 'invalid' : 'valid';
}

function theirCell(c: CellCase, raw: string): Verdict {
  let field: { castValue(value: string): unknown };
  try {
    const missingValues = c.missingValues?.map((v) => (typeof v === 'string' ? v : v.value));
    field = new tableschema.Field({ name: 'x', ...c.field }, missingValues ? { missingValues } : {});
  } catch {
    return 'unsupported';
  }
  try {
    field.castValue(raw);
    return 'valid';
  } catch {
    return 'invalid';
  }
}

function ourRows(c: TableCase): number[] {
  const log = new ViolationLog(1000);
  const profiler = new TableProfiler(
    'table.csv',
    {
      columns: c.schema.fields.map((field) => ({ field, enforce: true })),
      missingValues: c.schema.missingValues ?? [''],
      primaryKey: primaryKeyFields(c.schema),
      uniqueKeys: c.schema.uniqueKeys ?? [],
    },
    log,
  );
  c.rows.slice(1).forEach((row, i) => profiler.values(row, i + 1));
  profiler.finish();
  return [...new Set(log.reported.map((v) => v.line!))].sort((a, b) => a - b);
}

async function theirRows(c: TableCase): Promise<number[] | 'unsupported'> {
  try {
    const table = await tableschema.Table.load(c.rows, { schema: c.schema });
    const rows = await table.read({ forceCast: true });
    return rows.flatMap((row, i) => (row instanceof Error ? [i + 1] : []));
  } catch {
    return 'unsupported';
  }
}

function adjudicationFor(list: Adjudication[], id: string, cell?: string): Adjudication | undefined {
  return list.find((a) => a.case === id && a.cell === cell);
}

describe('differential test against tableschema (JavaScript)', () => {
  it('every cell where we, tableschema and the spec do not all agree is adjudicated', () => {
    const unadjudicated: object[] = [];
    const used = new Set<Adjudication>();
    let total = 0;
    let oursRight = 0;
    let theirsRight = 0;
    for (const c of cells) {
      for (const [spec, list] of [
        ['valid', c.valid],
        ['invalid', c.invalid],
      ] as const) {
        for (const cell of list) {
          total++;
          const ours = ourCell(c, cell);
          const theirs = theirCell(c, cell);
          if (ours === spec) oursRight++;
          if (theirs === spec) theirsRight++;
          if (ours === spec && theirs === spec) continue;
          const found = adjudicationFor(adjudications.cells, c.id, cell);
          if (found && found.ours === ours && found.tableschema === theirs && found.spec === spec) used.add(found);
          else unadjudicated.push({ case: c.id, cell, spec, ours, tableschema: theirs });
        }
      }
    }
    const stale = adjudications.cells.filter((a) => !used.has(a)).map((a) => ({ case: a.case, cell: a.cell }));
    if (process.env.DIFFERENTIAL_DUMP) writeFileSync(process.env.DIFFERENTIAL_DUMP, JSON.stringify(unadjudicated, null, 1));
    expect({ unadjudicated, stale }).toEqual({ unadjudicated: [], stale: [] });
    // Where we are wrong, the file says so ("right": "tableschema" or "neither"); it must agree with the counts.
    const oursWrong = adjudications.cells.filter((a) => a.right !== 'ours').length;
    expect(total - oursRight).toBe(oursWrong);
    expect(total).toBeGreaterThan(250);
    // The corpus is worth having only if it separates the two: tableschema misses many of these cells.
    expect(theirsRight).toBeLessThan(oursRight);
  });

  it('every table where we, tableschema and the spec do not all agree on the rows breaking a key is adjudicated', async () => {
    const unadjudicated: object[] = [];
    const used = new Set<Adjudication>();
    for (const c of tables) {
      const ours = ourRows(c);
      const theirs = await theirRows(c);
      const spec = c.invalidRows;
      const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
      if (same(ours, spec) && same(theirs, spec)) continue;
      const found = adjudicationFor(adjudications.tables, c.id);
      if (found && same(found.ours, ours) && same(found.tableschema, theirs) && same(found.spec, spec)) used.add(found);
      else unadjudicated.push({ case: c.id, spec, ours, tableschema: theirs });
    }
    const stale = adjudications.tables.filter((a) => !used.has(a)).map((a) => ({ case: a.case }));
    if (process.env.DIFFERENTIAL_DUMP) writeFileSync(process.env.DIFFERENTIAL_DUMP, JSON.stringify(unadjudicated, null, 1));
    expect({ unadjudicated, stale }).toEqual({ unadjudicated: [], stale: [] });
  });

  it('every adjudication names who is right and why', () => {
    for (const a of [...adjudications.cells, ...adjudications.tables]) {
      expect(['ours', 'tableschema', 'neither']).toContain(a.right);
      expect(a.why.length).toBeGreaterThan(20);
    }
  });
});
