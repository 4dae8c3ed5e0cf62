// JavaScript's regular expressions backtrack: a pattern such as `(a+)+b` takes time exponential in the
// length of a cell that almost matches, and no timer can interrupt a running match. Patterns are read
// here before use, and the shapes that backtrack catastrophically are refused with the reason.

interface GroupState {
  /** A quantifier applies somewhere inside the group. */
  quantified: boolean;
  /** The source of every quantified atom inside the group (without its quantifier). */
  atoms: string[];
  /** The group's top-level alternatives, as written. */
  alternatives: string[];
  start: number;
}

/** Whether the quantifier at `source[i]` may repeat its operand more than once; and where it ends. */
function quantifierAt(source: string, i: number): { repeats: boolean; end: number } | undefined {
  const c = source[i];
  let end = i + 1;
  let repeats: boolean;
  if (c === '*' || c === '+') repeats = true;
  else if (c === '?') repeats = false;
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    end = i + m[0].length;
    repeats = m[2] === undefined ? Number(m[1]) > 1 : m[3] === '' || Number(m[3]) > 1;
  } else return undefined;
  if (source[end] === '?') end++; // lazy: backtracks just the same
  return { repeats, end };
}

/**
 * Why `source` (a regular expression) can take exponential time, or undefined: a repeated group that
 * holds a quantifier (`(a+)+`, `(\w*,?)*`), a repeated group with alternatives one of which is a prefix
 * of another (`(a|aa)+`), or a back-reference.
 */
export function catastrophicBacktracking(source: string): string | undefined {
  const stack: GroupState[] = [{ quantified: false, atoms: [], alternatives: [], start: 0 }];
  let altStart = 0;
  const altStarts: number[] = [];
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    const atomStart = i;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return `it uses a back-reference (\\${next}), which no bound on matching time allows`;
      i += 2;
    } else if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      altStarts.push(altStart);
      let body = i + 1;
      if (source[body] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(body));
        body += m ? m[0].length : 1;
      }
      stack.push({ quantified: false, atoms: [], alternatives: [], start: body });
      altStart = body;
      i = body;
      continue;
    } else if (c === '|') {
      stack.at(-1)!.alternatives.push(source.slice(altStart, i));
      altStart = i + 1;
      i++;
      continue;
    } else if (c === ')' && stack.length > 1) {
      const group = stack.pop()!;
      group.alternatives.push(source.slice(altStart, i));
      altStart = altStarts.pop()!;
      const text = source.slice(group.start - 1, i + 1);
      const q = quantifierAt(source, i + 1);
      const parent = stack.at(-1)!;
      if (group.quantified) parent.quantified = true;
      parent.atoms.push(...group.atoms);
      if (q) {
        parent.quantified = true;
        parent.atoms.push(text);
        if (q.repeats && group.quantified && !separatorLed(group)) {
          return `the group ${text} holds a quantifier and is itself repeated (${source.slice(group.start - 1, q.end)}): nested quantifiers backtrack exponentially`;
        }
        if (q.repeats && overlapping(group.alternatives)) {
          return `the repeated group ${source.slice(group.start - 1, q.end)} has alternatives that can match the same text`;
        }
        i = q.end;
      } else i++;
      continue;
    } else {
      i++;
    }
    const q = quantifierAt(source, i);
    if (q) {
      stack.at(-1)!.quantified = true;
      stack.at(-1)!.atoms.push(source.slice(atomStart, i));
      i = q.end;
    }
  }
  return undefined;
}

/**
 * A group whose one alternative starts with a literal character that none of its quantified atoms can
 * match (`(-[a-z]+)*`, `(,\d+)*`): each repetition starts at a separator, so there is one way to split.
 */
function separatorLed(group: GroupState): boolean {
  if (group.alternatives.length !== 1) return false;
  const body = group.alternatives[0]!;
  const first = body[0];
  if (first === undefined || '\\[](){}.^$|?*+'.includes(first) || quantifierAt(body, 1)) return false;
  return group.atoms.every((atom) => {
    try {
      return !new RegExp(`^(?:${atom})`).test(first);
    } catch {
      return false;
    }
  });
}

/** Two alternatives where one is a prefix of the other (or equal), read as written. */
function overlapping(alternatives: string[]): boolean {
  for (let a = 0; a < alternatives.length; a++) {
    for (let b = 0; b < alternatives.length; b++) {
      if (a !== b && alternatives[b]!.startsWith(alternatives[a]!)) return true;
    }
  }
  return false;
}
