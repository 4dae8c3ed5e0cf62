// categoriesOrdered (table-schema.mdx): "When categoriesOrdered is true, implementations SHOULD regard the order of
// appearance of the values in the categories property as their natural order"; "When the property categoriesOrdered
// is false, implementations SHOULD assume that the categories do not have a natural order".
import { describe, expect, it } from '@jest/globals';
import { columnDrift, driftColumnOf } from '../../../../shared/data/drift.js';
import { compileField } from '../../../../shared/data/table-schema/field.js';
import { TableProfiler } from '../../../../shared/data/table-profiler.js';
import type { TableField } from '../../../../shared/data/table-schema/types.js';
import { ViolationLog } from '../../../../shared/data/violations.js';

const agreement: TableField = {
  name: 'agreement',
  type: 'integer',
  categories: [{ value: 5, label: 'Strongly Agree' }, { value: 4 }, { value: 3 }, { value: 2 }, { value: 1, label: 'Strongly Disagree' }],
  categoriesOrdered: true,
};

describe('bounds on ordered categories', () => {
  it('compare positions in the categories list, not the integers', () => {
    // The natural order here is 5 < 4 < 3 < 2 < 1: "at least 4" is 4, 3, 2 or 1.
    const codec = compileField({ ...agreement, constraints: { minimum: 4, exclusiveMaximum: 1 } });
    expect(codec.castAndCheck('4')).toBe(4);
    expect(codec.castAndCheck('2')).toBe(2);
    expect(codec.castAndCheck('5')).toEqual({ rule: 'minimum', expected: '>= 4 in the order of the categories' });
    expect(codec.castAndCheck('1')).toMatchObject({ rule: 'exclusiveMaximum' });
    expect(codec.castAndCheck('6')).toMatchObject({ rule: 'categories' });
  });

  it('refuse a bound that is not a category, and a minimum after the maximum in that order', () => {
    expect(() => compileField({ ...agreement, constraints: { minimum: 0 } })).toThrow(
      "constraints/minimum is 0; expected one of the field's categories (categoriesOrdered: bounds compare their order)",
    );
    expect(() => compileField({ ...agreement, constraints: { minimum: 2, maximum: 4 } })).toThrow(/in the order of the categories/);
  });

  it('are refused when the categories are unordered; without categoriesOrdered the integers order them', () => {
    expect(() => compileField({ ...agreement, categoriesOrdered: false, constraints: { minimum: 2 } })).toThrow(
      'no minimum on a field whose categories are unordered (categoriesOrdered: false)',
    );
    // "when the property is not present, no assumption about the ordered nature of the values SHOULD be made".
    const plain = compileField({ ...agreement, categoriesOrdered: undefined, constraints: { minimum: 2 } });
    expect(plain.castAndCheck('5')).toBe(5);
    expect(plain.castAndCheck('1')).toMatchObject({ rule: 'minimum' });
  });
});

describe('profile and drift of ordered categories', () => {
  function profileOf(field: TableField, cells: string[]) {
    const profiler = new TableProfiler(
      't.csv',
      { columns: [{ field, enforce: true }], missingValues: [''], primaryKey: [], uniqueKeys: [] },
      new ViolationLog(10),
    );
    cells.forEach((cell, i) => profiler.values([cell], i + 2));
    profiler.finish();
    return profiler.accumulators[0]!.toJSON();
  }

  it('count each category, and record their order', () => {
    const column = profileOf(agreement, ['5', '4', '4', '1']);
    expect(column.kind).toBe('categorical');
    expect(column.order).toEqual(['5', '4', '3', '2', '1']);
    expect(Object.fromEntries(column.top.map((t) => [t.value, t.count]))).toEqual({ '4': 2, '5': 1, '1': 1 });
    expect(profileOf({ ...agreement, categoriesOrdered: false }, ['5']).order).toBeUndefined();
  });

  it('drift by the KS test over their order; unordered categories by chi-squared', () => {
    const limits = { psi: 0.2, js: 0.1, 'p-value': 0.05 };
    // Every answer moves one step towards "disagree": the same spread of counts, shifted.
    const before = Array.from({ length: 200 }, (_, i) => String(5 - (i % 4)));
    const after = Array.from({ length: 200 }, (_, i) => String(4 - (i % 4)));
    const ordered = columnDrift(driftColumnOf(profileOf(agreement, before)), driftColumnOf(profileOf(agreement, after)), limits);
    expect(ordered).toMatchObject({ method: 'ks', status: 'drift', note: 'ordered categories: KS test on their order' });
    expect(ordered.score).toBeCloseTo(0.25, 10);
    const unordered = { ...agreement, categoriesOrdered: false };
    const plain = columnDrift(driftColumnOf(profileOf(unordered, before)), driftColumnOf(profileOf(unordered, after)), limits);
    expect(plain.method).toBe('chi-squared');
    // The same data in the same order: stable.
    const same = columnDrift(
      driftColumnOf(profileOf(agreement, before)),
      driftColumnOf(profileOf(agreement, [...before].reverse())),
      limits,
    );
    expect(same).toMatchObject({ method: 'ks', status: 'stable', score: 0 });
  });
});
