// Builds every stage, the root action and the CLI in one @vercel/ncc run into one dist/: shared/entry.ts becomes
// dist/index.js, each lazily imported stage its own chunks (shared between stages where they share
// code), with source maps; esbuild then minifies the chunks. Then it writes one small entry per stage (dist/<stage>.js, what
// actions/<stage>/action.yml runs) and dist/mlops.js (the CLI, package.json "bin"), all from the one
// list of stages in shared/stages.ts. `node scripts/build.js --out DIR` writes DIR/dist instead, for
// the test that compares a fresh build with the committed one.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex === -1 ? root : process.argv[outIndex + 1];
const { stages } = await tsImport('../shared/stages.ts', import.meta.url);

/**
 * Files ncc's asset relocator copies because a bundled dependency names them next to a `__dirname`,
 * but that never load in our stages. Each is removed after the build; the build fails when one is no
 * longer emitted (so this list stays true) or when any other asset appears (so a new one is looked at).
 */
const neverLoaded = [
  // ssh2's agent for PuTTY's Pageant: spawned only on Windows (ssh2/lib/agent.js), and only for ssh:// Docker hosts.
  'pagent.exe',
  // dockerode's BuildKit session (dockerode/lib/session.js), loaded by @grpc/proto-loader only when an image is
  // built with a BuildKit session; shared/docker runs containers from images already on the engine, never builds.
  'auth.proto',
  'buildkit_status.proto',
  // @grpc/grpc-js's own protos (channelz admin service, xDS ORCA load reports), loaded only by the gRPC server
  // and xDS features that the BuildKit session above would use; ncc copies them twice (two path spellings).
  'proto/',
  'protoc-gen-validate/',
  'xds/',
];
/** What the build keeps besides JavaScript and its source maps. */
const kept = new Set(['package.json', 'licenses.txt']);

// Built inside the repository (then copied to DIR/dist for --out DIR), so that the source maps'
// relative paths (../shared/…) are the same wherever the output goes.
const temp = mkdtempSync(join(root, '.bundle-'));
execFileSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  [
    'build',
    join(root, 'shared', 'entry.ts'),
    '-o',
    temp,
    '--minify',
    '--source-map',
    '--no-source-map-register',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: root },
);

const emitted = readdirSync(temp, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(temp, join(entry.parentPath, entry.name)));
for (const pattern of neverLoaded) {
  const matches = emitted.filter((file) => (pattern.endsWith('/') ? file.startsWith(pattern) : file === pattern));
  if (matches.length === 0) throw new Error(`ncc no longer emits ${pattern}: remove it from neverLoaded in scripts/build.js`);
  rmSync(join(temp, pattern), { recursive: true, force: true });
}
const unexpected = emitted.filter(
  (file) => !/\.js(\.map)?$/.test(file) && !kept.has(file) && !neverLoaded.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)),
);
if (unexpected.length)
  throw new Error(
    `ncc emitted assets the build does not know: ${unexpected.join(', ')}; find what loads them, then keep or remove them in scripts/build.js`,
  );

// ncc minifies only index.js; the chunks, nearly all of the code, come out as webpack wrote them.
// esbuild minifies them (names kept, so stack traces stay readable) and chains their source maps.
const minified = mkdtempSync(join(root, '.bundle-'));
const chunks = readdirSync(temp).filter((f) => /^\d+\.index\.js$/.test(f));
await build({
  entryPoints: chunks.map((f) => join(temp, f)),
  outdir: minified,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'error',
});
for (const file of readdirSync(temp).filter((f) => !chunks.includes(f) && !chunks.some((c) => f === `${c}.map`)))
  cpSync(join(temp, file), join(minified, file), { recursive: true });
rmSync(temp, { recursive: true, force: true });

// Node needs a map's mappings and source paths to print TypeScript locations, not the sources' text:
// without it the maps are half the size, and Node reads a loaded chunk's map (JSON.parse) at start-up.
for (const file of readdirSync(minified).filter((f) => f.endsWith('.js.map'))) {
  const map = JSON.parse(readFileSync(join(minified, file), 'utf8'));
  delete map.sourcesContent;
  // A chunk ncc gave no map of its own (JSON modules, plain JS) maps onto itself in the temp folder: name it without the random folder.
  map.sources = map.sources.map((source) => source.replace(/^(\.\.\/)*\.bundle-[^/]+\//, ''));
  writeFileSync(join(minified, file), JSON.stringify(map));
}

// Source maps stay off: Node would parse the map of every chunk it loads, at every start. A bug's stack
// is mapped when it is reported (shared/source-mapped-stack.ts), through the maps beside the chunks.
const header = (what) => `// Generated by scripts/build.js: ${what}.\n`;
for (const { spec } of stages) {
  writeFileSync(
    join(minified, `${spec.name}.js`),
    `${header(`the ${spec.name} action (actions/${spec.name}/action.yml)`)}const { runAction } = await import('./index.js');\nawait runAction('${spec.name}');\n`,
  );
}
// The root action (action.yml at the top of the repository): the whole loop of mlops.yml in one step.
writeFileSync(
  join(minified, 'loop.js'),
  `${header('the root action, the whole loop (action.yml)')}const { runLoopAction } = await import('./index.js');\nawait runLoopAction();\n`,
);
const cli = join(minified, 'mlops.js');
writeFileSync(
  cli,
  `#!/usr/bin/env node\n${header('the mlops command (package.json "bin")')}const { runCli } = await import('./index.js');\nawait runCli();\n`,
);
chmodSync(cli, 0o755);

const target = join(outRoot, 'dist');
rmSync(target, { recursive: true, force: true });
mkdirSync(outRoot, { recursive: true });
cpSync(minified, target, { recursive: true });
chmodSync(target, 0o755);
chmodSync(join(target, 'mlops.js'), 0o755);
rmSync(minified, { recursive: true, force: true });
const files = readdirSync(target);
const bytes = (filter) => files.filter(filter).reduce((sum, f) => sum + statSync(join(target, f)).size, 0);
process.stdout.write(
  `built dist/: ${files.length} files, ${(bytes((f) => !f.endsWith('.map')) / 1e6).toFixed(2)} MB without source maps, ` +
    `${(bytes((f) => f.endsWith('.map')) / 1e6).toFixed(2)} MB of source maps${existsSync(join(target, 'index.js')) ? '' : ' (no index.js!)'}\n`,
);
