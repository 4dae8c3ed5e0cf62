// One way to read the configuration a user gives as a file path or inline YAML (params, expectations,
// gates, Table Schema): the parsed data, and the YAML line of any JSON pointer for errors. The text comes
// from readFileOrInline (file-or-inline.ts), which needs neither the YAML parser nor Ajv.

import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { ErrorObject } from 'ajv';
import { InputError, type Location } from '../errors.js';
import { schemaValidator } from './ajv.js';

/** The first syntax error of a YAML text. */
export interface YamlSyntaxError {
  /** The error's first line as the yaml package words it, ending with its position (`… at line 2, column 1:`). */
  message: string;
  /** The same without the position. */
  reason: string;
  line: number;
  column: number;
}

/** A parsed YAML (or JSON) text that knows where each of its nodes is. */
export class YamlDocument {
  private constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; `syntaxError` is set when it is not valid YAML (duplicate keys included). */
  static parse(text: string): YamlDocument {
    const lines = new LineCounter();
    return new YamlDocument(parseDocument(text, { lineCounter: lines }), lines);
  }

  get syntaxError(): YamlSyntaxError | undefined {
    const error = this.doc.errors[0];
    if (!error) return undefined;
    const message = error.message.split('\n')[0]!;
    const pos = error.linePos?.[0] ?? this.lines.linePos(error.pos[0]);
    return { message, reason: message.replace(/ at line \d+, column \d+:?$/, ''), line: pos.line, column: pos.col };
  }

  /**
   * The data, as JSON would hold it. Call only when there is no syntax error. Aliases that would
   * expand past a bound (a "billion laughs" document) throw InputError: `where` names the text
   * (`expectations.yaml`, `input 'params'`) and `at` points at it.
   */
  data(where: string, at: Location = {}): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      if (error instanceof ReferenceError || /alias/i.test((error as Error).message)) {
        throw new InputError(
          `${where}: its YAML aliases expand too far (${(error as Error).message}); a document that references an anchor this often is refused. Write the values out instead.`,
          at,
        );
      }
      throw error;
    }
  }

  /** True when the node at a JSON pointer is a block scalar (`|` or `>`): its text starts on the line after its own. */
  isBlockScalar(pointer: readonly string[]): boolean {
    const node = this.doc.getIn(pointer, true) as { type?: string } | undefined;
    return node?.type === 'BLOCK_LITERAL' || node?.type === 'BLOCK_FOLDED';
  }

  /**
   * The 1-based line of the node at a JSON pointer (unescaped segments), or of its nearest ancestor in
   * the text. With `key`, a map entry's line is its key's (`mean:`), not its value's, which may start lines later.
   */
  lineOf(pointer: readonly string[], { key = false } = {}): number | undefined {
    if (key && pointer.length > 0) {
      const parent = pointer.length === 1 ? this.doc.contents : this.doc.getIn(pointer.slice(0, -1), true);
      const keyNode = isMap(parent)
        ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === pointer.at(-1))?.key
        : undefined;
      const range = (keyNode as { range?: [number, number, number] } | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    // Strings find sequence items too: the yaml package reads a numeric string as an index.
    for (let length = pointer.length; length >= 0; length--) {
      const node = length === 0 ? this.doc.contents : this.doc.getIn(pointer.slice(0, length), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return undefined;
  }
}

/** The segments of a JSON pointer (`/columns/a~1b` → `columns`, `a/b`). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The first way `data` breaks a JSON Schema (checked with the project's Ajv), or undefined. */
export function firstSchemaError(schema: object, data: unknown): ErrorObject | undefined {
  const validate = schemaValidator(schema);
  return validate(data) ? undefined : validate.errors![0]!;
}
