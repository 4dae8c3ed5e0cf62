// Table Schema's `pattern` "MUST conform to the standard XML Schema regular expression syntax" (XML Schema Part 2,
// appendix F). This translates one into RE2 syntax for RE2JS, the linear-time engine cell-pattern.ts runs, keeping
// XML Schema's meanings: `.` is any character but \n and \r, `\d` any Unicode decimal digit, `\w` any character
// but punctuation, separators and others, `\i` and `\c` XML name characters, `\p{IsBlock}` a Unicode block,
// `[a-z-[aeiou]]` a class minus a class. What XML Schema does not have (anchors other than a branch's leading ^ and trailing $, lookaround, back-references,
// lazy quantifiers, other escapes) is refused with the reason, since reading it another way would be silently wrong.

/** A pattern XML Schema does not accept; `message` says what and where. */
export class XsdPatternError extends Error {
  override name = 'XsdPatternError';
}

type Range = readonly [number, number];
/** A union of terms, then negated (`[^…]`), then minus another class (`-[…]`). */
interface CharClass {
  negated: boolean;
  terms: Term[];
  minus?: CharClass;
}
type Term =
  | { kind: 'ranges'; ranges: Range[] }
  | { kind: 'property'; name: string; negated: boolean }
  /** `\w`: everything but \p{P}, \p{Z} and \p{C}. */
  | { kind: 'word' }
  /** `\W`: \p{P}, \p{Z} and \p{C}. */
  | { kind: 'nonword' };

const MAX_CODE_POINT = 0x10ffff;
/** The characters `\` may escape to stand for themselves (SingleCharEsc), n, r and t aside. */
const SINGLE_ESCAPES = new Set([...'\\|.?*+(){}-[]^']);
const CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn'.split(' '),
);

// \i and \c as XML 1.0 (fifth edition) NameStartChar and NameChar, which XML Schema 1.1 adopted for them.
const NAME_START: Range[] = [
  [0x3a, 0x3a],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2ff],
  [0x370, 0x37d],
  [0x37f, 0x1fff],
  [0x200c, 0x200d],
  [0x2070, 0x218f],
  [0x2c00, 0x2fef],
  [0x3001, 0xd7ff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xfffd],
  [0x10000, 0xeffff],
];
const NAME_CHAR: Range[] = normalize([...NAME_START, [0x2d, 0x2e], [0x30, 0x39], [0xb7, 0xb7], [0x300, 0x36f], [0x203f, 0x2040]]);
const SPACES: Range[] = normalize([
  [0x20, 0x20],
  [0x9, 0xa],
  [0xd, 0xd],
]);

// The block names of XML Schema 1.0 (Unicode 3.1's Blocks.txt without spaces), and two later names of the same blocks.
const BLOCKS: Record<string, Range[]> = Object.fromEntries(
  `BasicLatin 0-7F|Latin-1Supplement 80-FF|LatinExtended-A 100-17F|LatinExtended-B 180-24F|IPAExtensions 250-2AF|
SpacingModifierLetters 2B0-2FF|CombiningDiacriticalMarks 300-36F|Greek 370-3FF|GreekandCoptic 370-3FF|Cyrillic 400-4FF|
Armenian 530-58F|Hebrew 590-5FF|Arabic 600-6FF|Syriac 700-74F|Thaana 780-7BF|Devanagari 900-97F|Bengali 980-9FF|
Gurmukhi A00-A7F|Gujarati A80-AFF|Oriya B00-B7F|Tamil B80-BFF|Telugu C00-C7F|Kannada C80-CFF|Malayalam D00-D7F|
Sinhala D80-DFF|Thai E00-E7F|Lao E80-EFF|Tibetan F00-FFF|Myanmar 1000-109F|Georgian 10A0-10FF|HangulJamo 1100-11FF|
Ethiopic 1200-137F|Cherokee 13A0-13FF|UnifiedCanadianAboriginalSyllabics 1400-167F|Ogham 1680-169F|Runic 16A0-16FF|
Khmer 1780-17FF|Mongolian 1800-18AF|LatinExtendedAdditional 1E00-1EFF|GreekExtended 1F00-1FFF|
GeneralPunctuation 2000-206F|SuperscriptsandSubscripts 2070-209F|CurrencySymbols 20A0-20CF|
CombiningMarksforSymbols 20D0-20FF|CombiningDiacriticalMarksforSymbols 20D0-20FF|LetterlikeSymbols 2100-214F|
NumberForms 2150-218F|Arrows 2190-21FF|MathematicalOperators 2200-22FF|MiscellaneousTechnical 2300-23FF|
ControlPictures 2400-243F|OpticalCharacterRecognition 2440-245F|EnclosedAlphanumerics 2460-24FF|BoxDrawing 2500-257F|
BlockElements 2580-259F|GeometricShapes 25A0-25FF|MiscellaneousSymbols 2600-26FF|Dingbats 2700-27BF|
BraillePatterns 2800-28FF|CJKRadicalsSupplement 2E80-2EFF|KangxiRadicals 2F00-2FDF|
IdeographicDescriptionCharacters 2FF0-2FFF|CJKSymbolsandPunctuation 3000-303F|Hiragana 3040-309F|Katakana 30A0-30FF|
Bopomofo 3100-312F|HangulCompatibilityJamo 3130-318F|Kanbun 3190-319F|BopomofoExtended 31A0-31BF|
EnclosedCJKLettersandMonths 3200-32FF|CJKCompatibility 3300-33FF|CJKUnifiedIdeographsExtensionA 3400-4DB5|
CJKUnifiedIdeographs 4E00-9FFF|YiSyllables A000-A48F|YiRadicals A490-A4CF|HangulSyllables AC00-D7A3|
HighSurrogates D800-DB7F|HighPrivateUseSurrogates DB80-DBFF|LowSurrogates DC00-DFFF|
PrivateUse E000-F8FF,F0000-FFFFD,100000-10FFFD|CJKCompatibilityIdeographs F900-FAFF|
AlphabeticPresentationForms FB00-FB4F|ArabicPresentationForms-A FB50-FDFF|CombiningHalfMarks FE20-FE2F|
CJKCompatibilityForms FE30-FE4F|SmallFormVariants FE50-FE6F|ArabicPresentationForms-B FE70-FEFE|
Specials FEFF-FEFF,FFF0-FFFD|HalfwidthandFullwidthForms FF00-FFEF|OldItalic 10300-1032F|Gothic 10330-1034F|
Deseret 10400-1044F|ByzantineMusicalSymbols 1D000-1D0FF|MusicalSymbols 1D100-1D1FF|
MathematicalAlphanumericSymbols 1D400-1D7FF|CJKUnifiedIdeographsExtensionB 20000-2A6D6|
CJKCompatibilityIdeographsSupplement 2F800-2FA1F|Tags E0000-E007F`
    .split('|')
    .map((entry) => {
      const [name, spans] = entry.trim().split(' ') as [string, string];
      return [name, spans.split(',').map((span) => span.split('-').map((hex) => parseInt(hex, 16)) as unknown as Range)];
    }),
);

/**
 * Translates an XML Schema regular expression into RE2 syntax with the same meaning (the caller matches it
 * against the whole value: XML Schema patterns are implicitly anchored).
 * Throws XsdPatternError saying what XML Schema does not accept, and where.
 */
export function xsdPatternToRe2(pattern: string): string {
  return new XsdParser(pattern).translate();
}

class XsdParser {
  private readonly chars: string[];
  private at = 0;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    const out = this.regExp();
    if (this.at < this.chars.length) this.fail(`a ) with no ( before it`);
    return out;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.at + offset];
  }

  private fail(what: string): never {
    throw new XsdPatternError(`${what} (at character ${this.at + 1})`);
  }

  private regExp(): string {
    const branches = [this.branch()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.branch());
    }
    return branches.join('|');
  }

  private branch(): string {
    let out = '';
    // XML Schema has no anchors, but the spec's own example ("^a.*$": "orange" invalid, "apple" valid) and
    // frictionless-py read a branch's leading ^ and trailing $ as anchors: redundant on an anchored pattern.
    if (this.peek() === '^') this.at++;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return out;
      if (c === '$' && (this.peek(1) === undefined || this.peek(1) === '|' || this.peek(1) === ')')) {
        this.at++;
        continue;
      }
      out += this.piece();
    }
  }

  private piece(): string {
    const atom = this.atom();
    const quantifier = this.quantifier();
    if (quantifier !== '' && /^[?*+{]$/.test(this.peek() ?? ''))
      this.fail('a quantifier right after another (lazy and possessive forms such as *? and ++ are not XML Schema)');
    return atom + quantifier;
  }

  private quantifier(): string {
    const c = this.peek();
    if (c === '?' || c === '*' || c === '+') {
      this.at++;
      return c;
    }
    if (c !== '{') return '';
    const start = this.at;
    let text = '';
    this.at++;
    while (this.peek() !== undefined && this.peek() !== '}') text += this.chars[this.at++];
    if (this.peek() !== '}' || !/^\d+(,\d*)?$/.test(text)) {
      this.at = start;
      this.fail(
        `a quantifier {${text}${this.peek() === undefined ? '' : '}'} XML Schema does not have (it has {n}, {n,} and {n,m}; write \\{ for the character)`,
      );
    }
    this.at++;
    const [low, high] = text.split(',');
    if (high !== undefined && high !== '' && Number(high) < Number(low)) {
      this.at = start;
      this.fail(`a quantifier {${text}} whose maximum is below its minimum`);
    }
    return `{${text}}`;
  }

  private atom(): string {
    const c = this.chars[this.at]!;
    switch (c) {
      case '(': {
        if (this.peek(1) === '?')
          this.fail(
            '(?, a group XML Schema does not have (lookahead, lookbehind, non-capturing, named groups and flags are not XML Schema)',
          );
        this.at++;
        const inner = this.regExp();
        if (this.peek() !== ')') this.fail('a ( that is never closed');
        this.at++;
        return `(?:${inner})`;
      }
      case '[':
        return emitClass(this.classExpression());
      case '.':
        this.at++;
        return '[^\\n\\r]';
      case '\\':
        return emitTerm(this.escape(false));
      case '?':
      case '*':
      case '+':
      case '{':
        return this.fail(`${c} with nothing to repeat (write \\${c} for the character)`);
      case '}':
      case ']':
        return this.fail(`${c} with nothing opening it (write \\${c} for the character)`);
      default:
        this.at++;
        return literal(c.codePointAt(0)!);
    }
  }

  /**
   * An escape at `\`: a single character (as a one-character range) or a class escape. In a class, only a
   * single character may end a range, which the caller checks.
   */
  private escape(inClass: boolean): Term {
    const c = this.peek(1);
    if (c === undefined) this.fail('a \\ at the end, escaping nothing');
    this.at += 2;
    if (c === 'n' || c === 'r' || c === 't') return single({ n: 0xa, r: 0xd, t: 0x9 }[c]);
    if (SINGLE_ESCAPES.has(c)) return single(c.codePointAt(0)!);
    switch (c) {
      case 's':
      case 'S':
        return { kind: 'ranges', ranges: c === 's' ? SPACES : complement(SPACES) };
      case 'i':
      case 'I':
        return { kind: 'ranges', ranges: c === 'i' ? NAME_START : complement(NAME_START) };
      case 'c':
      case 'C':
        return { kind: 'ranges', ranges: c === 'c' ? NAME_CHAR : complement(NAME_CHAR) };
      case 'd':
      case 'D':
        return { kind: 'property', name: 'Nd', negated: c === 'D' };
      case 'w':
        return { kind: 'word' };
      case 'W':
        return { kind: 'nonword' };
      case 'p':
      case 'P':
        return this.property(c === 'P');
    }
    this.at -= 2;
    if (/\d/.test(c)) this.fail(`\\${c}, a back-reference, which XML Schema does not have`);
    const code = /^u([0-9A-Fa-f]{4})$/.exec(this.chars.slice(this.at + 1, this.at + 6).join(''));
    if (code)
      this.fail(
        `\\u${code[1]}, a JavaScript escape XML Schema does not have: write the character itself (${String.fromCodePoint(parseInt(code[1]!, 16))})`,
      );
    return this.fail(
      `\\${c}, which is not an XML Schema escape${inClass ? ' in a class' : ''} (XML Schema has \\n \\r \\t, \\ before one of \\|.?*+(){}-[]^, \\s \\S \\i \\I \\c \\C \\d \\D \\w \\W, \\p{…} and \\P{…})`,
    );
  }

  private property(negated: boolean): Term {
    if (this.peek() !== '{') this.fail(`\\${negated ? 'P' : 'p'} without {…} naming a category or block`);
    let name = '';
    this.at++;
    while (this.peek() !== undefined && this.peek() !== '}') name += this.chars[this.at++];
    if (this.peek() !== '}') this.fail(`\\${negated ? 'P' : 'p'}{${name} that is never closed`);
    this.at++;
    if (CATEGORIES.has(name)) return { kind: 'property', name, negated };
    if (name.startsWith('Is') && BLOCKS[name.slice(2)]) {
      const ranges = normalize(BLOCKS[name.slice(2)]!);
      return { kind: 'ranges', ranges: negated ? complement(ranges) : ranges };
    }
    return this.fail(
      `\\${negated ? 'P' : 'p'}{${name}}, which is neither a Unicode general category (L, Lu, Nd, P, …) nor an XML Schema block name (IsBasicLatin, IsGreek, …)`,
    );
  }

  /** A class at `[`: `[…]`, `[^…]`, or either minus a class, `[…-[…]]`. */
  private classExpression(): CharClass {
    const open = this.at;
    this.at++;
    const negated = this.peek() === '^';
    if (negated) this.at++;
    const terms: Term[] = [];
    let minus: CharClass | undefined;
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        this.at = open;
        this.fail('a [ that is never closed');
      }
      if (c === ']') {
        if (terms.length === 0) this.fail('an empty class [] or [^], which XML Schema does not allow');
        this.at++;
        break;
      }
      if (c === '-' && this.peek(1) === '[') {
        if (terms.length === 0) this.fail('a class subtraction with nothing to subtract from');
        this.at++;
        minus = this.classExpression();
        if (this.peek() !== ']') this.fail('a class subtraction -[…] that is not the last thing in its class');
        this.at++;
        break;
      }
      if (c === '-' && terms.length > 0 && this.peek(1) !== ']')
        this.fail('a - in a class that is neither first, last, a range, nor a subtraction (write \\- for the character)');
      if (c === '[') this.fail('a [ inside a class (write \\[ for the character, or -[…] to subtract a class)');
      const first = c === '\\' ? this.escape(true) : single(this.chars[this.at++]!.codePointAt(0)!);
      const low = singleCodePoint(first);
      if (low !== undefined && this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '[' && this.peek(1) !== undefined) {
        this.at++;
        const end = this.peek() === '\\' ? this.escape(true) : single(this.chars[this.at++]!.codePointAt(0)!);
        const high = singleCodePoint(end);
        if (high === undefined) this.fail('a range ending in a class escape (a range goes from one character to another)');
        if (high < low) this.fail(`a range from ${String.fromCodePoint(low)} to ${String.fromCodePoint(high)}, which is backwards`);
        terms.push({ kind: 'ranges', ranges: [[low, high]] });
      } else {
        terms.push(first);
      }
    }
    return { negated, terms, ...(minus ? { minus } : {}) };
  }
}

function single(codePoint: number): Term {
  return { kind: 'ranges', ranges: [[codePoint, codePoint]] };
}

function singleCodePoint(term: Term): number | undefined {
  return term.kind === 'ranges' && term.ranges.length === 1 && term.ranges[0]![0] === term.ranges[0]![1] ? term.ranges[0]![0] : undefined;
}

function literal(codePoint: number): string {
  const c = String.fromCodePoint(codePoint);
  return /^[A-Za-z0-9]$/.test(c) ? c : hex(codePoint);
}

function hex(codePoint: number): string {
  return `\\x{${codePoint.toString(16)}}`;
}

const WORD_EXCLUDED = '\\p{P}\\p{Z}\\p{C}';

function emitTerm(term: Term): string {
  switch (term.kind) {
    case 'ranges':
      return term.ranges.length === 1 && term.ranges[0]![0] === term.ranges[0]![1] ? literal(term.ranges[0]![0]) : emitRanges(term.ranges);
    case 'property':
      return `\\${term.negated ? 'P' : 'p'}{${term.name}}`;
    case 'word':
      return `[^${WORD_EXCLUDED}]`;
    case 'nonword':
      return `[${WORD_EXCLUDED}]`;
  }
}

/** A class in RE2 syntax: natively when RE2 can say it, else as the ranges of its set. */
function emitClass(cls: CharClass): string {
  if (cls.minus === undefined && !cls.terms.some((t) => t.kind === 'word')) {
    const items = cls.terms
      .map((t) => (t.kind === 'ranges' ? rangeItems(t.ranges) : t.kind === 'nonword' ? WORD_EXCLUDED : emitTerm(t)))
      .join('');
    if (items === '') return cls.negated ? emitRanges([[0, MAX_CODE_POINT]]) : emitRanges([]);
    return `[${cls.negated ? '^' : ''}${items}]`;
  }
  if (cls.minus === undefined && cls.terms.length === 1) return cls.negated ? `[${WORD_EXCLUDED}]` : `[^${WORD_EXCLUDED}]`;
  // [\w-] is common: \w or the rest, as two classes (one character either way), with no table to build.
  if (cls.minus === undefined && !cls.negated) {
    const rest = cls.terms.filter((t) => t.kind !== 'word');
    return `(?:[^${WORD_EXCLUDED}]|${emitClass({ negated: false, terms: rest })})`;
  }
  return emitRanges(classSet(cls));
}

function emitRanges(ranges: readonly Range[]): string {
  // An empty class matches nothing; RE2 reads [^\x{0}-\x{10ffff}] as that.
  return ranges.length === 0 ? `[^${hex(0)}-${hex(MAX_CODE_POINT)}]` : `[${rangeItems(ranges)}]`;
}

function rangeItems(ranges: readonly Range[]): string {
  return ranges.map(([low, high]) => (low === high ? hex(low) : `${hex(low)}-${hex(high)}`)).join('');
}

/** The code points a class holds, as sorted disjoint ranges (properties read from the JavaScript engine's tables). */
function classSet(cls: CharClass): Range[] {
  let set = normalize(cls.terms.flatMap(termSet));
  if (cls.negated) set = complement(set);
  return cls.minus ? subtract(set, classSet(cls.minus)) : set;
}

function termSet(term: Term): Range[] {
  switch (term.kind) {
    case 'ranges':
      return [...term.ranges];
    case 'property':
      return term.negated ? complement(propertySet(term.name)) : propertySet(term.name);
    case 'word':
      return complement(termSet({ kind: 'nonword' }));
    case 'nonword':
      return normalize([...propertySet('P'), ...propertySet('Z'), ...propertySet('C')]);
  }
}

const propertySets = new Map<string, Range[]>();

/**
 * The code points of a general category, from the JavaScript engine's Unicode tables (`\p{…}` with the u flag):
 * a scan of every code point, done once per category and only for a class RE2 cannot write (a subtraction).
 */
function propertySet(name: string): Range[] {
  const known = propertySets.get(name);
  if (known) return known;
  const test = new RegExp(`^\\p{${name}}$`, 'u');
  const ranges: Range[] = [];
  let start = -1;
  for (let cp = 0; cp <= MAX_CODE_POINT + 1; cp++) {
    const inside = cp <= MAX_CODE_POINT && (cp < 0xd800 || cp > 0xdfff) && test.test(String.fromCodePoint(cp));
    if (inside && start === -1) start = cp;
    else if (!inside && start !== -1 && (cp < 0xd800 || cp > 0xdfff)) {
      ranges.push([start, cp - 1]);
      start = -1;
    }
  }
  propertySets.set(name, ranges);
  return ranges;
}

function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = out[out.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else out.push([low, high]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [low, high] of normalize(ranges)) {
    if (low > next) out.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function subtract(a: readonly Range[], b: readonly Range[]): Range[] {
  // a − b = ¬(¬a ∪ b)
  return complement([...complement(a), ...b]);
}
