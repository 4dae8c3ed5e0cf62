// Bundles every action (actions/<stage>/src/index.ts → actions/<stage>/dist/) and the CLI
// (shared/cli/index.ts → bin/mlops/) with @vercel/ncc. `node scripts/build.js --out DIR` writes
// the bundles under DIR instead, for the test that compares a fresh build with the committed one.
// `node scripts/build.js train cli` builds only those bundles (action names, `cli` for bin/mlops).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex === -1 ? root : process.argv[outIndex + 1];

/** Every bundle: [entry, output folder], relative to the repository. */
function bundles() {
  const list = readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'src', 'index.ts')))
    .sort()
    .map((name) => [`actions/${name}/src/index.ts`, `actions/${name}/dist`]);
  list.push(['shared/cli/index.ts', 'bin/mlops']);
  return list;
}

const only = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--out');
const selected = bundles().filter(([entry, out]) => only.length === 0 || only.some((name) => out === `actions/${name}/dist` || (name === 'cli' && out === 'bin/mlops')));
const ncc = join(root, 'node_modules', '.bin', 'ncc');
for (const [entry, out] of selected) {
  const temp = mkdtempSync(join(outRoot, '.bundle-'));
  execFileSync(ncc, ['build', join(root, entry), '-o', temp, '--minify', '--no-source-map-register', '--license', 'licenses.txt', '--quiet'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: root,
  });
  if (out === 'bin/mlops') {
    const file = join(temp, 'index.js');
    writeFileSync(file, `#!/usr/bin/env node\n${readFileSync(file, 'utf8')}`, { mode: 0o755 });
  }
  const target = join(outRoot, out);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, '..'), { recursive: true });
  renameSync(temp, target);
  process.stdout.write(`built ${out}\n`);
}
