// Table Schema patterns (XML Schema style: the whole value must match) run on RE2JS, an automaton
// engine whose time is linear in the cell's length. JavaScript's RegExp backtracks: `(a+)+b` takes
// time exponential in a cell that almost matches, and no timer can interrupt a running match.
import { RE2JS } from 're2js';

/** Tests a whole cell against a compiled pattern. */
export type CellPattern = (cell: string) => boolean;

/**
 * Compiles a Table Schema `pattern` into a whole-value test that runs in time linear in the cell.
 * Returns the engine's reason (a string) when the pattern is not a regular expression it can run in
 * bounded time: back-references and lookaround are the usual ones.
 */
export function compileCellPattern(source: string): CellPattern | string {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(withCodePointEscapes(source));
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
  return (cell) => compiled.testExact(cell);
}

// Schemas written for JavaScript engines use \uXXXX, which RE2 spells \x{XXXX}. In XML Schema regular
// expressions `\d` is any Unicode decimal digit (\p{Nd}), not only 0-9 as in RE2.
function withCodePointEscapes(source: string): string {
  return source.replace(/\\(?:\\|u([0-9A-Fa-f]{4})|([dD]))/g, (escape, hex: string | undefined, digit: string | undefined) => {
    if (digit !== undefined) return digit === 'd' ? '\\p{Nd}' : '\\P{Nd}';
    return hex === undefined ? escape : `\\x{${hex}}`;
  });
}
