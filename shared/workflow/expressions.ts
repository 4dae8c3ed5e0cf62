// `${{ … }}` expressions evaluated with GitHub's own parser and evaluator (@actions/expressions), plus
// the functions it leaves to the runner: success(), failure(), always(), cancelled() and hashFiles().
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { InputError } from '../errors.js';

/**
 * How the job (for a step) or the jobs a job needs (for a job) have gone so far: what the status functions
 * read. `skipped`: a needed job was skipped and none failed (success() and failure() are then both false).
 */
export type RunStatus = 'success' | 'failure' | 'cancelled' | 'skipped';

/** What an expression can read: the contexts (plain JSON values), the status so far, and hashFiles's files. */
export interface ExpressionScope {
  contexts: Record<string, unknown>;
  status: RunStatus;
  /** hashFiles(patterns…): the runner's hash of the matching files in the workspace ('' when none match). */
  hashFiles?: (patterns: string[]) => string;
}

const CONTEXT_NAMES = ['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs'];

/** Plain JSON to the evaluator's values. */
export function toExpressionData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** The evaluator's values to plain JSON. */
export function fromExpressionData(value: data.ExpressionData | undefined): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

function statusFunction(name: string, answer: (scope: ExpressionScope) => boolean, scope: ExpressionScope): FunctionDefinition {
  return { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer(scope)) };
}

function runnerFunctions(scope: ExpressionScope): Map<string, FunctionDefinition> {
  const functions: FunctionDefinition[] = [
    statusFunction('success', (s) => s.status === 'success', scope),
    statusFunction('failure', (s) => s.status === 'failure', scope),
    statusFunction('cancelled', (s) => s.status === 'cancelled', scope),
    statusFunction('always', () => true, scope),
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: 255,
      call: (...args) => {
        if (!scope.hashFiles) throw new Error('hashFiles() is not available here');
        return new data.StringData(scope.hashFiles(args.map((a) => a.coerceString())));
      },
    },
  ];
  return new Map(functions.map((f) => [f.name.toLowerCase(), f]));
}

/** Evaluates one expression (the text between `${{` and `}}`); throws InputError naming it when it does not parse or fails. */
export function evaluateExpression(expression: string, scope: ExpressionScope): unknown {
  const functions = runnerFunctions(scope);
  let tree;
  try {
    const tokens = new Lexer(expression).lex().tokens;
    tree = new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse();
  } catch (error) {
    throw new InputError(`the expression \${{ ${expression} }} does not parse: ${(error as Error).message}`);
  }
  const contexts = new data.Dictionary(...CONTEXT_NAMES.map((key) => ({ key, value: toExpressionData(scope.contexts[key] ?? {}) })));
  try {
    return fromExpressionData(new Evaluator(tree, contexts, functions).evaluate());
  } catch (error) {
    throw new InputError(`the expression \${{ ${expression} }} failed: ${(error as Error).message}`);
  }
}

/** True or false as the runner reads a condition's value (a non-empty string, a non-zero number, any object: true). */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0) return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}

/** A value as the runner puts it into a string: '' for null, JSON for objects and arrays. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * A string that may hold `${{ … }}` (an action.yml default, a `uses:` path): each expression evaluated and
 * put in as text. String literals inside an expression may hold `}}`.
 */
export function interpolate(text: string, scope: ExpressionScope): string {
  let result = '';
  let at = 0;
  for (;;) {
    const start = text.indexOf('${{', at);
    if (start === -1) return result + text.slice(at);
    let end = start + 3;
    let quoted = false;
    while (end < text.length && (quoted || !text.startsWith('}}', end))) {
      if (text[end] === "'") quoted = !quoted;
      end++;
    }
    if (end >= text.length) throw new InputError(`${JSON.stringify(text)} opens \${{ without closing it`);
    result += text.slice(at, start) + asText(evaluateExpression(text.slice(start + 3, end).trim(), scope));
    at = end + 2;
  }
}
