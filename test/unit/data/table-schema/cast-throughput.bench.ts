// Micro-benchmark of FieldCodec.castAndCheck (a script, not a test): cells per second for the column
// kinds validate-data meets most, on real cells from vega-datasets repeated to a few million.
// Violations are shared objects and integers are small integers, so neither allocates; a non-integer
// number is a double, which V8 boxes when it returns from a call it did not inline (short-lived, cheap
// to scavenge; `node --trace-gc` shows it). One `run` loop serves every column, so its call site is
// polymorphic, as in the stage's row loop.
// Run (from the repository root):
//   npx tsc --ignoreConfig --outDir /tmp/table-schema-bench --rootDir . --module nodenext --target es2023 \
//     --skipLibCheck --types node test/unit/data/table-schema/cast-throughput.bench.ts
//   node_modules/.bin/node /tmp/table-schema-bench/test/unit/data/table-schema/cast-throughput.bench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileField } from '../../../../shared/data/table-schema/field.js';
import { isViolation, type FieldCodec, type TableField } from '../../../../shared/data/table-schema/types.js';

// Compiled elsewhere to run, so data is found from the working directory (the repository root).
const read = (name: string): string => readFileSync(join(process.cwd(), 'node_modules/vega-datasets/data', name), 'utf8');

const seattle = read('seattle-weather.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const penguins = JSON.parse(read('penguins.json')) as Record<string, unknown>[];

const CELLS = 4_000_000;
function repeatTo(values: string[]): string[] {
  // Copies, so the benchmark reads flat strings as a CSV parser would hand them over.
  return Array.from({ length: CELLS }, (_, i) => `${values[i % values.length]!}`);
}

const columns: Array<{ label: string; field: TableField; cells: string[] }> = [
  {
    label: 'integer (penguins Body Mass, with nulls)',
    field: { name: 'mass', type: 'integer' },
    cells: repeatTo(penguins.map((p) => (p['Body Mass (g)'] === null ? '' : String(p['Body Mass (g)'])))),
  },
  {
    label: 'integer, minimum/maximum',
    field: { name: 'mass', type: 'integer', constraints: { minimum: 2700, maximum: 6300 } },
    cells: repeatTo(penguins.map((p) => (p['Body Mass (g)'] === null ? '' : String(p['Body Mass (g)'])))),
  },
  {
    label: 'number (seattle precipitation, temps, wind)',
    field: { name: 'x', type: 'number' },
    cells: repeatTo(seattle.flatMap((row) => row.slice(1, 5))),
  },
  {
    label: 'number, required, minimum/maximum',
    field: { name: 'x', type: 'number', constraints: { required: true, minimum: -20, maximum: 60 } },
    cells: repeatTo(seattle.flatMap((row) => row.slice(1, 5))),
  },
  {
    label: 'string with enum (seattle weather)',
    field: { name: 'weather', constraints: { required: true, enum: ['drizzle', 'rain', 'sun', 'snow', 'fog'] } },
    cells: repeatTo(seattle.map((row) => row[5]!)),
  },
  {
    label: 'date, default ISO (seattle date)',
    field: { name: 'date', type: 'date', constraints: { required: true } },
    cells: repeatTo(seattle.map((row) => row[0]!)),
  },
  {
    label: 'date, format %Y-%m-%d',
    field: { name: 'date', type: 'date', format: '%Y-%m-%d' },
    cells: repeatTo(seattle.map((row) => row[0]!)),
  },
];

function run(codec: FieldCodec, cells: string[]): { sum: number; violations: number } {
  let sum = 0;
  let violations = 0;
  for (let i = 0; i < cells.length; i++) {
    const result = codec.castAndCheck(cells[i]!);
    if (typeof result === 'number') sum += result;
    else if (isViolation(result)) violations++;
  }
  return { sum, violations };
}

/** What a naive cast costs, for scale: Number() and a NaN test, no missing values or constraints. */
function baseline(cells: string[]): number {
  let sum = 0;
  for (let i = 0; i < cells.length; i++) {
    const value = Number(cells[i]!);
    if (value === value) sum += value;
  }
  return sum;
}

const results: Array<Record<string, string | number>> = [];
for (const { label, field, cells } of columns) {
  const codec = compileField(field);
  run(codec, cells); // warm-up: let the closure reach optimised code
  const rounds = 5;
  let best = Infinity;
  let outcome = { sum: 0, violations: 0 };
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    outcome = run(codec, cells);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.min(best, seconds);
  }
  results.push({
    column: label,
    'Mcells/s': Number((cells.length / best / 1e6).toFixed(1)),
    'ns/cell': Number(((best * 1e9) / cells.length).toFixed(1)),
    violations: outcome.violations,
  });
}
{
  const cells = columns[2]!.cells;
  baseline(cells);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    baseline(cells);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  results.push({
    column: 'baseline: Number() + NaN test on the number cells',
    'Mcells/s': Number((cells.length / best / 1e6).toFixed(1)),
    'ns/cell': Number(((best * 1e9) / cells.length).toFixed(1)),
    violations: 0,
  });
}
console.log(`node ${process.version}, ${CELLS.toLocaleString('en')} cells per column, best of 5 rounds, one thread`);
console.table(results);
