// The one rule for a path inside a model: packing refuses to write what pulling would refuse to read.

/**
 * A path inside a model as written in a tar entry or an `org.cncf.model.filepath` annotation, made
 * canonical (`./a//b/` → `a/b`), or the reason it may not be used: absolute, `..`, a drive letter,
 * a backslash or a control character. The empty string means the model's root folder itself.
 */
export function canonicalModelPath(path: string): { path: string } | { problem: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return { problem: 'contains a control character' };
  if (path.startsWith('/')) return { problem: 'is an absolute path' };
  if (/^[A-Za-z]:/.test(path)) return { problem: 'starts with a drive letter' };
  // A backslash is a separator on Windows: a name holding one could climb out there.
  if (path.includes('\\')) return { problem: 'contains a backslash' };
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { problem: 'leaves the model folder (..)' };
  return { path: parts.join('/') };
}
