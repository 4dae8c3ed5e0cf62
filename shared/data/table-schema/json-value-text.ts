/**
 * The cell text of a JSON value, as the validate-data stage reads JSON lines: null and absent are
 * missing (`""`), numbers and booleans their JSON text, objects and arrays their JSON.
 */
export function jsonValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
