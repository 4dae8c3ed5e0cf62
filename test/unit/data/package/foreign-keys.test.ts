// The key sets behind foreign keys: every collected key is found, keys not collected are not, logical values
// compare as table-schema.mdx says ("All constraints MUST be tested against the logical representation of
// data"), and a set that outgrows the memory budget says so instead of judging with part of the keys.
import { describe, expect, it } from '@jest/globals';
import { BYTES_PER_KEY, KeyBudget, KeyDigest, KeyDigestSet, normalizeForeignKeys } from '../../../../shared/data/foreign-keys.js';
import type { CellValue } from '../../../../shared/data/table-schema/types.js';

function digestOf(...parts: Exclude<CellValue, null>[]): KeyDigest {
  const digest = new KeyDigest();
  digest.reset();
  for (const part of parts) digest.add(part);
  digest.finish();
  return digest;
}

describe('KeyDigestSet', () => {
  it('finds each of 200,000 collected keys and none of 200,000 others', () => {
    const set = new KeyDigestSet(new KeyBudget());
    for (let i = 0; i < 200_000; i++) set.add(digestOf(`k${i}`, i));
    set.seal();
    expect(set.size).toBe(200_000);
    let found = 0;
    let strangers = 0;
    for (let i = 0; i < 200_000; i++) {
      if (set.has(digestOf(`k${i}`, i))) found++;
      if (set.has(digestOf(`k${i}`, i + 1))) strangers++;
    }
    expect([found, strangers]).toEqual([200_000, 0]);
  });

  it('compares logical values: 1 and 1.0 and -0 and 0 are one number; "1" (a string) and true are other keys', () => {
    expect(digestOf(1)).toEqual(digestOf(1.0));
    expect(digestOf(-0)).toEqual(digestOf(0));
    expect(digestOf(1)).not.toEqual(digestOf('1'));
    expect(digestOf(1)).not.toEqual(digestOf(true));
    // Parts keep their boundaries: ("ab", "c") is not ("a", "bc").
    expect(digestOf('ab', 'c')).not.toEqual(digestOf('a', 'bc'));
  });

  it('beyond the budget the set overflows (and is not used to judge) rather than growing without bound', () => {
    const budget = new KeyBudget(1000 * BYTES_PER_KEY);
    const set = new KeyDigestSet(budget);
    for (let i = 0; i < 1500; i++) set.add(digestOf(i));
    expect(set.overflow).toBe(true);
    expect(budget.used).toBeLessThanOrEqual(budget.bytes);
  });
});

describe('normalizeForeignKeys', () => {
  it('reads the v1 forms as v2: a single-string "fields" and "resource": "" (a self-reference)', () => {
    expect(normalizeForeignKeys([{ fields: 'a', reference: { resource: '', fields: 'b' } }])).toEqual([
      { fields: ['a'], resource: undefined, referenceFields: ['b'], index: 0 },
    ]);
    expect(normalizeForeignKeys([{ fields: ['a', 'c'], reference: { resource: 'other', fields: ['b', 'd'] } }])).toEqual([
      { fields: ['a', 'c'], resource: 'other', referenceFields: ['b', 'd'], index: 0 },
    ]);
  });
});
