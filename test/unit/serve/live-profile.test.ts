// The live profile buffers matrix rows and folds them into its sketches column by column: its windows
// must hold exactly the sketches of adding every value as it arrived (checked against validate-data's
// accumulators fed one value at a time), across window changes, reads between requests, large
// requests, non-finite values and a categorical column. Its drift (merging only what drift reads)
// must equal validate-data's measureDrift on the merged profile.
import { describe, expect, it } from '@jest/globals';
import { asDistance, driftColumnOf, measureDrift } from '../../../shared/data/drift.js';
import { ColumnAccumulator, type ColumnProfileJSON, type ProfileJSON } from '../../../shared/data/profile.js';
import { liveDrift, referenceColumns, WindowedProfile, type ProfiledColumn } from '../../../shared/serve/live-profile.js';

const WIDTH = 5;
const columns: ProfiledColumn[] = [
  ...Array.from({ length: WIDTH - 1 }, (_, c): ProfiledColumn => ({ name: `x${c}`, kind: 'numeric' })),
  { name: 'code', kind: 'categorical' },
];

/** Deterministic values with repeats, NaN and infinities. */
function value(i: number): number {
  if (i % 997 === 0) return NaN;
  if (i % 1999 === 0) return i % 2 === 0 ? Infinity : -Infinity;
  return Math.round(Math.sin(i * 12.9898) * 43758.5453) % 1000;
}

/** One accumulator per column, fed value by value as the profile did before it buffered. */
function direct(): ColumnAccumulator[] {
  return columns.map((c) => new ColumnAccumulator(c.name, c.kind === 'categorical' ? 'string' : 'number', c.kind));
}

function feed(accs: ColumnAccumulator[], data: Float32Array, rows: number): void {
  for (let c = 0; c < WIDTH; c++)
    for (let r = 0; r < rows; r++) {
      const x = data[r * WIDTH + c]!;
      const acc = accs[c]!;
      if (acc.moments) {
        if (x - x !== 0) acc.countNonFinite(x);
        else {
          acc.moments.add(x);
          acc.quantiles!.add(x);
          acc.distinct.addNumber(x);
        }
      } else {
        acc.top!.add(String(x));
        acc.distinct.addString(String(x));
      }
    }
}

const json = (accs: ColumnAccumulator[]): ColumnProfileJSON[] => accs.map((a) => a.toJSON());

describe('the live profile', () => {
  it('folds buffered rows into exactly the sketches of adding each value as it came, window by window', () => {
    let now = 0;
    const profile = new WindowedProfile(columns, 60_000, 3, () => now);
    const expected: ColumnAccumulator[][] = [];
    const rowsPerWindow: number[] = [];
    let i = 0;
    // Three windows; requests of 1 to 700 rows (over the buffer), with reads in between.
    for (let w = 0; w < 3; w++) {
      now = w * 60_000 + 5;
      const accs = direct();
      expected.push(accs);
      rowsPerWindow.push(0);
      for (let request = 0; request < 400; request++) {
        const rows = request % 97 === 0 ? 700 : 1 + (request % 4);
        const data = new Float32Array(rows * WIDTH);
        for (let k = 0; k < data.length; k++) data[k] = value(i++);
        profile.addMatrix(data, rows, WIDTH);
        profile.countRows(rows);
        feed(accs, data, rows);
        rowsPerWindow[w]! += rows;
        if (request === 150) expect(profile.windowProfiles().at(-1)!.columns).toEqual(json(accs));
        now += 7;
      }
    }
    const windows = profile.windowProfiles();
    expect(windows.map((p) => p.rows)).toEqual(rowsPerWindow);
    windows.forEach((p, w) => expect(p.columns).toEqual(json(expected[w]!)));
    // The merge of the windows kept equals one accumulator fed everything.
    const all = direct();
    for (const accs of expected) accs.forEach((acc, c) => all[c]!.merge(acc));
    const merged = profile.merged();
    expect(merged.rows).toBe(rowsPerWindow.reduce((a, b) => a + b, 0));
    expect(merged.columns).toEqual(json(all));
    expect(merged.columns[0]!.nan).toBeGreaterThan(0);
  });

  it('puts rows buffered before a window ends into that window, and drops them with it', () => {
    let now = 1_000;
    const profile = new WindowedProfile(columns, 1_000, 1, () => now);
    const first = Float32Array.from({ length: WIDTH }, (_, c) => c + 1);
    profile.addMatrix(first, 1, WIDTH);
    profile.countRows(1);
    now = 2_000;
    const second = Float32Array.from({ length: WIDTH }, (_, c) => 10 * (c + 1));
    profile.addMatrix(second, 1, WIDTH);
    profile.countRows(1);
    const accs = direct();
    feed(accs, second, 1);
    const windows = profile.windowProfiles();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.rows).toBe(1);
    expect(windows[0]!.columns).toEqual(json(accs));
  });

  it('measures drift on the windows kept exactly as validate-data does on the merged profile', () => {
    let now = 0;
    const profile = new WindowedProfile(columns, 1_000, 3, () => now);
    const reference = direct();
    const referenceData = new Float32Array(300 * WIDTH);
    for (let k = 0; k < referenceData.length; k++) referenceData[k] = value(k + 7);
    feed(reference, referenceData, 300);
    const referenceProfile: ProfileJSON = {
      kind: 'mlops-data-profile',
      version: 1,
      rows: 300,
      fingerprint: '',
      sources: [],
      columns: json(reference),
    };
    let i = 50_000;
    for (let request = 0; request < 900; request++) {
      now = request * 4;
      const data = new Float32Array(WIDTH);
      // Shifted on later requests: some columns drift.
      for (let k = 0; k < WIDTH; k++) data[k] = value(i++) + (request > 400 && k % 2 === 0 ? 300 : 0);
      profile.addMatrix(data, 1, WIDTH);
      profile.countRows(1);
    }
    const thresholds = { psi: 0.2, js: 0.1, 'p-value': 0.05 };
    const live = liveDrift(referenceColumns(referenceProfile), profile.driftColumns(), thresholds);
    // Decided exactly as validate-data decides; the score a monitor reads is a distance: where chi-squared
    // decided, Jensen–Shannon's of the same counts rather than the statistic (which grows with the count).
    const offline = measureDrift(referenceProfile, profile.merged(), thresholds);
    const merged = new Map(profile.merged().columns.map((c) => [c.name, driftColumnOf(c)]));
    const referenced = referenceColumns(referenceProfile);
    expect(live).toEqual(offline.map((d) => asDistance(d, referenced.get(d.column)!, merged.get(d.column)!)));
    expect(live.map((d) => d.method)).toEqual(['ks', 'ks', 'ks', 'ks', 'chi-squared']);
    const categorical = live[4]!;
    expect(categorical.score).toBeGreaterThan(0);
    expect(categorical.score).toBeLessThanOrEqual(1);
    expect(categorical.score).not.toBe(offline[4]!.score);
    expect(live.some((d) => d.status === 'drift')).toBe(true);
  });
});
