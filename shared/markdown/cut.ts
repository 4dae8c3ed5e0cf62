// Cutting Markdown to a size limit (a pull-request comment, a job summary) so that what is kept still
// renders: cut at a line boundary, close an open code fence and open `<details>`, then say so.

/** Room kept for the fence and `</details>` closers that `cutMarkdown` may add. */
export const CLOSERS_RESERVE = 200;

/**
 * The first `budget` characters of `text` at most, cut at a line boundary when one lies in the second
 * half, with an open code fence and up to ten open `<details>` closed (those closers may add up to
 * 200 characters: keep them out of `budget`).
 */
export function cutMarkdown(text: string, budget: number): string {
  if (text.length <= budget) return text;
  let cut = text.lastIndexOf('\n', budget);
  if (cut < budget / 2) {
    cut = budget;
    if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--; // never split a surrogate pair
  }
  let kept = text.slice(0, cut);
  const fences = kept.split('\n').filter((line) => /^ {0,3}(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) kept += '\n```';
  const openDetails = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
  for (let i = 0; i < Math.min(openDetails, 10); i++) kept += '\n</details>';
  return kept;
}

/** Characters of `text` that fit in `bytes` bytes of UTF-8. */
function charsWithinBytes(text: string, bytes: number): number {
  // Decoding a cut that splits a character ends in U+FFFD, which is dropped: what remains fits.
  const decoded = Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8');
  return decoded.endsWith('\uFFFD') ? decoded.length - 1 : decoded.length;
}

/** GitHub's limit on the job summary one step writes: larger summaries are dropped whole, with an error. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * Returns `markdown` unchanged when it fits in `limit` bytes of UTF-8 (what is left of the step's
 * SUMMARY_LIMIT_BYTES); otherwise cut (see cutMarkdown)
 * with a note saying it was, how large it was, and where the full report is (`fullReportAt`, Markdown).
 */
export function fitMarkdownBytes(markdown: string, limit: number, fullReportAt: string): { text: string; cut: boolean } {
  const size = Buffer.byteLength(markdown, 'utf8');
  if (size <= limit) return { text: markdown, cut: false };
  const note =
    `\n\n---\n> [!WARNING]\n> This summary was cut at a line boundary to stay under GitHub's limit of ${formatMiB(SUMMARY_LIMIT_BYTES)} per step ` +
    `(it has ${formatMiB(size)}). The full report is in ${fullReportAt.slice(0, 1000)}.\n`;
  const budget = limit - Buffer.byteLength(note, 'utf8') - CLOSERS_RESERVE;
  return { text: cutMarkdown(markdown, charsWithinBytes(markdown, Math.max(0, budget))) + note, cut: true };
}

function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Where the full report is, when a stage does not say: every stage writes its report under the run folder. */
export const FULL_REPORT_DEFAULT = "the stage's report files (its `report` output; an artifact when the stage uploads one)";
