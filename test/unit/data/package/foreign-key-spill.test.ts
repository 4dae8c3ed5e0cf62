// Foreign keys beyond the memory budget (table-schema.mdx, foreignKeys: every key of the referring rows must be
// among the referenced fields' values): the keys go to disk as sorted runs and a merge-join finds the missing ones.
// The result is exact (equality is decided on the logical values, not on a digest), memory is bounded by the
// budget, and the temp files are gone on every exit path. MLOPS_TEST_FOREIGN_KEY_BUDGET_BYTES (a test-only
// setting) makes the budget tiny, so small tables exercise the spill.
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpillFolder, SpilledKeyProbe, SpilledKeySet } from '../../../../shared/data/foreign-key-spill.js';
import { KeyDigest } from '../../../../shared/data/foreign-keys.js';
import type { CellValue } from '../../../../shared/data/table-schema/types.js';
import { runValidateData, tempDir } from '../profile-run.js';

const BUDGET_ENV = 'MLOPS_TEST_FOREIGN_KEY_BUDGET_BYTES';
afterEach(() => {
  delete process.env[BUDGET_ENV];
});

function keyOf(target: SpilledKeySet | SpilledKeyProbe, ...parts: Exclude<CellValue, null>[]): KeyDigest {
  const digest = new KeyDigest();
  digest.reset();
  target.encoder.begin();
  for (const part of parts) {
    digest.add(part);
    target.encoder.part(part);
  }
  digest.finish();
  return digest;
}

describe('spilled key sets', () => {
  it('find every present key and every missing one, in many runs merged in rounds, and leave no file behind', () => {
    const parent = join(tempDir('fk-spill-'), 'tmp');
    const folder = new SpillFolder(parent);
    // 4 KiB runs: 20,000 keys make about 500 runs, merged FAN_IN at a time.
    const set = new SpilledKeySet(folder, 4096);
    for (let i = 0; i < 20_000; i++) set.add(keyOf(set, `k${i}`, i));
    set.seal();
    expect(set.size).toBe(20_000);
    expect(set.files.length).toBeLessThanOrEqual(32);
    const probe = new SpilledKeyProbe(set, folder, 64 * 1024);
    let expectedMissing = 0;
    for (let line = 2; line < 30_002; line++) {
      const i = (line * 7919) % 25_000;
      if (i >= 20_000) expectedMissing++;
      probe.probe(keyOf(probe, `k${i}`, i), 'refs.csv', line, [`k${i}`, String(i)]);
    }
    const { missing, first } = probe.join(5);
    expect(missing).toBe(expectedMissing);
    // The first five missing keys in line order, whatever order the join met them in.
    const lines = Array.from({ length: 30_000 }, (_, k) => k + 2).filter((line) => (line * 7919) % 25_000 >= 20_000);
    expect(first.map((m) => m.line)).toEqual(lines.slice(0, 5));
    expect(first[0]!.parts).toEqual([`k${(lines[0]! * 7919) % 25_000}`, String((lines[0]! * 7919) % 25_000)]);
    expect(readdirSync(parent)).toHaveLength(1);
    folder.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  it("are exact: a key whose digest equals a present key's is still missing; 1 and 1.0, 0 and -0 are one number", () => {
    const folder = new SpillFolder(join(tempDir('fk-spill-'), 'tmp'));
    try {
      const set = new SpilledKeySet(folder, 1024);
      const present = keyOf(set, 'apple');
      set.add(present);
      set.add(keyOf(set, 1));
      set.add(keyOf(set, -0));
      const probe = new SpilledKeyProbe(set, folder, 1024);
      // A forced collision: "pear" given apple's digest (in memory it would pass; here it must not).
      const colliding = keyOf(probe, 'pear');
      colliding.hi = present.hi;
      colliding.lo = present.lo;
      probe.probe(colliding, 'refs.csv', 2, ['pear']);
      probe.probe(keyOf(probe, 'apple'), 'refs.csv', 3, ['apple']);
      probe.probe(keyOf(probe, 1.0), 'refs.csv', 4, ['1.0']);
      probe.probe(keyOf(probe, 0), 'refs.csv', 5, ['0']);
      probe.probe(keyOf(probe, '1'), 'refs.csv', 6, ['"1"']);
      // A key longer than a reader's 64 KiB chunk, present and absent.
      const long = 'é'.repeat(50_000);
      set.add(keyOf(set, long));
      probe.probe(keyOf(probe, long), 'refs.csv', 7, ['long']);
      probe.probe(keyOf(probe, `${long}!`), 'refs.csv', 8, [`${long}!`]);
      set.seal();
      const { missing, first } = probe.join(10);
      expect(missing).toBe(3);
      expect(first.map((m) => [m.line, m.parts[0]!.length > 20 ? 'the long key, one character more' : m.parts])).toEqual([
        [2, ['pear']],
        [6, ['"1"']],
        [8, 'the long key, one character more'],
      ]);
    } finally {
      folder.close();
    }
  });
});

/**
 * A package whose refs resource (5,000 rows) refers to keys (3,000 numbers) and to itself; with `badSecondFile`,
 * a third resource reads refs.csv then that file, referring to keys too.
 */
function packageWorkspace(badSecondFile?: string): string {
  const dir = tempDir('fk-spill-pkg-');
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'pkg', 'keys.csv'), `id\n${Array.from({ length: 3000 }, (_, i) => i).join('\n')}\n`);
  const refs = Array.from({ length: 5000 }, (_, k) => {
    // Line k + 2. Written otherwise but equal (1.0 for 1) in some rows; missing keys on three lines.
    const ref =
      k === 100 ? '3000' : k === 2500 ? '-1' : k === 4998 ? '2999.5' : k % 10 === 3 ? `${(k * 13) % 3000}.0` : String((k * 13) % 3000);
    const parent = k === 0 ? '' : k === 3000 ? '99999' : String(k - 1);
    return `${k},${ref},${parent}`;
  });
  writeFileSync(join(dir, 'pkg', 'refs.csv'), `row,ref,parent\n${refs.join('\n')}\n`);
  const fields = '[{"name": "row", "type": "integer"}, {"name": "ref", "type": "number"}, {"name": "parent", "type": "integer"}]';
  const toKeys = '{"fields": "ref", "reference": {"resource": "keys", "fields": "id"}}';
  if (badSecondFile) writeFileSync(join(dir, 'pkg', 'bad-2.jsonl'), badSecondFile);
  const bad = badSecondFile
    ? `,\n  {"name": "bad", "path": ["refs.csv", "bad-2.jsonl"], "schema": {"fields": ${fields}, "foreignKeys": [${toKeys}]}}`
    : '';
  writeFileSync(
    join(dir, 'pkg', 'datapackage.json'),
    `{"resources": [
  {"name": "keys", "path": "keys.csv", "schema": {"fields": [{"name": "id", "type": "number"}]}},
  {"name": "refs", "path": "refs.csv", "schema": {"fields": ${fields}, "foreignKeys": [
    ${toKeys},
    {"fields": "parent", "reference": {"resource": "", "fields": "row"}}
  ]}}${bad}
]}
`,
  );
  return dir;
}

const errors = (log: string[]) => log.filter((l) => l.startsWith('error:'));
const EXPECTED = [
  'error: pkg/refs.csv:102: foreign key (ref) = (3000) has no match in resource keys (id)',
  'error: pkg/refs.csv:2502: foreign key (ref) = (-1) has no match in resource keys (id)',
  'error: pkg/refs.csv:3002: foreign key (parent) = (99999) has no match in this table (row)',
  'error: pkg/refs.csv:5000: foreign key (ref) = (2999.5) has no match in resource keys (id)',
];

describe('foreign keys beyond the memory budget, through validate-data', () => {
  it("report exactly what the in-memory check reports, from disk, and leave the state folder's temp empty", async () => {
    const inMemory = await runValidateData(packageWorkspace(), { data: 'pkg/datapackage.json', 'fail-on': 'never' });
    expect(errors(inMemory.log).sort()).toEqual(EXPECTED);
    expect(inMemory.log.join('\n')).not.toMatch(/checked from disk/);

    process.env[BUDGET_ENV] = '800'; // 100 keys: both referenced sets spill
    const dir = packageWorkspace();
    const spilled = await runValidateData(dir, { data: 'pkg/datapackage.json', 'fail-on': 'never' });
    expect(errors(spilled.log).sort()).toEqual(EXPECTED);
    expect(spilled.log.join('\n')).toContain(
      'foreign keys: 8,000 referenced keys did not fit the memory budget and were checked from disk',
    );
    expect(spilled.outputs['error-count']).toBe('4');
    expect(readdirSync(join(dir, '.mlops', 'tmp'))).toEqual([]);
  });

  it('counts every missing key while reporting the first max-reported-errors, in line order', async () => {
    process.env[BUDGET_ENV] = '800';
    const spilled = await runValidateData(packageWorkspace(), {
      data: 'pkg/datapackage.json',
      'fail-on': 'never',
      'max-reported-errors': '2',
    });
    expect(spilled.outputs['error-count']).toBe('4');
    expect(errors(spilled.log)).toHaveLength(2);
  });

  it('removes its temp files when the run fails while a spilled check is under way', async () => {
    process.env[BUDGET_ENV] = '800';
    // bad's second file has other columns: reading stops with an error after bad's keys went to disk.
    const dir = packageWorkspace('{"row": 1, "other": 2}\n');
    const failed = await runValidateData(dir, { data: 'pkg/datapackage.json' });
    expect(failed.ok).toBe(false);
    expect(failed.log.join('\n')).toMatch(/bad-2\.jsonl:1 has columns \(row, ref, parent, other\)/);
    const temp = join(dir, '.mlops', 'tmp');
    expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([]);
  });
});
