import { FieldQuoting, FieldRanges, type RecordSink } from './csv-scanner.js';
import type { CsvDialect } from './table-dialect.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** Result of looking for a byte sequence: found, not there, or cut by the end of the buffer. */
const NO = 0;
const YES = 1;
const NEED_MORE = 2;

/**
 * A delimited-text scanner for any Table Dialect: delimiter and line terminator of several characters,
 * another quote character, doubleQuote false, an escape character, skipInitialSpace, commentChar and
 * nullSequence. Slower than CsvScanner (each field is copied, unescaped, into a buffer of its own), so it
 * only reads files whose dialect needs it. Same contract as CsvScanner: records go to the sink as byte
 * ranges (of its own buffer), `line` is the physical line where the next record starts.
 */
export class DialectScanner {
  line = 1;
  blankLines = 0;
  private readonly fields = new FieldRanges(64);
  private out = Buffer.allocUnsafe(64 * 1024);
  private readonly delimiter: Buffer;
  private readonly terminator: Buffer | undefined;
  private readonly quote: Buffer | undefined;
  private readonly escape: Buffer | undefined;
  private readonly comment: Buffer | undefined;
  private readonly nullSequence: Buffer | undefined;
  private readonly doubleQuote: boolean;
  private readonly skipInitialSpace: boolean;
  /** 1 for a byte that may start a delimiter, terminator, quote or escape: other bytes are copied as they are. */
  private readonly special = new Uint8Array(256);

  constructor(dialect: CsvDialect) {
    this.delimiter = Buffer.from(dialect.delimiter);
    this.terminator = dialect.lineTerminator === undefined ? undefined : Buffer.from(dialect.lineTerminator);
    this.quote = dialect.quoteChar === '' ? undefined : Buffer.from(dialect.quoteChar);
    this.escape = dialect.escapeChar === undefined ? undefined : Buffer.from(dialect.escapeChar);
    this.comment = dialect.commentChar === undefined ? undefined : Buffer.from(dialect.commentChar);
    this.nullSequence = dialect.nullSequence === undefined ? undefined : Buffer.from(dialect.nullSequence);
    this.doubleQuote = dialect.doubleQuote;
    this.skipInitialSpace = dialect.skipInitialSpace;
    this.special[this.delimiter[0]!] = 1;
    if (this.terminator) this.special[this.terminator[0]!] = 1;
    else this.special[LF] = this.special[CR] = 1;
    if (this.quote) this.special[this.quote[0]!] = 1;
    if (this.escape) this.special[this.escape[0]!] = 1;
  }

  /** Whether `seq` is at buf[pos..]: YES, NO, or NEED_MORE when the buffer ends inside a matching prefix. */
  private static match(buf: Uint8Array, pos: number, to: number, seq: Uint8Array): number {
    for (let k = 0; k < seq.length; k++) {
      if (pos + k >= to) return NEED_MORE;
      if (buf[pos + k] !== seq[k]) return NO;
    }
    return YES;
  }

  /**
   * The length of the record terminator at pos (0 when there is none), or -1 when the buffer ends before
   * that can be told. With the default terminator, LF, CRLF and CR each end a record.
   */
  private terminatorAt(buf: Uint8Array, pos: number, to: number, final: boolean): number {
    if (this.terminator) {
      const m = DialectScanner.match(buf, pos, to, this.terminator);
      if (m === NEED_MORE) return final ? 0 : -1;
      return m === YES ? this.terminator.length : 0;
    }
    const c = buf[pos];
    if (c === LF) return 1;
    if (c !== CR) return 0;
    if (pos + 1 >= to) return final ? 1 : -1;
    return buf[pos + 1] === LF ? 2 : 1;
  }

  private seqAt(buf: Uint8Array, pos: number, to: number, final: boolean, seq: Uint8Array | undefined): number {
    if (!seq) return NO;
    const m = DialectScanner.match(buf, pos, to, seq);
    return m === NEED_MORE && final ? NO : m;
  }

  /** Lines a consumed stretch counts: its LFs, and a lone CR ending a record with the default terminator. */
  private linesIn(buf: Uint8Array, from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (buf[i] === LF) n++;
    if (!this.terminator && to > from && buf[to - 1] === CR) n++;
    return n;
  }

  /** Scans buf[from, to) as CsvScanner.scan does. */
  scan(buf: Uint8Array, from: number, to: number, final: boolean, sink: RecordSink, stopAt = Infinity): number {
    if (this.out.length < to - from) this.out = Buffer.allocUnsafe(Math.max(to - from, this.out.length * 2));
    const out = this.out;
    const fields = this.fields;
    const special = this.special;
    let pos = from;
    records: while (pos < to && pos < stopAt) {
      const recordStart = pos;
      // A comment line ends at the next terminator, quotes or not.
      const comment = this.seqAt(buf, pos, to, final, this.comment);
      if (comment === NEED_MORE) return recordStart;
      if (comment === YES) {
        let j = pos;
        for (;;) {
          if (j >= to) {
            if (!final) return recordStart;
            break;
          }
          const t = this.terminatorAt(buf, j, to, final);
          if (t === -1) return recordStart;
          if (t > 0) {
            j += t;
            break;
          }
          j++;
        }
        this.line += this.linesIn(buf, pos, j);
        pos = j;
        continue;
      }
      let count = 0;
      let written = 0;
      for (;;) {
        if (count === fields.starts.length) fields.grow();
        if (count > 0 && this.skipInitialSpace) while (pos < to && buf[pos] === SPACE) pos++;
        const fieldStart = written;
        let quoting: number = FieldQuoting.Plain;
        const opening = this.seqAt(buf, pos, to, final, this.quote);
        if (opening === NEED_MORE) return recordStart;
        if (opening === YES) {
          quoting = FieldQuoting.Quoted;
          const quote = this.quote!;
          let j = pos + quote.length;
          let closed = false;
          while (j < to) {
            const c = buf[j]!;
            if (special[c] === 0) {
              out[written++] = c;
              j++;
              continue;
            }
            const esc = this.seqAt(buf, j, to, final, this.escape);
            if (esc === NEED_MORE) return recordStart;
            if (esc === YES) {
              const next = j + this.escape!.length;
              if (next >= to) {
                if (!final) return recordStart;
                j = next;
                break;
              }
              out[written++] = buf[next]!;
              j = next + 1;
              continue;
            }
            const q = this.seqAt(buf, j, to, final, quote);
            if (q === NEED_MORE) return recordStart;
            if (q === YES) {
              const after = j + quote.length;
              if (this.doubleQuote) {
                const again = this.seqAt(buf, after, to, final, quote);
                if (again === NEED_MORE || (after >= to && !final)) return recordStart;
                if (again === YES) {
                  out.set(quote, written);
                  written += quote.length;
                  j = after + quote.length;
                  continue;
                }
              }
              j = after;
              closed = true;
              break;
            }
            out[written++] = c;
            j++;
          }
          if (!closed) {
            if (!final) return recordStart;
            sink.unterminatedQuote(this.line);
            return to;
          }
          pos = j;
          // Text after the closing quote: kept as written up to the next separator, and flagged.
          while (pos < to) {
            if (this.seqAt(buf, pos, to, final, this.delimiter) !== NO) break;
            const t = this.terminatorAt(buf, pos, to, final);
            if (t !== 0) break;
            quoting = FieldQuoting.Malformed;
            out[written++] = buf[pos++]!;
          }
        } else {
          while (pos < to) {
            const c = buf[pos]!;
            if (special[c] === 0) {
              out[written++] = c;
              pos++;
              continue;
            }
            const esc = this.seqAt(buf, pos, to, final, this.escape);
            if (esc === NEED_MORE) return recordStart;
            if (esc === YES) {
              const next = pos + this.escape!.length;
              if (next >= to) {
                if (!final) return recordStart;
                pos = next;
                break;
              }
              out[written++] = buf[next]!;
              pos = next + 1;
              continue;
            }
            const d = this.seqAt(buf, pos, to, final, this.delimiter);
            if (d === NEED_MORE) return recordStart;
            if (d === YES) break;
            const t = this.terminatorAt(buf, pos, to, final);
            if (t === -1) return recordStart;
            if (t > 0) break;
            out[written++] = c;
            pos++;
          }
          if (
            this.nullSequence &&
            written - fieldStart === this.nullSequence.length &&
            out.compare(this.nullSequence, 0, this.nullSequence.length, fieldStart, written) === 0
          )
            quoting = FieldQuoting.Null;
        }
        fields.starts[count] = fieldStart;
        fields.ends[count] = written;
        fields.quoting[count] = quoting;
        count++;
        if (pos >= to) {
          if (!final) return recordStart;
          break;
        }
        const d = this.seqAt(buf, pos, to, final, this.delimiter);
        if (d === NEED_MORE) return recordStart;
        if (d === YES) {
          pos += this.delimiter.length;
          if (pos >= to && !final) return recordStart;
          if (pos >= to) {
            // A delimiter ending the input: one more, empty field.
            if (count === fields.starts.length) fields.grow();
            fields.starts[count] = fields.ends[count] = written;
            fields.quoting[count] = FieldQuoting.Plain;
            count++;
            break;
          }
          continue;
        }
        const t = this.terminatorAt(buf, pos, to, final);
        if (t === -1) return recordStart;
        pos += t;
        break;
      }
      const line = this.line;
      this.line += this.linesIn(buf, recordStart, pos);
      if (count === 1 && fields.quoting[0] === FieldQuoting.Plain && onlyLineEnds(out, fields.starts[0]!, fields.ends[0]!)) {
        this.blankLines++;
        continue records;
      }
      sink.record(out, fields, count, line);
    }
    return pos;
  }
}

/** True for an empty stretch, or one of only CR and LF (what a custom terminator leaves of a final newline). */
function onlyLineEnds(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== LF && buf[i] !== CR) return false;
  return true;
}
