// Parses Mermaid blocks with the real `mermaid` package, as GitHub renders them.
// mermaid sanitises labels with DOMPurify, which in Node (no window) has no `sanitize`/`addHook`;
// parsing does not depend on sanitising, so DOMPurify is replaced by a pass-through for these tests.
import { jest } from '@jest/globals';

jest.unstable_mockModule('dompurify', () => {
  const purify = {
    sanitize: (text: string) => text,
    addHook: () => undefined,
    removeHook: () => undefined,
    removeAllHooks: () => undefined,
    isSupported: false,
  };
  return { default: purify, ...purify };
});

const { default: mermaid } = await import('mermaid');

/** Every ```mermaid block of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Throws mermaid's parse error when the diagram does not parse. */
export async function parseMermaid(diagram: string): Promise<void> {
  await mermaid.parse(diagram);
}
