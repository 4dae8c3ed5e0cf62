// A bug's stack with the TypeScript file and line of each frame, read through the source map beside
// the built file (dist/N.index.js → dist/N.index.js.map). Node could do this for every stack with
// process.setSourceMapsEnabled(true), but then it parses the map of every chunk it loads, at start-up,
// for every step: here the maps are read only when a bug is being reported.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A frame's location: `file:///…/x.js:12:34` or `/…/x.js:12:34`, after `at ` or inside `at name (…)`. */
const FRAME = /^(\s+at (?:.*\()?)((?:file:\/\/)?\/[^():]+):(\d+):(\d+)(\)?)$/;

const maps = new Map<string, { map: SourceMap; url: URL } | undefined>();

/** The source map beside `path` (`path.map`), parsed once; undefined when there is none or it is unreadable. */
function sourceMapOf(path: string): { map: SourceMap; url: URL } | undefined {
  if (!maps.has(path)) {
    const mapPath = `${path}.map`;
    let found: { map: SourceMap; url: URL } | undefined;
    try {
      if (existsSync(mapPath))
        found = { map: new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMapPayload), url: pathToFileURL(mapPath) };
    } catch {
      // A damaged map must not hide the bug: the frame keeps its built location.
    }
    maps.set(path, found);
  }
  return maps.get(path);
}

/** One stack line with its location mapped to the original source, or the line as it was. */
function mapFrame(line: string): string {
  const match = FRAME.exec(line);
  if (!match) return line;
  const [, before, location, lineNumber, column, after] = match as unknown as [string, string, string, string, string, string];
  const path = location.startsWith('file://') ? fileURLToPath(location) : location;
  const source = sourceMapOf(path);
  if (!source) return line;
  const origin = source.map.findOrigin(Number(lineNumber), Number(column));
  if (!('fileName' in origin)) return line;
  // A map's sources are relative to the map itself (../shared/stage.ts).
  const original = fileURLToPath(new URL(origin.fileName, source.url));
  return `${before}${original}:${origin.lineNumber}:${origin.columnNumber}${after}`;
}

/**
 * The stack of `error` (its message when it has none), each frame of a built file that has a source
 * map beside it pointing at the original file, line and column. Reads the maps it needs, once.
 */
export function sourceMappedStack(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!error.stack) return error.message;
  return error.stack.split('\n').map(mapFrame).join('\n');
}
