/*
 * Gate rules: one per line; blank lines and comments (from `#` to the end of the line, outside
 * quotes) are ignored. Whitespace between tokens is free.
 *
 *   rules      = { line , newline } ;
 *   line       = [ rule ] [ comment ] ;
 *   rule       = metric , [ selector ] , operator , threshold ;
 *   metric     = name ;                                   (* f1_macro, accuracy, roc_auc, rmse *)
 *
 * The monitor dialect (monitor-gate's rules) differs in three places, the rest is the same:
 *   metric     = name , { "." , name } | "promql" , "(" , quoted , ")" ;   (* drift.max, promql("sum(up)") *)
 *   threshold  = number | "stable" , [ ( "+" | "-" | "*" ) , number ] ;    (* the stable version's value *)
 *
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
 * Monitor dialect:
 *   drift.max < 0.2
 *   drift[column=body_mass_g] < 0.3
 *   error_rate <= stable + 0.005
 *   promql("sum(rate(mlops_requests_total[5m]))") > 1
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

/**
 * What a metric is compared with: a fixed number, or the reference's value, optionally adjusted: the
 * baseline model's (evaluate) or the stable version's (monitor-gate, in a canary).
 */
export type GateThreshold =
  { kind: 'number'; value: number } | { kind: ReferenceWord; adjustment?: { operator: '+' | '-' | '*'; value: number } };

/** The word a threshold names its reference by. */
export type ReferenceWord = 'baseline' | 'stable';

/**
 * Which rules a stage reads: evaluate's (metric names, `baseline`), or monitor-gate's (dotted names
 * such as `drift.max`, `promql("<query>")`, and `stable` where evaluate says `baseline`).
 */
export type GateDialect = 'evaluate' | 'monitor';

/** One parsed gate rule. */
export interface GateRule {
  /** 1-based position among the rules (comments and blank lines not counted). */
  index: number;
  /** 1-based line in the rules text. */
  line: number;
  /** The rule as written, without surrounding whitespace or comment. */
  text: string;
  metric: string;
  /** The PromQL query of a `promql("…")` rule (monitor dialect; metric is then `promql`). */
  query?: string;
  selector?: GateSelector;
  operator: GateOperator;
  threshold: GateThreshold;
}

/** Returns the metric name a rule looks up: `metric`, `metric[key=value]` or `promql("query")`. */
export function metricKey(rule: Pick<GateRule, 'metric' | 'selector' | 'query'>): string {
  if (rule.query !== undefined) return `promql(${JSON.stringify(rule.query)})`;
  return rule.selector === undefined ? rule.metric : `${rule.metric}[${rule.selector.key}=${rule.selector.value}]`;
}

/**
 * Parses gate rules, one per line. Throws InputError on the first bad rule, with the rule, the column,
 * what was found and what was expected, and a caret under the spot; `file` goes into the error's location.
 */
export function parseGateRules(text: string, options: { file?: string; dialect?: GateDialect } = {}): GateRule[] {
  const rules: GateRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const source = lines[l];
    const commentAt = findComment(source);
    const withoutComment = commentAt < 0 ? source : source.slice(0, commentAt);
    const trimmed = withoutComment.trim();
    if (trimmed === '') continue;
    const indent = withoutComment.length - withoutComment.trimStart().length;
    rules.push(new RuleParser(trimmed, rules.length + 1, l + 1, indent, options.file, options.dialect ?? 'evaluate').parse());
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
  private readonly dialect: GateDialect;
  private readonly reference: ReferenceWord;

  // Plain fields rather than parameter properties, so Node's type stripping can run this file as it is.
  constructor(text: string, index: number, line: number, indent: number, file: string | undefined, dialect: GateDialect) {
    this.text = text;
    this.index = index;
    this.line = line;
    this.indent = indent;
    this.file = file;
    this.dialect = dialect;
    this.reference = dialect === 'monitor' ? 'stable' : 'baseline';
  }

  parse(): GateRule {
    const monitor = this.dialect === 'monitor';
    let metric = this.expectName(
      monitor ? 'a metric name (letters, digits, _, dots), or promql("<query>")' : 'a metric name (letters, digits, _)',
    );
    let query: string | undefined;
    if (monitor) {
      while (this.peek() === '.') {
        this.at++;
        metric += '.' + this.expectName(`a name after "${metric}."`);
      }
      this.skipSpace();
      if (metric === 'promql') {
        if (this.peek() !== '(') this.fail('"(" and a quoted PromQL query, as in promql("sum(up)")');
        this.at++;
        this.skipSpace();
        if (this.peek() !== '"') this.fail('a quoted PromQL query, as in promql("sum(up)")');
        query = this.parseQuoted();
        if (query.trim() === '') this.fail('a PromQL query, not an empty string', 1);
        this.skipSpace();
        if (this.peek() !== ')') this.fail('")" to close promql(…)');
        this.at++;
      }
    }
    let selector: GateSelector | undefined;
    this.skipSpace();
    if (this.peek() === '[' && query === undefined) selector = this.parseSelector();
    this.skipSpace();
    const operator = this.parseOperator();
    this.skipSpace();
    const threshold = this.parseThreshold();
    this.skipSpace();
    if (this.at < this.text.length) {
      this.fail(
        threshold.kind !== 'number' && threshold.adjustment === undefined
          ? 'the end of the rule, or "+", "-" or "*" and a number'
          : 'the end of the rule',
      );
    }
    return {
      index: this.index,
      line: this.line,
      text: this.text,
      metric,
      ...(query !== undefined && { query }),
      ...(selector && { selector }),
      operator,
      threshold,
    };
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
    const word = this.reference;
    if (this.text.startsWith(word, this.at) && !/[A-Za-z0-9_]/.test(this.text[this.at + word.length] ?? '')) {
      this.at += word.length;
      this.skipSpace();
      const operator = this.peek();
      if (operator !== '+' && operator !== '-' && operator !== '*') return { kind: word };
      this.at++;
      this.skipSpace();
      return { kind: word, adjustment: { operator, value: this.expectNumber(`a number after "${word} ${operator}"`) } };
    }
    return { kind: 'number', value: this.expectNumber(`a number or "${word}"`) };
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
