export { loadTableSchema, parseTableSchema, tableSchemaJsonSchema } from './descriptor.js';
export { compileField, compileTableSchema, FieldDefinitionError } from './field.js';
export { formatTableSchemaYaml } from './format-yaml.js';
export { inferTableSchema, inferTableSchemaFromRecords, type InferOptions } from './infer.js';
export { jsonValueText } from './json-value-text.js';
export {
  DEFAULT_MISSING_VALUES,
  FIELD_TYPES,
  isViolation,
  type CellResult,
  type CellValue,
  type CellViolation,
  type FieldCodec,
  type FieldConstraints,
  type FieldType,
  type TableField,
  type TableSchema,
  type ViolationRule,
} from './types.js';
