import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { driftColumnOf } from '../../../shared/data/drift.js';
import { QuantileSketch } from '../../../shared/data/sketch/quantiles.js';
import { populationStabilityIndex } from '../../../shared/data/sketch/drift.js';
import { InputError } from '../../../shared/errors.js';
import {
  measureRequestLogDrift,
  readRequestLogDrift,
  RequestLogDriftMeter,
  type RequestLogDrift,
} from '../../../shared/monitor/request-log-drift.js';
import { RequestLog } from '../../../shared/serve/request-log.js';
import { profileOf, tempDir } from '../data/profile-run.js';
import { csvLines, penguinsCsv } from '../data/real-data.js';

interface Penguin {
  species: string;
  island: string;
  bill_length_mm: number | null;
  bill_depth_mm: number | null;
  flipper_length_mm: number | null;
  body_mass_g: number | null;
  sex: string | null;
}

const NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;
let reference: ProfileJSON;
let penguins: Penguin[];

beforeAll(async () => {
  reference = await profileOf(csvLines(penguinsCsv).join('\n') + '\n', 'penguins.csv');
  penguins = csvLines(penguinsCsv)
    .slice(1)
    .map((line) => {
      const [species, island, a, b, c, d, sex] = line.split(',');
      const number = (v: string | undefined) => (v === undefined || v === '' || v === 'NA' ? null : Number(v));
      return {
        species: species!,
        island: island!,
        bill_length_mm: number(a),
        bill_depth_mm: number(b),
        flipper_length_mm: number(c),
        body_mass_g: number(d),
        sex: sex === '' || sex === 'NA' || sex === undefined ? null : sex,
      };
    });
});

/** Seeded draws, so a resample is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resample(rows: Penguin[], count: number, seed: number): Penguin[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => rows[Math.floor(random() * rows.length)]!);
}

/** A request of `rows` as a column-per-input model (sklearn-onnx's export) has it logged: numbers as [rows, 1], strings as [rows]. */
function columnsEntry(rows: Penguin[], i: number, extra: Record<string, unknown> = {}): string {
  const inputs: Record<string, unknown> = { island: rows.map((r) => r.island), sex: rows.map((r) => r.sex) };
  for (const name of NUMERIC) inputs[name] = rows.map((r) => [r[name]]);
  return JSON.stringify({
    id: `req-${i}`,
    time: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
    model: 'penguins',
    version: '1',
    endpoint: 'infer',
    rows: rows.length,
    inputs,
    outputs: { label: rows.map(() => 'Adelie') },
    ...extra,
  });
}

/** A request as a single-matrix model (the penguins example's PyTorch MLP) has it logged: `features` [rows, 4]. */
function matrixEntry(rows: Penguin[], i: number): string {
  return JSON.stringify({
    id: `req-${i}`,
    time: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
    model: 'penguins',
    version: '1',
    endpoint: 'infer',
    rows: rows.length,
    inputs: { features: rows.map((r) => NUMERIC.map((n) => r[n])) },
    outputs: { logits: rows.map(() => [0.1, 0.2, 0.7]) },
  });
}

function logOf(rows: Penguin[], perRequest: number, entry = columnsEntry): string {
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += perRequest) lines.push(entry(rows.slice(i, i + perRequest), lines.length));
  return lines.join('\n') + '\n';
}

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const byColumn = (drift: RequestLogDrift) => Object.fromEntries(drift.columns.map((c) => [c.column, c]));

describe('request-log drift', () => {
  it('traffic like the training data: every column stable, decided as validate-data decides (KS, chi-squared below 1,000 values)', async () => {
    const live = resample(penguins, 1200, 1);
    const drift = await measureRequestLogDrift(chunks(logOf(live, 3), 64 * 1024), { reference });
    expect(drift.entries).toBe(400);
    expect(drift.rows).toBe(1200);
    expect(drift.missing).toEqual(['species']);
    expect(drift.unknown).toEqual([]);
    const columns = byColumn(drift);
    expect(Object.keys(columns).sort()).toEqual([...NUMERIC, 'island', 'sex'].sort());
    for (const name of NUMERIC) {
      expect(columns[name]).toMatchObject({ method: 'ks', status: 'stable' });
      // The live column counts what was sent: values present, nulls apart.
      const sent = live.filter((r) => r[name] !== null).length;
      expect(columns[name]!.counts).toEqual({ reference: reference.columns.find((c) => c.name === name)!.count, current: sent });
      expect(columns[name]!.psi).toBeLessThan(0.1);
    }
    expect(columns.island).toMatchObject({ method: 'chi-squared', status: 'stable' });
    expect(columns.sex).toMatchObject({ method: 'chi-squared', status: 'stable' });
    const liveSex = drift.profile.columns.find((c) => c.name === 'sex')!;
    expect(liveSex.nulls).toBe(live.filter((r) => r.sex === null).length);
  });

  it('traffic from another population (Gentoo only): the measurements and the island drift; PSI is the sketches’ PSI', async () => {
    const gentoo = penguins.filter((p) => p.species === 'Gentoo');
    const drift = await measureRequestLogDrift(chunks(logOf(resample(gentoo, 1500, 2), 5), 4096), { reference });
    const columns = byColumn(drift);
    for (const name of ['bill_depth_mm', 'flipper_length_mm', 'body_mass_g'])
      expect(columns[name]).toMatchObject({ method: 'ks', status: 'drift' });
    expect(columns.island!.status).toBe('drift');
    // PSI whatever decided, computed on the reference's and the live column's KLL sketches.
    const liveDepth = QuantileSketch.fromJSON(drift.profile.columns.find((c) => c.name === 'bill_depth_mm')!.sketches.quantiles!);
    const refDepth = driftColumnOf(reference.columns.find((c) => c.name === 'bill_depth_mm')!).quantiles();
    expect(columns.bill_depth_mm!.psi).toBeCloseTo(populationStabilityIndex(refDepth, liveDepth), 12);
    expect(columns.bill_depth_mm!.psi).toBeGreaterThan(0.2);
    expect(columns.island!.psi).toBeNull();
  });

  it('over 1,000 values on both sides PSI and Jensen–Shannon decide, with per-column overrides', async () => {
    const big = await profileOf(
      ['x,c', ...Array.from({ length: 3000 }, (_, i) => `${(i * 7919) % 1000},${['a', 'b', 'c'][i % 3]}`)].join('\n') + '\n',
    );
    const entry = (i: number, x: number, c: string) =>
      JSON.stringify({ id: String(i), time: '2026-12-01T00:00:00Z', inputs: { x: [x], c: [c] } });
    const lines = Array.from({ length: 2000 }, (_, i) => entry(i, 500 + ((i * 7919) % 1000), ['a', 'b', 'c', 'c'][i % 4]!));
    const drift = await measureRequestLogDrift(chunks(lines.join('\n'), 1000), { reference: big, overrides: { c: { js: 0.5 } } });
    const columns = byColumn(drift);
    expect(columns.x).toMatchObject({ method: 'psi', status: 'drift', threshold: 0.2 });
    expect(columns.x!.psi).toBe(columns.x!.score);
    expect(columns.c).toMatchObject({ method: 'js', status: 'stable', threshold: 0.5 });
  });

  it('a matrix input: columns named by `features`, else the reference’s numeric columns when as many, else <tensor>_<i>', async () => {
    const live = resample(penguins, 600, 3);
    const text = logOf(live, 4, matrixEntry);
    const named = await measureRequestLogDrift(chunks(text, 8192), { reference });
    expect(named.columns.map((c) => c.column)).toEqual([...NUMERIC]);
    expect(named.missing).toEqual(['species', 'island', 'sex']);
    const renamed = await measureRequestLogDrift(chunks(text, 8192), {
      reference,
      features: { features: ['bill_depth_mm', 'bill_length_mm', 'flipper_length_mm', 'body_mass_g'] },
    });
    // Two columns swapped: their drift shows it.
    expect(byColumn(renamed).bill_depth_mm!.status).toBe('drift');
    expect(byColumn(named).bill_depth_mm!.status).toBe('stable');
    await expect(measureRequestLogDrift(chunks(text, 8192), { reference, features: { features: ['a', 'b'] } })).rejects.toThrow(
      /features of features name 2 columns \(a, b\) but the logged tensor has 4 per row/,
    );
    const narrow = { ...reference, columns: reference.columns.filter((c) => c.name !== 'body_mass_g') };
    const unnamed = await measureRequestLogDrift(chunks(text, 8192), { reference: narrow });
    expect(unnamed.unknown).toEqual(['features_0', 'features_1', 'features_2', 'features_3']);
    expect(unnamed.columns).toEqual([]);
  });

  it('reads lines across chunk boundaries, CRLF and a last line without a newline alike; counts malformed lines', async () => {
    const live = resample(penguins, 300, 4);
    const text = logOf(live, 2);
    const whole = await measureRequestLogDrift(chunks(text, text.length), { reference });
    const tiny = await measureRequestLogDrift(chunks(text, 7), { reference });
    const crlf = await measureRequestLogDrift(chunks(text.replaceAll('\n', '\r\n').trimEnd(), 13), { reference });
    expect(tiny).toEqual(whole);
    expect(crlf).toEqual(whole);
    const broken = [
      '{"id":"x","inputs":{"island":["Dream"]}}',
      'not json',
      '[1,2]',
      '{"id":"y"}',
      '',
      '{"id":"z","inputs":{"island":["Biscoe"]',
    ].join('\n');
    const drift = await measureRequestLogDrift(chunks(broken, 5), { reference });
    expect(drift.entries).toBe(1);
    expect(drift.skipped.malformed).toBe(4);
    expect(drift.skipped.firstProblem).toMatch(/^line 2 is not JSON/);
  });

  it('drops a line over the length limit without holding it', () => {
    const meter = new RequestLogDriftMeter({ reference });
    const huge = `{"id":"big","inputs":{"island":[${'"Dream",'.repeat(9_000_000)}"Dream"]}}`;
    for (let i = 0; i < huge.length; i += 1 << 20) meter.write(huge.slice(i, i + (1 << 20)));
    meter.write(`\n${columnsEntry([penguins[0]!], 1)}\n`);
    const drift = meter.finish();
    expect(drift.skipped).toMatchObject({ malformed: 1, firstProblem: 'line 1 is over 67108864 bytes' });
    expect(drift.entries).toBe(1);
  });

  it('keeps to one model version and a time window when asked', async () => {
    const rows = resample(penguins, 40, 5);
    const lines = [
      ...rows.slice(0, 10).map((r, i) => columnsEntry([r], i)),
      ...rows.slice(10, 20).map((r, i) => columnsEntry([r], i, { version: '2' })),
      ...rows.slice(20, 40).map((r, i) => columnsEntry([r], 100 + i)),
    ].join('\n');
    const drift = await measureRequestLogDrift(chunks(lines, 999), {
      reference,
      model: 'penguins',
      version: '1',
      since: Date.UTC(2026, 11, 1) + 5_000,
    });
    expect(drift.entries).toBe(25);
    expect(drift.skipped).toEqual({ malformed: 0, otherModel: 10, beforeSince: 5 });
  });

  it('reads a folder of the runtime’s request-log files oldest first, as RequestLog writes them', async () => {
    const dir = tempDir('request-log-drift-');
    const log = new RequestLog({ dir, capacity: 1000, periodMs: 3_600_000 });
    const rows = resample(penguins, 90, 6);
    rows.slice(0, 50).forEach((r, i) => log.offer(() => JSON.parse(columnsEntry([r], i))));
    await log.rotate();
    rows.slice(50).forEach((r, i) => log.offer(() => JSON.parse(columnsEntry([r], 50 + i))));
    await log.close();
    mkdirSync(join(dir, 'unrelated'));
    writeFileSync(join(dir, 'notes.txt'), 'not a log');
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toHaveLength(2);
    const drift = await readRequestLogDrift(dir, { reference });
    expect(drift.files).toHaveLength(2);
    expect(drift.entries).toBe(90);
    expect(drift.rows).toBe(90);
    const single = await readRequestLogDrift(drift.files[0]!, { reference });
    expect(single.entries).toBe(50);
    await expect(readRequestLogDrift(join(dir, 'missing'), { reference })).rejects.toThrow(InputError);
    await expect(readRequestLogDrift(join(dir, 'unrelated'), { reference })).rejects.toThrow(/holds no requests-\*\.jsonl files/);
  });
});
