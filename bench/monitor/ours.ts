// Our side of the monitor benchmark: the drift of every column of a request log against validate-data's
// reference profile, through shared/monitor/request-log-drift.ts (streamed into mergeable sketches).
// Prints one JSON line: entries, rows, and per column the PSI and what decided drift.
//
//   node_modules/.bin/node --experimental-transform-types bench/monitor/ours.ts LOG.jsonl PROFILE.json
import { readFileSync } from 'node:fs';
import { resolveTypeScriptSources } from '../runner-support.js';

resolveTypeScriptSources();

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
