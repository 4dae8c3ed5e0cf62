import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { marked, type Tokens } from 'marked';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { createGitHubClient } from '../../../shared/github/client.js';
import { upsertStickyComment } from '../../../shared/github/sticky-comment.js';
import { escapeHtml, escapeMarkdownText } from '../../../shared/markdown/escape.js';

// Labels as a hostile contributor could put them in a data file (class names, column names).
const HOSTILE = [
  'setosa | 1.0 | pass',
  '<img src=x onerror=alert(1)>',
  '<script>fetch("//evil")</script>',
  '@octocat please look',
  'see acme/models#12 and #13',
  '**bold** _em_ ~~gone~~ `code`',
  '[click](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  'mirror at www.evil.example',
  '- [ ] task',
  '1. first',
  '<!-- mlops-actions:evaluate -->',
  'a\n\n<details open>',
  '$\\sqrt{2}$ \\| backslash & ampersand &amp;',
];

const ZWJ = '\u200D';
const withoutJoiners = (text: string) => text.replaceAll(ZWJ, '');
const decodeEntities = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&(lt|gt|quot|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name]!);

let double: GitHubDouble;

beforeAll(async () => {
  double = await startGitHubDouble({ token: 'ghs_escape' });
  double.addPullRequest({ owner: 'acme', repo: 'models', number: 3 });
});

afterAll(async () => {
  await double.close();
});

describe('escaping labels that come from data', () => {
  it('keeps a Markdown table intact and renders each hostile label as its own plain text', async () => {
    const table = ['| class | f1 |', '|---|---|', ...HOSTILE.map((label) => `| ${escapeMarkdownText(label)} | 0.9 |`)].join('\n');
    const client = createGitHubClient({ token: 'ghs_escape', baseUrl: double.url, retryDelayMs: 1 });
    await upsertStickyComment(client, { owner: 'acme', repo: 'models', issueNumber: 3, key: 'evaluate', body: table });
    const stored = double.comments('acme', 'models', 3)[0]!.body;
    expect(double.violations).toEqual([]);

    const tokens = marked.lexer(stored, { gfm: true });
    const parsed = tokens.find((token) => token.type === 'table') as Tokens.Table;
    expect(parsed.rows).toHaveLength(HOSTILE.length);
    parsed.rows.forEach((row, i) => {
      expect(row).toHaveLength(2);
      expect(row[1]!.text).toBe('0.9');
      // What GitHub shows is the label (line breaks as spaces), with only invisible joiners added.
      expect(row[0]!.tokens.map((t) => t.type)).toEqual(row[0]!.tokens.map(() => expect.stringMatching(/^(text|escape)$/)));
      const shown = decodeEntities(row[0]!.tokens.map((t) => ('text' in t ? t.text : '')).join(''));
      expect(withoutJoiners(shown)).toBe(HOSTILE[i]!.replace(/\n/g, ' '));
    });

    const html = marked.parse(stored, { gfm: true, async: false });
    for (const tag of ['<img', '<script', '<a ', '<strong', '<em', '<del', '<code', '<details', '<input', '<ol', '<ul'])
      expect(html).not.toContain(tag);
    const text = withoutJoiners(html);
    expect(text).toContain('@octocat'); // still readable …
    expect(html).not.toMatch(/@[a-z]/i); // … but no longer a mention
    expect(html).not.toMatch(/#\d/);
    expect(stored.match(/<!-- mlops-actions:evaluate -->/g)).toHaveLength(1); // the label cannot fake a marker
  });

  it('escapes HTML so a label stays inside its element, attribute or block', () => {
    for (const label of HOSTILE) {
      const escaped = escapeHtml(label);
      expect(escaped).not.toMatch(/[<>"'`*_[\]|\n]/);
      expect(escaped).not.toMatch(/@[a-z]/i);
      expect(withoutJoiners(decodeEntities(escaped))).toBe(label);
      const html = marked.parse(`<details><summary title="${escaped}">${escaped}</summary>\n\nbody\n</details>`, {
        gfm: true,
        async: false,
      });
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<a ');
      expect(html.match(/<details/g)).toHaveLength(1);
      expect(html).toMatch(/^<details><summary title="[^"]*">[^<]*<\/summary>/);
    }
  });
});
