/**
 * Reads `metadata_props` (field 14 of ONNX's ModelProto: key/value strings) from a model file's bytes,
 * walking only the top-level protobuf fields, so the graph and its weights are skipped, not decoded.
 * onnxruntime-node does not expose these properties. Returns {} for anything it cannot read.
 */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const props: Record<string, string> = {};
  const decoder = new TextDecoder();
  let at = 0;
  const varint = (end: number): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && at < end; i++) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Error('truncated varint');
  };
  /** The string fields 1 (key) and 2 (value) of a StringStringEntryProto. */
  const entry = (end: number): [string, string] => {
    let key = '';
    let value = '';
    while (at < end) {
      const tag = varint(end);
      if ((tag & 7) !== 2) throw new Error('unexpected wire type in a metadata entry');
      const length = varint(end);
      const text = decoder.decode(bytes.subarray(at, at + length));
      if (tag >>> 3 === 1) key = text;
      else if (tag >>> 3 === 2) value = text;
      at += length;
    }
    return [key, value];
  };
  try {
    while (at < bytes.length) {
      const tag = varint(bytes.length);
      const field = Math.floor(tag / 8);
      switch (tag & 7) {
        case 0:
          varint(bytes.length);
          break;
        case 1:
          at += 8;
          break;
        case 5:
          at += 4;
          break;
        case 2: {
          const length = varint(bytes.length);
          const end = at + length;
          if (field === 14) {
            const [key, value] = entry(end);
            props[key] = value;
          }
          at = end;
          break;
        }
        default:
          return props;
      }
    }
  } catch {
    return props;
  }
  return props;
}
