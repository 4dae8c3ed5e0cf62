// Large files read by two worker threads give the same result as one thread.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionRun, repoRoot, runAction } from './runner.js';

const MIB16 = 16 * 1024 * 1024;
const [weatherHeader, ...weatherRows] = readFileSync(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv'), 'utf8')
  .replace(/\n$/, '')
  .split('\n');

const fields = [
  '  - {name: date, type: date}',
  '  - {name: precipitation, type: number, constraints: {maximum: 40}}',
  '  - {name: temp_max, type: number}',
  '  - {name: temp_min, type: number}',
  '  - {name: wind, type: number}',
  '  - {name: weather, type: string, constraints: {enum: [drizzle, rain, sun, snow, fog]}}',
];

interface Column {
  name: string;
  count: number;
  nulls: number;
  typeErrors: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

async function runWithThreads(dir: string, threads: number): Promise<{ run: ActionRun; columns: Column[]; lines: number[] }> {
  const run = await runAction('validate-data', {
    workspace: dir,
    inputs: { data: 'data/weather.csv', schema: 'schema.yaml', 'max-reported-errors': '100000', 'fail-on': 'never' },
    env: { MLOPS_THREADS: String(threads) },
  });
  expect(run.exitCode).toBe(0);
  const profile = JSON.parse(readFileSync(run.outputs.profile!, 'utf8')) as { columns: Column[] };
  const lines = run.annotations.filter((a) => a.level === 'error').map((a) => a.line!);
  return { run, columns: profile.columns, lines };
}

function expectSameResult(one: Awaited<ReturnType<typeof runWithThreads>>, two: Awaited<ReturnType<typeof runWithThreads>>): void {
  expect(two.run.outputs.rows).toBe(one.run.outputs.rows);
  expect(two.run.outputs['error-count']).toBe(one.run.outputs['error-count']);
  expect(two.lines).toEqual(one.lines);
  two.columns.forEach((c, i) => {
    const o = one.columns[i]!;
    expect([c.name, c.count, c.nulls, c.typeErrors, c.min, c.max]).toEqual([o.name, o.count, o.nulls, o.typeErrors, o.min, o.max]);
    if (o.mean !== null) expect(Math.abs(c.mean! - o.mean)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(o.mean)));
  });
}

function workspace(csv: string, schemaFields: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-parallel-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'weather.csv'), csv);
  writeFileSync(join(dir, 'schema.yaml'), `fields:\n${schemaFields.join('\n')}\n`);
  return dir;
}

describe('validate-data bundle: large files on two threads', () => {
  it('seattle-weather repeated past 16 MiB: two threads give what one thread gives', async () => {
    const block = `${weatherRows.join('\n')}\n`;
    const copies = Math.ceil((MIB16 + 1024 * 1024) / block.length);
    const dir = workspace(`${weatherHeader}\n${block.repeat(copies)}`, fields);
    const one = await runWithThreads(dir, 1);
    const two = await runWithThreads(dir, 2);
    expect(two.run.stdout).toMatch(/data\/weather\.csv: [\d,]+ rows in [\d.]+ s on 2 threads/);
    expect(one.run.stdout).toMatch(/on 1 thread,/);
    expect(one.run.outputs.rows).toBe(String(copies * weatherRows.length));
    // The rows breaking the rule, found in every copy at its own line.
    const perCopy = weatherRows.flatMap((r, i) => (Number(r.split(',')[1]) > 40 ? [i + 2] : []));
    expect(perCopy.length).toBeGreaterThan(0);
    expect(one.lines).toEqual(Array.from({ length: copies }, (_, k) => perCopy.map((l) => l + k * weatherRows.length)).flat());
    expectSameResult(one, two);
  });

  it('a large file whose quoted fields hold newlines, split inside a quote, still gives the one-thread result', async () => {
    // Each row gains a quoted column holding its readings one per line, so most newlines are inside quotes.
    const rows = weatherRows.map((r) => `${r},"${r.split(',').slice(1).join('\n')}"`);
    const header = `${weatherHeader},readings`;
    const block = `${rows.join('\n')}\n`;
    let copies = Math.ceil((MIB16 + 1024 * 1024) / block.length);
    // Choose the size so the two-thread split (the first newline after the middle) falls inside quotes.
    for (; ; copies++) {
      const text = `${header}\n${block.repeat(copies)}`;
      const start = header.length + 1;
      const middle = start + Math.floor((Buffer.byteLength(text) - start) / 2);
      const newline = text.indexOf('\n', middle - 1);
      const quotesBefore = text.slice(0, newline).split('"').length - 1;
      if (quotesBefore % 2 === 1) break;
    }
    const dir = workspace(`${header}\n${block.repeat(copies)}`, [...fields, '  - {name: readings, type: string}']);
    const one = await runWithThreads(dir, 1);
    const two = await runWithThreads(dir, 2);
    expect(one.run.outputs.rows).toBe(String(copies * rows.length));
    // The split fell inside a quoted field: detected, and the file read again on one thread.
    expect(two.run.stdout).toMatch(/data\/weather\.csv: [\d,]+ rows in [\d.]+ s on 1 thread,/);
    expect(one.lines.length).toBeGreaterThan(0);
    // Each record spans 5 lines; violations point at the line the record starts on.
    expect(one.lines[0]).toBe(2 + 5 * weatherRows.findIndex((r) => Number(r.split(',')[1]) > 40));
    expectSameResult(one, two);
  });
});
