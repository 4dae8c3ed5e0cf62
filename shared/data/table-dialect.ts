// Table Dialect (Data Package v2, table-dialect.mdx): how a delimited file is laid out. The descriptor is
// checked against the official profile (frictionless-profiles.ts); this module turns it into the plain
// settings the scanners read, which travel to worker threads with the data source.

/** The Table Dialect properties of delimited files, defaults applied. */
export interface CsvDialect {
  /** Field separator, a character sequence (default `,`; a TSV file's default is a tab). */
  delimiter: string;
  /** Record terminator; undefined reads LF, CRLF and CR alike (the default `\r\n` is read that way too). */
  lineTerminator?: string;
  /** Empty for no quoting. */
  quoteChar: string;
  doubleQuote: boolean;
  escapeChar?: string;
  /** A cell holding exactly this (unquoted) is null. */
  nullSequence?: string;
  skipInitialSpace: boolean;
  header: boolean;
  /** Record numbers (1-based) of the header rows, joined column by column with headerJoin. */
  headerRows: number[];
  headerJoin: string;
  /** Record numbers (1-based, header rows counted) to leave out. */
  commentRows: number[];
  /** Records starting with this are left out. */
  commentChar?: string;
  /** True when the descriptor set the delimiter (no delimiter hint is given then). */
  delimiterGiven: boolean;
}

/** The dialect of a file given none: comma (tab for .tsv), double quotes, one header row. */
export function defaultDialect(tab = false): CsvDialect {
  return {
    delimiter: tab ? '\t' : ',',
    quoteChar: '"',
    doubleQuote: true,
    skipInitialSpace: false,
    header: true,
    headerRows: [1],
    headerJoin: ' ',
    commentRows: [],
    delimiterGiven: false,
  };
}

/** A descriptor as written (already checked against the profile). */
export interface TableDialectDescriptor {
  header?: boolean;
  headerRows?: number[];
  headerJoin?: string;
  commentRows?: number[];
  commentChar?: string;
  delimiter?: string;
  lineTerminator?: string;
  quoteChar?: string;
  doubleQuote?: boolean;
  escapeChar?: string;
  nullSequence?: string;
  skipInitialSpace?: boolean;
}

const STANDARD_TERMINATORS = new Set(['\n', '\r\n', '\r']);

/** The settings of `descriptor` over the defaults of a CSV (or, with `tab`, TSV) file. */
export function csvDialectOf(descriptor: TableDialectDescriptor | undefined, tab = false): CsvDialect {
  const dialect = defaultDialect(tab);
  if (!descriptor) return dialect;
  return {
    delimiter: descriptor.delimiter ?? dialect.delimiter,
    // LF, CRLF and CR are all read as line ends, as without a dialect; only another sequence changes the reading.
    lineTerminator:
      descriptor.lineTerminator === undefined || STANDARD_TERMINATORS.has(descriptor.lineTerminator)
        ? undefined
        : descriptor.lineTerminator,
    quoteChar: descriptor.quoteChar ?? dialect.quoteChar,
    doubleQuote: descriptor.doubleQuote ?? true,
    escapeChar: descriptor.escapeChar,
    nullSequence: descriptor.nullSequence,
    skipInitialSpace: descriptor.skipInitialSpace ?? false,
    header: descriptor.header ?? true,
    headerRows: descriptor.headerRows ?? [1],
    headerJoin: descriptor.headerJoin ?? ' ',
    commentRows: descriptor.commentRows ?? [],
    commentChar: descriptor.commentChar === '' ? undefined : descriptor.commentChar,
    delimiterGiven: descriptor.delimiter !== undefined,
  };
}

/**
 * A problem the profile cannot express (a pointer into the descriptor and the message), or undefined.
 * The scanners need a non-empty delimiter distinct from the quote and escape characters.
 */
export function dialectIssue(descriptor: TableDialectDescriptor): { pointer: string; message: string } | undefined {
  const d = descriptor;
  if (d.delimiter === '') return { pointer: '/delimiter', message: '/delimiter is ""; expected a non-empty string' };
  if (d.lineTerminator === '') return { pointer: '/lineTerminator', message: '/lineTerminator is ""; expected a non-empty string' };
  for (const key of ['quoteChar', 'escapeChar'] as const) {
    const value = d[key];
    if (value !== undefined && [...value].length > 1)
      return { pointer: `/${key}`, message: `/${key} is ${JSON.stringify(value)}; expected a string of one character` };
  }
  const delimiter = d.delimiter ?? ',';
  for (const key of ['quoteChar', 'escapeChar', 'lineTerminator'] as const) {
    if (d[key] !== undefined && d[key] !== '' && d[key] === delimiter)
      return { pointer: `/${key}`, message: `/${key} is ${JSON.stringify(d[key])}, the same as the delimiter; expected another character` };
  }
  if (d.escapeChar !== undefined && d.escapeChar === (d.quoteChar ?? '"') && d.doubleQuote !== false)
    return {
      pointer: '/escapeChar',
      message: `/escapeChar is ${JSON.stringify(d.escapeChar)}, the quote character; set doubleQuote to false or choose another escape character`,
    };
  if (d.header === false && d.headerRows !== undefined)
    return { pointer: '/headerRows', message: '/headerRows is set while /header is false; expected one of them' };
  return undefined;
}

/** True when a file can be read with the fast RFC 4180 scanner (a one-byte delimiter, double quotes, nothing else). */
export function isPlainDialect(d: CsvDialect): boolean {
  return (
    singleByte(d.delimiter) &&
    d.quoteChar === '"' &&
    d.delimiter !== '\n' &&
    d.delimiter !== '\r' &&
    d.doubleQuote &&
    d.lineTerminator === undefined &&
    d.escapeChar === undefined &&
    d.nullSequence === undefined &&
    !d.skipInitialSpace &&
    d.commentChar === undefined
  );
}

function singleByte(text: string): boolean {
  return text.length === 1 && text.charCodeAt(0) < 0x80;
}

/**
 * When a header reads as one column holding `;`, `|` or a tab, the delimiter it looks like; else undefined.
 * Only for files read with the default delimiter (not when a dialect set one).
 */
export function likelyDelimiter(columns: string[], dialect: CsvDialect): string | undefined {
  if (dialect.delimiterGiven || columns.length !== 1) return undefined;
  const name = columns[0]!;
  const counts = [';', '|', '\t'].map((c) => [c, name.split(c).length - 1] as const).filter(([, n]) => n > 0);
  if (counts.length === 0) return undefined;
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** The sentence telling the user how to set the delimiter the header looks like. */
export function delimiterHint(delimiter: string, inPackage: boolean): string {
  const shown = delimiter === '\t' ? '"\\t"' : JSON.stringify(delimiter);
  return inPackage
    ? `the header reads as one column holding ${shown}: if that is the delimiter, set the resource's dialect, e.g. "dialect": {"delimiter": ${shown}}`
    : `the header reads as one column holding ${shown}: if that is the delimiter, set the dialect input, e.g. dialect: '{delimiter: ${shown}}'`;
}
