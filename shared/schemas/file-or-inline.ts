// A setting given as a file path or as the text itself (params, expectations, gates): one rule to tell
// the two apart, without the YAML parser, so that a step given neither loads nothing more.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Text given as a file or inline: `file` is set (as given, relative to cwd) when it came from a file. */
export interface FileOrInline {
  text: string;
  file?: string;
}

/**
 * Reads `value` as a file when it is one line naming an existing file (relative to cwd); anything
 * else is the text itself.
 */
export async function readFileOrInline(value: string, cwd: string): Promise<FileOrInline> {
  const candidate = value.trim();
  if (!candidate.includes('\n') && (await stat(resolve(cwd, candidate)).catch(() => undefined))?.isFile()) {
    return { text: await readFile(resolve(cwd, candidate), 'utf8'), file: candidate };
  }
  return { text: value };
}
