// The v2 `list` type: items separated by `delimiter` (`,` by default), each read as a value of `itemType`
// in that type's default format ("on lexical level only default formats are supported").

import type { ListItemType, TableField } from '../types.js';
import type { Cast, TypeCast } from './cast.js';
import { parseIsoDate, parseIsoDatetime, parseIsoTime } from './iso-8601.js';
import { castInteger, parseNumberText } from './numbers.js';
import { castDefaultBoolean, castText } from './other-types.js';

const ITEM_CASTS: Record<ListItemType, Cast> = {
  string: castText,
  integer: castInteger,
  boolean: castDefaultBoolean,
  number: parseNumberText,
  datetime: parseIsoDatetime,
  date: parseIsoDate,
  time: parseIsoTime,
};

/** A list field's cast: the value is the cell's text; its length (for minLength, maxLength) is its item count. */
export function listCast(field: TableField): TypeCast {
  const delimiter = field.delimiter ?? ',';
  const itemType = field.itemType ?? 'string';
  const item = ITEM_CASTS[itemType];
  let length = 0;
  const cast: Cast = (raw) => {
    if (raw === '') {
      length = 0;
      return raw;
    }
    const items = raw.split(delimiter);
    for (const text of items) if (item(text) === undefined) return undefined;
    length = items.length;
    return raw;
  };
  return {
    cast,
    expected: `a list of ${itemType} values separated by ${JSON.stringify(delimiter)}`,
    ordered: false,
    lastLength: () => length,
    lengthUnit: 'items',
  };
}
