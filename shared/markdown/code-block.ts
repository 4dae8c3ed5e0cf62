/** A fenced code block that the content cannot close: the fence is longer than any backtick run in it. */
export function codeBlock(text: string, language = 'text'): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
