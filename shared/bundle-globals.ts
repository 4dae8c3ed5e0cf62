import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bundled CommonJS dependencies (ssh2's wasm loader, pulled in by dockerode) read __dirname,
// which an ESM bundle lacks. Each entry imports this module first.
const globals = globalThis as { __filename?: string; __dirname?: string };
if (globals.__filename === undefined) {
  globals.__filename = fileURLToPath(import.meta.url);
  globals.__dirname = dirname(globals.__filename);
}
