// Our side of the monitor benchmark: the drift of every column of a request log against validate-data's
// reference profile, through shared/monitor/request-log-drift.ts (streamed into mergeable sketches).
// Prints one JSON line: entries, rows, and per column the PSI and what decided drift.
//
//   node_modules/.bin/node --experimental-transform-types bench/monitor/ours.ts LOG.jsonl PROFILE.json
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

// The shared library imports `./x.js` as tsc wants; under Node's type stripping the file is `./x.ts`.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(specifier.slice(0, -3) + '.ts', context);
      throw error;
    }
  },
});

const [log, profileFile] = process.argv.slice(2);
if (!log || !profileFile) throw new Error('usage: ours.ts LOG.jsonl PROFILE.json');
const { parseProfile } = await import('../../shared/data/profile.js');
const { readRequestLogDrift } = await import('../../shared/monitor/request-log-drift.js');
const reference = parseProfile(readFileSync(profileFile, 'utf8'), profileFile);
const drift = await readRequestLogDrift(log, { reference });
console.log(
  JSON.stringify({
    entries: drift.entries,
    rows: drift.rows,
    malformed: drift.skipped.malformed,
    missing: drift.missing,
    psi: Object.fromEntries(drift.columns.map((c) => [c.column, c.psi])),
    decided: Object.fromEntries(drift.columns.map((c) => [c.column, `${c.method}:${c.status}`])),
  }),
);
