export {
  FIELD_TYPES,
  loadTableSchema,
  parseTableSchema,
  tableSchemaJsonSchema,
  type FieldConstraints,
  type FieldType,
  type TableField,
  type TableSchema,
} from './descriptor.js';
export {
  compileField,
  compileTableSchema,
  DEFAULT_MISSING_VALUES,
  FieldDefinitionError,
  isViolation,
  jsonValueText,
  type CellResult,
  type CellValue,
  type CellViolation,
  type FieldCodec,
  type ViolationRule,
} from './field.js';
export { formatTableSchemaYaml, inferTableSchema, inferTableSchemaFromRecords, type InferOptions } from './infer.js';
