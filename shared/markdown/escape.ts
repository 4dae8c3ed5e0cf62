/**
 * Escaping for strings that come from data (labels, column names, file names, messages) before they
 * go into a pull-request comment or job summary. GitHub renders Markdown, raw HTML and @mentions,
 * so a hostile label could otherwise break a table, inject an image or notify strangers.
 */

/** Zero-width joiner: keeps `@name` and `#123` readable while GitHub no longer links or notifies. */
const ZWJ = '\u200D';

/**
 * Breaks the references GitHub links without any markup, besides `@user` and `#123` (a ZWJ follows
 * every `@` and `#`): `GH-123` (an issue) and 7 to 40 hex digits (a commit SHA), which a ZWJ inside
 * every 6 characters keeps short of the 7 GitHub needs.
 */
function breakAutolinkedReferences(text: string): string {
  return text.replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`).replace(/\b[0-9a-f]{7,}\b/gi, (hex) => hex.replace(/.{6}(?=.)/g, `$&${ZWJ}`));
}

/** ASCII punctuation Markdown (GFM, with tables, math and strikethrough) gives a meaning to. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()<>!|~$]/g;

/**
 * Returns `text` safe to put inline in Markdown, table cells included: line breaks become spaces,
 * Markdown punctuation is backslash-escaped (and `://`, `www.`, so no URL is autolinked), `&` becomes
 * `&amp;`, a zero-width joiner follows every `@` and `#` so mentions and issue references are not
 * created, and `GH-123` and commit SHAs are broken up the same way. Renders as the original text.
 */
export function escapeMarkdownText(text: string): string {
  return breakAutolinkedReferences(text.replace(/\r\n?|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
    .replace(/[@#]/g, (char) => char + ZWJ)
    .replace(/:(?=\/\/)/g, '\\:') // no bare-URL autolinks: links in a report come from our code only
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '\\': '&#92;',
  '~': '&#126;',
  $: '&#36;',
  '\n': '&#10;',
};

/**
 * Returns `text` safe inside HTML elements and attribute values (`<summary>`, `<td>`, `title="…"`):
 * HTML special characters and Markdown punctuation become entities, line breaks become `&#10;` (a
 * blank line would end the HTML block and switch GitHub back to Markdown), `://` and `www.` are
 * broken up so nothing is autolinked, a zero-width joiner follows every `@` and `#`, and `GH-123`
 * and commit SHAs are broken up the same way.
 */
export function escapeHtml(text: string): string {
  return breakAutolinkedReferences(text.replace(/\r\n?/g, '\n'))
    .replace(/[@#]/g, (char) => char + ZWJ) // before the entities, which contain '#'
    .replace(/[&<>"'`*_[\]|\\~$\n]/g, (char) => HTML_ENTITIES[char]!)
    .replace(/:(?=\/\/)/g, '&#58;') // inline HTML content is still autolinked by GitHub
    .replace(/\b(www)\./gi, '$1&#46;');
}
