// hashFiles(): the runner's hash of the files matching glob patterns under the workspace (sha256 of each
// file, in path order, hashed together), '' when none matches; `!pattern` excludes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A glob as a regular expression over `/`-separated relative paths: `**` any folders, `*` and `?` within one name. */
export function globToRegExp(pattern: string): RegExp {
  const trimmed = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  // The workspace itself (`.`): everything in it.
  if (trimmed === '' || trimmed === '.') return /^.*$/;
  let source = '';
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i]!;
    if (c === '*' && trimmed[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is everything below.
      if (trimmed[i + 2] === '/') {
        source += '(?:[^/]+/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A folder matches with everything under it, as the runner's globber does.
  return new RegExp(`^${source}(?:/.*)?$`);
}

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '.git') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [relative(root, path).split('\\').join('/')] : [];
  });
}

/** The hash hashFiles(patterns…) gives in `workspace`. */
export function hashFiles(workspace: string, patterns: string[]): string {
  const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  const matched = filesUnder(workspace)
    .filter((file) => include.some((r) => r.test(file)) && !exclude.some((r) => r.test(file)))
    .sort();
  if (matched.length === 0) return '';
  const total = createHash('sha256');
  for (const file of matched)
    total.update(
      createHash('sha256')
        .update(readFileSync(join(workspace, file)))
        .digest(),
    );
  return total.digest('hex');
}
