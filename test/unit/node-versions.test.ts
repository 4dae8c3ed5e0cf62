// The Node versions the README states are the ones package.json declares and the tests use: Node 24 to
// run the CLI and the actions (`engines`), npm 11 on Node 20.19+ to develop (`devEngines`, which npm
// checks instead of `engines` in a clone), and only devDependencies may want more than that.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string }; packageManager: { name: string; version: string } };
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const developMinimum = semver.minVersion(pkg.devEngines.runtime.version)!.version;

describe('Node versions', () => {
  it('README states the engines range for using, and the devEngines ranges for developing', () => {
    expect(readme).toContain(`Node 24 (\`engines\` in \`package.json\`: \`${pkg.engines.node}\`)`);
    expect(pkg.engines.node).toBe('>=24');
    const develop = [...readme.matchAll(/npm (\d+) on Node ([\d.]+) or later/g)].map(([, npm, node]) => ({ npm, node }));
    expect(develop.length).toBeGreaterThanOrEqual(2); // the two commands, and Development
    for (const stated of develop) {
      expect(`>=${stated.node}`).toBe(pkg.devEngines.runtime.version);
      expect(`>=${stated.npm}`).toBe(pkg.devEngines.packageManager.version);
    }
    expect(readme).not.toMatch(/Node 2\d\+/);
  });

  it('the tests run on a Node that engines accepts, and so do the actions', () => {
    expect(semver.satisfies(semver.minVersion(pkg.devDependencies.node!)!, pkg.engines.node)).toBe(true);
    for (const stage of readdirSync(join(root, 'actions'))) {
      const action = parse(readFileSync(join(root, 'actions', stage, 'action.yml'), 'utf8')) as { runs: { using: string } };
      expect({ stage, using: action.runs.using }).toEqual({ stage, using: `node${semver.minVersion(pkg.engines.node)!.major}` });
    }
  });

  it('npm ci on the oldest development Node warns only about devDependencies the README names', () => {
    const warned = Object.entries(lock.packages).filter(([path, entry]) => {
      const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return path !== '' && node !== undefined && !semver.satisfies(developMinimum, node);
    });
    expect(warned.filter(([, entry]) => !entry.dev).map(([path]) => path)).toEqual([]);
    const names = [...new Set(warned.map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)))];
    for (const name of names) {
      const documented = readme.includes(name) || (name.startsWith('@azure/') && readme.includes('`@azure/*`'));
      expect({ name, documented }).toEqual({ name, documented: true });
    }
  });
});
