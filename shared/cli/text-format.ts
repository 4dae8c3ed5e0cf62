// Plain-text building blocks for the CLI's output to people: sizes, digests, aligned tables.
export { formatBytes } from '../byte-size.js';

/** `sha256:` and the first 12 hex digits: enough to tell models apart in a table. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon === -1 ? digest : digest.slice(0, colon + 13);
}

/** Rows as columns padded to their widest cell, two spaces apart, the last column unpadded; the first row is the header. */
export function textTable(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).trimEnd())
    .join('\n');
}
