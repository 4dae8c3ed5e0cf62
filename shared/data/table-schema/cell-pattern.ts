// Table Schema patterns (XML Schema regular expressions: the whole value must match) run on RE2JS, an automaton
// engine whose time is linear in the cell's length. JavaScript's RegExp backtracks: `(a+)+b` takes time
// exponential in a cell that almost matches, and no timer can interrupt a running match.
import { RE2JS } from 're2js';
import { XsdPatternError, xsdPatternToRe2 } from './xsd-pattern.js';

/** Tests a whole cell against a compiled pattern. */
export type CellPattern = (cell: string) => boolean;

/**
 * Compiles a Table Schema `pattern` (XML Schema syntax, translated by xsd-pattern.ts) into a whole-value test
 * that runs in time linear in the cell. Returns the reason (a string) when the pattern is not an XML Schema
 * regular expression, or one the engine cannot run (a repetition count above 1000).
 */
export function compileCellPattern(source: string): CellPattern | string {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(xsdPatternToRe2(source));
  } catch (error) {
    if (error instanceof XsdPatternError) return error.message;
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
  return (cell) => compiled.testExact(cell);
}
