// Table Schema `pattern`: "The values of this field MUST conform to the standard XML Schema regular expression
// syntax" (table-schema.mdx). The examples are XML Schema Part 2's (appendix F, "Regular Expressions"), each with
// the strings it says match and do not; the refusals are what that grammar has no production for.
import { describe, expect, it } from '@jest/globals';
import { compileCellPattern } from '../../../../shared/data/table-schema/cell-pattern.js';
import { compileField } from '../../../../shared/data/table-schema/field.js';
import { parseTableSchemaWithWarnings } from '../../../../shared/data/table-schema/descriptor.js';
import { InputError } from '../../../../shared/errors.js';

function matcher(pattern: string): (cell: string) => boolean {
  const compiled = compileCellPattern(pattern);
  if (typeof compiled === 'string') throw new Error(`${pattern}: ${compiled}`);
  return compiled;
}

function refusal(pattern: string): string {
  const compiled = compileCellPattern(pattern);
  if (typeof compiled !== 'string') throw new Error(`${pattern} compiled`);
  return compiled;
}

describe('XML Schema regular expressions, as appendix F gives them', () => {
  it.each<[string, string[], string[]]>([
    // "Chapter \d: the string 'Chapter' followed by a single space followed by a single digit".
    ['Chapter \\d', ['Chapter 0', 'Chapter 9', 'Chapter ٣'], ['Chapter', 'Chapter 10', 'Chapter x']],
    // "Chapter\s\d: ... followed by a single whitespace character (space, tab, newline, etc.)".
    ['Chapter\\s\\d', ['Chapter 1', 'Chapter\t1', 'Chapter\n1'], ['Chapter\u00a01', 'Chapter1']],
    // "Chapter\s\w: ... followed by a single non-punctuation, non-separator character".
    ['Chapter\\s\\w', ['Chapter a', 'Chapter é', 'Chapter 1'], ['Chapter .', 'Chapter  ', 'Chapter -']],
    // "Español" written with the character itself.
    ['Español', ['Español'], ['Espanol']],
    // "\p{Lu}: all upper case letters"; "\p{IsGreek}: all characters in the Greek block"; "\P{IsGreek}".
    ['\\p{Lu}', ['A', 'Ω', 'É'], ['a', '1']],
    ['\\p{IsGreek}', ['Ω', 'λ', 'Ͱ'], ['A', 'ἀ']],
    ['\\P{IsGreek}', ['A', 'ἀ'], ['Ω']],
    ['\\p{IsBasicLatin}+', ['hello~'], ['héllo']],
    // "a*x", "a?x", "(a|b)+x", "[^0-9]x", "\Dx", ".x", ".*abc.*", "(.*)abc(.*)".
    ['a*x', ['x', 'ax', 'aax'], ['a', 'bx']],
    ['a?x', ['x', 'ax'], ['aax']],
    ['(a|b)+x', ['ax', 'bx', 'ababx'], ['x', 'cx']],
    ['[^0-9]x', ['ax', ' x'], ['1x', 'x']],
    ['\\Dx', ['ax'], ['1x', '٣x']],
    ['.x', ['ax', '😀x'], ['\nx', '\rx', 'x']],
    ['.*abc.*', ['abc', 'xxabcxx'], ['ab']],
    ['(.*)abc(.*)', ['xabcx'], ['xabx']],
    // "[a-c]x", "[-ac]x", "[ac-]x": a - first or last in a class is the character.
    ['[a-c]x', ['ax', 'cx'], ['dx']],
    ['[-ac]x', ['-x', 'ax'], ['bx']],
    ['[ac-]x', ['-x', 'cx'], ['bx']],
    // "[a-z-[aeiuo]]": "all ASCII letters except vowels" — character class subtraction.
    ['[a-z-[aeiuo]]+', ['bcd', 'xyz'], ['abc', 'e', 'B']],
    ['[\\p{L}-[\\p{Lu}]]+', ['abc', 'é'], ['aBc']],
    // A negative group minus a class: (not a-z) minus the vowels.
    ['[^a-z-[aeiou]]', ['Z', '1'], ['a', 'b']],
    // \i and \c: XML's name characters; "\i\c*" is an XML name.
    ['\\i\\c*', ['_x-1.y', 'a:b', 'été'], ['1a', '-a', 'a b']],
    ['\\I', ['1', '-'], ['a', '_']],
    ['\\C', [' ', '/'], ['a', '-', '.']],
    // Quantifiers {n}, {n,} and {n,m}; escapes of the metacharacters.
    ['x{2}', ['xx'], ['x', 'xxx']],
    ['x{2,}', ['xx', 'xxxx'], ['x']],
    ['x{1,2}', ['x', 'xx'], ['xxx']],
    ['\\^\\.\\{\\}\\[\\]\\|\\-', ['^.{}[]|-'], ['^a{}[]|-']],
    // ^ and $ inside a pattern (not at an end) are characters: XML Schema has no anchors.
    ['US$[0-9]+', ['US$100'], ['US100']],
    ['[$^]+', ['$^$'], ['a']],
    // \w leaves out all punctuation, the underscore (Pc) included, unlike other engines' \w.
    ['[\\w-]+', ['my-slug1', 'día'], ['my_slug', 'my slug', 'a/b']],
    ['[^\\w]', ['.', ' '], ['a']],
    ['[^\\W]', ['a'], ['.']],
  ])('%s', (pattern, matching, other) => {
    const test = matcher(pattern);
    for (const cell of matching) expect([cell, test(cell)]).toEqual([cell, true]);
    for (const cell of other) expect([cell, test(cell)]).toEqual([cell, false]);
  });

  it('is matched against the whole value (patterns are implicitly anchored)', () => {
    expect(matcher('a')('ba')).toBe(false);
    expect(matcher('a|ab')('ab')).toBe(true);
  });

  it("reads a branch's leading ^ and trailing $ as anchors, as the spec's own example does", () => {
    // table-schema.mdx: with pattern "^a.*$", "orange" is invalid (and "apple" valid).
    const spec = matcher('^a.*$');
    expect([spec('apple'), spec('orange')]).toEqual([true, false]);
    expect([matcher('^a|b$')('a'), matcher('^a|b$')('b'), matcher('(^a$)')('a')]).toEqual([true, true, true]);
  });
});

describe('what XML Schema does not have is refused, saying why', () => {
  it.each<[string, RegExp]>([
    ['(?=a)a', /\(\?, a group XML Schema does not have \(lookahead/],
    ['(?:a)', /\(\?, a group XML Schema does not have/],
    ['(a)\\1', /\\1, a back-reference/],
    ['a*?', /a quantifier right after another \(lazy and possessive/],
    ['a++', /a quantifier right after another/],
    ['\\bword', /\\b, which is not an XML Schema escape/],
    ['caf\\u00e9', /\\u00e9, a JavaScript escape XML Schema does not have: write the character itself \(é\)/],
    ['x{,3}', /a quantifier \{,3\} XML Schema does not have/],
    ['x{3,1}', /maximum is below its minimum/],
    ['*a', /\* with nothing to repeat/],
    ['a{', /a quantifier \{/],
    ['a}', /\} with nothing opening it/],
    ['[]', /an empty class/],
    ['[a-]b-c]', /\] with nothing opening it/],
    ['[a-c-e]', /a - in a class that is neither first, last/],
    ['[z-a]', /a range from z to a, which is backwards/],
    ['[a[b]', /a \[ inside a class/],
    ['\\p{Greek}', /neither a Unicode general category .* nor an XML Schema block name/],
    ['(ab', /a \( that is never closed/],
    ['ab)', /a \) with no \( before it/],
  ])('%s', (pattern, reason) => {
    expect(refusal(pattern)).toMatch(reason);
  });

  it('names the field and the pattern in the schema error', () => {
    expect(() => compileField({ name: 'name', type: 'string', constraints: { pattern: '(?=a)a' } })).toThrow(
      /^field "name": constraints\/pattern is "\(\?=a\)a"; expected an XML Schema regular expression for field "name" \(it matches the whole value, in linear time\), not one with \(\?/,
    );
    try {
      parseTableSchemaWithWarnings('fields:\n  - name: code\n    constraints:\n      pattern: "(?i)abc"\n', 's.yaml');
      throw new Error('loaded');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(
        /^s\.yaml: \/fields\/0\/constraints\/pattern is "\(\?i\)abc"; expected an XML Schema regular expression for field "code"/,
      );
      expect((error as InputError).at.line).toBe(4);
    }
  });
});
