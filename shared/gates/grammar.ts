/*
 * Gate rules: one per line; blank lines and comments (from `#` to the end of the line, outside
 * quotes) are ignored. Whitespace between tokens is free.
 *
 *   rules      = { line , newline } ;
 *   line       = [ rule ] [ comment ] ;
 *   rule       = metric , [ selector ] , operator , threshold ;
 *   metric     = name ;                                   (* f1_macro, accuracy, roc_auc, rmse *)
 *   selector   = "[" , name , "=" , value , "]" ;         (* [class=Gentoo] or a slice [island=Dream] *)
 *   value      = bare | quoted ;
 *   bare       = { any character but whitespace, "]", '"', "#" }- ;
 *   quoted     = '"' , { any character but '"' and "\" | "\" , any character } , '"' ;
 *   operator   = ">=" | "<=" | ">" | "<" | "==" ;
 *   threshold  = number | "baseline" , [ ( "+" | "-" | "*" ) , number ] ;
 *   number     = [ "+" | "-" ] , ( digits , [ "." , [ digits ] ] | "." , digits ) , [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
 *   name       = { letter | digit | "_" }- ;
 *   comment    = "#" , { any character } ;
 *
 * Examples:
 *   accuracy >= 0.9
 *   f1_macro >= baseline - 0.005          # may lose at most half a point of F1
 *   recall[class=Gentoo] > 0.8
 *   rmse[island="Torgersen Island"] <= baseline * 1.05
 *
 * A selector names the metric as the evaluate stage stores it: `recall[class=Gentoo]` is the recall of
 * class Gentoo, `f1_macro[island=Dream]` the macro F1 on the rows whose `island` is Dream.
 */

import { InputError } from '../errors.js';

export type GateOperator = '>=' | '<=' | '>' | '<' | '==';

/** `[key=value]` after a metric: a class (`class=…`) or a slice of the rows (`column=…`). */
export interface GateSelector {
  key: string;
  value: string;
}

/** What a metric is compared with: a fixed number, or the baseline model's value, optionally adjusted. */
export type GateThreshold =
  { kind: 'number'; value: number } | { kind: 'baseline'; adjustment?: { operator: '+' | '-' | '*'; value: number } };

/** One parsed gate rule. */
export interface GateRule {
  /** 1-based position among the rules (comments and blank lines not counted). */
  index: number;
  /** 1-based line in the rules text. */
  line: number;
  /** The rule as written, without surrounding whitespace or comment. */
  text: string;
  metric: string;
  selector?: GateSelector;
  operator: GateOperator;
  threshold: GateThreshold;
}

/** Returns the metric name a rule looks up: `metric` or `metric[key=value]`. */
export function metricKey(rule: Pick<GateRule, 'metric' | 'selector'>): string {
  return rule.selector === undefined ? rule.metric : `${rule.metric}[${rule.selector.key}=${rule.selector.value}]`;
}

/**
 * Parses gate rules, one per line. Throws InputError on the first bad rule, with the rule, the column,
 * what was found and what was expected, and a caret under the spot; `file` goes into the error's location.
 */
export function parseGateRules(text: string, options: { file?: string } = {}): GateRule[] {
  const rules: GateRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const source = lines[l];
    const commentAt = findComment(source);
    const withoutComment = commentAt < 0 ? source : source.slice(0, commentAt);
    const trimmed = withoutComment.trim();
    if (trimmed === '') continue;
    const indent = withoutComment.length - withoutComment.trimStart().length;
    rules.push(new RuleParser(trimmed, rules.length + 1, l + 1, indent, options.file).parse());
  }
  return rules;
}

/** Index of the `#` that starts a comment (not inside quotes), or −1. */
function findComment(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return i;
  }
  return -1;
}

const NAME = /[A-Za-z0-9_]+/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[=<>!]+|[^\s\]["#=<>!]+|./y;
const OPERATORS: GateOperator[] = ['>=', '<=', '==', '>', '<'];

class RuleParser {
  private at = 0;
  private readonly text: string;
  private readonly index: number;
  private readonly line: number;
  private readonly indent: number;
  private readonly file: string | undefined;

  // Plain fields rather than parameter properties, so Node's type stripping can run this file as it is.
  constructor(text: string, index: number, line: number, indent: number, file: string | undefined) {
    this.text = text;
    this.index = index;
    this.line = line;
    this.indent = indent;
    this.file = file;
  }

  parse(): GateRule {
    const metric = this.expectName('a metric name (letters, digits, _)');
    let selector: GateSelector | undefined;
    this.skipSpace();
    if (this.peek() === '[') selector = this.parseSelector();
    this.skipSpace();
    const operator = this.parseOperator();
    this.skipSpace();
    const threshold = this.parseThreshold();
    this.skipSpace();
    if (this.at < this.text.length) {
      this.fail(
        threshold.kind === 'baseline' && threshold.adjustment === undefined
          ? 'the end of the rule, or "+", "-" or "*" and a number'
          : 'the end of the rule',
      );
    }
    return { index: this.index, line: this.line, text: this.text, metric, ...(selector && { selector }), operator, threshold };
  }

  private parseSelector(): GateSelector {
    this.at++; // '['
    this.skipSpace();
    const key = this.expectName('a column or "class" after "["');
    this.skipSpace();
    if (this.peek() !== '=') this.fail('"=" in the selector, as in [class=Gentoo]');
    this.at++;
    this.skipSpace();
    const value = this.peek() === '"' ? this.parseQuoted() : this.parseBare();
    this.skipSpace();
    if (this.peek() !== ']') this.fail('"]" to close the selector');
    this.at++;
    return { key, value };
  }

  private parseQuoted(): string {
    const start = this.at;
    let value = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at];
      if (c === '"') {
        this.at++;
        return value;
      }
      if (c === '\\' && this.at + 1 < this.text.length) this.at++;
      value += this.text[this.at];
    }
    this.at = start;
    return this.fail("a closing '\"' for the quoted value", this.text.length - start, 'a quote that is never closed');
  }

  private parseBare(): string {
    const match = /[^\s\]"#]+/y;
    match.lastIndex = this.at;
    const found = match.exec(this.text);
    if (found === null) this.fail('a value, as in [class=Gentoo] or [island="Biscoe Island"]');
    this.at += found![0].length;
    return found![0];
  }

  private parseOperator(): GateOperator {
    const operator = OPERATORS.find((candidate) => this.text.startsWith(candidate, this.at));
    if (operator === undefined) this.fail('a comparison: >=, <=, >, < or ==');
    this.at += operator!.length;
    return operator!;
  }

  private parseThreshold(): GateThreshold {
    if (this.text.startsWith('baseline', this.at) && !/[A-Za-z0-9_]/.test(this.text[this.at + 8] ?? '')) {
      this.at += 'baseline'.length;
      this.skipSpace();
      const operator = this.peek();
      if (operator !== '+' && operator !== '-' && operator !== '*') return { kind: 'baseline' };
      this.at++;
      this.skipSpace();
      return { kind: 'baseline', adjustment: { operator, value: this.expectNumber('a number after "baseline ' + operator + '"') } };
    }
    return { kind: 'number', value: this.expectNumber('a number or "baseline"') };
  }

  private expectNumber(expected: string): number {
    NUMBER.lastIndex = this.at;
    const found = NUMBER.exec(this.text);
    // "0.9x" is not a number followed by junk: report the whole word.
    if (found === null || /[A-Za-z0-9_.]/.test(this.text[this.at + found[0].length] ?? '')) this.fail(expected);
    this.at += found![0].length;
    return Number(found![0]);
  }

  private expectName(expected: string): string {
    NAME.lastIndex = this.at;
    const found = NAME.exec(this.text);
    if (found === null) this.fail(expected);
    this.at += found![0].length;
    return found![0];
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private fail(expected: string, width?: number, description?: string): never {
    let found: string;
    if (description !== undefined) {
      found = description;
    } else if (this.at >= this.text.length) {
      found = 'the end of the rule';
      width = 1;
    } else {
      WORD.lastIndex = this.at;
      const word = WORD.exec(this.text)![0];
      found = `"${word}"`;
      width ??= word.length;
    }
    const column = this.at + 1;
    const caret = ' '.repeat(this.at) + '^'.repeat(Math.max(1, width ?? 1));
    throw new InputError(
      `gate ${this.index} "${this.text}": at column ${column} found ${found}, expected ${expected}\n  ${this.text}\n  ${caret}`,
      {
        ...(this.file !== undefined && { file: this.file }),
        line: this.line,
        column: this.indent + column,
      },
    );
  }
}
