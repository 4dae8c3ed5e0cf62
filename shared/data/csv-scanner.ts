const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** How a field's bytes are to be read (values of FieldRanges.quoting). */
export const FieldQuoting = {
  Plain: 0,
  Quoted: 1,
  /** Quoted with doubled quotes inside: unescape before use. */
  QuotedEscaped: 2,
  /** Text after a closing quote: a malformed field. */
  Malformed: 3,
  /** The dialect's nullSequence (DialectScanner only): a null, whatever the field's missing values. */
  Null: 4,
} as const;

/** Receives each complete record as byte ranges into `buf` (valid only during the call). */
export interface RecordSink {
  record(buf: Uint8Array, fields: FieldRanges, fieldCount: number, line: number): void;
  /** An unterminated quoted field: the rest of the input cannot be split into records. */
  unterminatedQuote(line: number): void;
}

/** Reused arrays holding the byte ranges of one record's fields. */
export class FieldRanges {
  starts: Int32Array;
  ends: Int32Array;
  quoting: Uint8Array;
  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.quoting = new Uint8Array(capacity);
  }
  grow(): void {
    const capacity = this.starts.length * 2;
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    const quoting = new Uint8Array(capacity);
    starts.set(this.starts);
    ends.set(this.ends);
    quoting.set(this.quoting);
    this.starts = starts;
    this.ends = ends;
    this.quoting = quoting;
  }
}

function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === LF) n++;
  return n;
}

/**
 * A streaming RFC 4180 scanner working on bytes, so plain numbers never become strings.
 * Feed it buffers with `scan`; it reports complete records and says where the first incomplete one
 * starts, for the caller to carry over to the next buffer.
 */
export class CsvScanner {
  /** Line number (1-based) where the next record starts. */
  line = 1;
  /** Blank lines skipped. */
  blankLines = 0;
  private readonly fields = new FieldRanges(64);
  /** 1 for the bytes that end an unquoted field: one table load per byte instead of three compares. */
  private readonly stops = new Uint8Array(256);

  constructor(private readonly delimiter: number) {
    this.stops[delimiter] = 1;
    this.stops[LF] = 1;
    this.stops[CR] = 1;
  }

  /**
   * Scans buf[from, to). Returns the offset of the first record not consumed: an incomplete one
   * (when `final` is false) or the first one starting at or after `stopAt`.
   */
  scan(buf: Uint8Array, from: number, to: number, final: boolean, sink: RecordSink, stopAt = Infinity): number {
    const delimiter = this.delimiter;
    const fields = this.fields;
    const stops = this.stops;
    let pos = from;
    while (pos < to && pos < stopAt) {
      const recordStart = pos;
      let count = 0;
      let extraLines = 0;
      for (;;) {
        if (count === fields.starts.length) fields.grow();
        if (pos < to && buf[pos] === QUOTE) {
          let j = pos + 1;
          let escaped = false;
          let close = -1;
          for (;;) {
            const q = buf.indexOf(QUOTE, j);
            if (q === -1 || q >= to) break;
            if (q + 1 < to && buf[q + 1] === QUOTE) {
              escaped = true;
              j = q + 2;
              continue;
            }
            if (q + 1 >= to && !final) break;
            close = q;
            break;
          }
          if (close === -1) {
            if (!final) return recordStart;
            sink.unterminatedQuote(this.line);
            return to;
          }
          extraLines += countNewlines(buf, pos + 1, close);
          fields.starts[count] = pos + 1;
          fields.ends[count] = close;
          fields.quoting[count] = escaped ? FieldQuoting.QuotedEscaped : FieldQuoting.Quoted;
          pos = close + 1;
          if (pos < to && buf[pos] !== delimiter && buf[pos] !== LF && buf[pos] !== CR) {
            // Text after the closing quote: keep the field, flagged, up to the next separator.
            while (pos < to && buf[pos] !== delimiter && buf[pos] !== LF && buf[pos] !== CR) pos++;
            fields.ends[count] = pos;
            fields.quoting[count] = FieldQuoting.Malformed;
          }
        } else {
          let j = pos;
          while (j < to && stops[buf[j]!] === 0) j++;
          fields.starts[count] = pos;
          fields.ends[count] = j;
          fields.quoting[count] = FieldQuoting.Plain;
          pos = j;
        }
        count++;
        if (pos >= to) {
          if (!final) return recordStart;
          break;
        }
        const c = buf[pos];
        if (c === delimiter) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= to && !final) return recordStart;
          pos += pos + 1 < to && buf[pos + 1] === LF ? 2 : 1;
        } else {
          pos++;
        }
        break;
      }
      const line = this.line;
      this.line += 1 + extraLines;
      if (count === 1 && fields.starts[0] === fields.ends[0] && fields.quoting[0] === FieldQuoting.Plain) {
        this.blankLines++;
        continue;
      }
      sink.record(buf, fields, count, line);
    }
    return pos;
  }
}

type Utf8Source = Uint8Array & { utf8Slice?: (start: number, end: number) => string };
const decoder = new TextDecoder();

/** The text of a field, unescaping doubled quotes. Reads a Buffer in place (no view object per cell). */
export function fieldText(buf: Uint8Array, fields: FieldRanges, index: number): string {
  const start = fields.starts[index]!;
  const end = fields.ends[index]!;
  const source = buf as Utf8Source;
  const text = source.utf8Slice !== undefined ? source.utf8Slice(start, end) : decoder.decode(buf.subarray(start, end));
  return fields.quoting[index] === FieldQuoting.QuotedEscaped ? text.replaceAll('""', '"') : text;
}
