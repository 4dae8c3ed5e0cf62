/** An Open Inference Protocol datatype (the protocol's "Tensor Data Types"). */
export type OipDatatype =
  'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

/** onnxruntime's tensor element types that a JSON request can carry, by protocol datatype. */
const ORT_TYPES: Record<OipDatatype, string> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const FROM_ORT = new Map(Object.entries(ORT_TYPES).map(([oip, ort]) => [ort, oip as OipDatatype]));

export function oipDatatypeOf(ortType: string): OipDatatype | undefined {
  return FROM_ORT.get(ortType);
}

export function ortTypeOf(datatype: OipDatatype): string {
  return ORT_TYPES[datatype];
}

export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === 'string' && value in ORT_TYPES;
}

/** Tensor data in the layout onnxruntime takes: a typed array (or strings) in row-major order. */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** A tensor going into or coming out of the model, independent of onnxruntime's classes. */
export interface TensorData {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  data: TensorValues;
}

/** A model input or output as the model declares it; -1 marks a dimension of any size. */
export interface TensorSpec {
  name: string;
  datatype: OipDatatype;
  shape: number[];
}

/** Builds the typed array onnxruntime wants for `datatype` from checked numbers or booleans. */
export function typedValues(datatype: OipDatatype, values: (number | boolean | string)[]): TensorValues {
  switch (datatype) {
    case 'FP32':
      return Float32Array.from(values as number[]);
    case 'FP64':
      return Float64Array.from(values as number[]);
    case 'INT8':
      return Int8Array.from(values as number[]);
    case 'INT16':
      return Int16Array.from(values as number[]);
    case 'INT32':
      return Int32Array.from(values as number[]);
    case 'INT64':
      return BigInt64Array.from(values as number[], (v) => BigInt(v));
    case 'UINT8':
      return Uint8Array.from(values as number[]);
    case 'UINT16':
      return Uint16Array.from(values as number[]);
    case 'UINT32':
      return Uint32Array.from(values as number[]);
    case 'UINT64':
      return BigUint64Array.from(values as number[], (v) => BigInt(v));
    case 'BOOL':
      // onnxruntime holds booleans as bytes.
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
    case 'BYTES':
      return values.map(String);
    case 'FP16':
      // JSON has no fp16 representation (the protocol says so); such models take FP32 through a cast node.
      throw new Error('FP16 tensors cannot be sent as JSON');
  }
}

/** Plain JSON numbers (or strings, booleans) of a tensor's data; 64-bit integers become numbers. */
export function jsonValues(datatype: OipDatatype, data: TensorValues): (number | string | boolean)[] {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number);
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, Boolean);
  // A loop: Array.from walks a typed array through its iterator, several times slower.
  const out = new Array<number | string>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]!;
  return out;
}

/** The range each integer datatype holds, for a clear error instead of a silent wrap-around. */
export const INTEGER_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

export function isNumericDatatype(datatype: OipDatatype): boolean {
  return datatype !== 'BYTES' && datatype !== 'BOOL';
}
