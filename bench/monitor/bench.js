// monitor against pandas: the drift (PSI) of every input column of the serving runtime's request log, 1,000,000
// requests of the digits model (scikit-learn's bundled digits data, 1,797 rows, resampled with replacement),
// against the reference. Ours: shared/monitor/request-log-drift.ts (streamed into validate-data's sketches,
// drift as validate-data decides it) against the profile `mlops validate-data` wrote of the original table.
// Peer: pandas read_json(lines=True) + PSI per column with numpy against the original table (peer.py).
// Options: --rows N (requests in the log, default 1,000,000).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
const SEED = 20261202;
const here = import.meta.dirname;
/** PSI is measured on sketches (rank error ≤ 0.01), pandas' exactly: they must agree this closely (the threshold is 0.2). */
const PSI_TOLERANCE = 0.02;

/** The PSI per column each side printed, kept to compare the two sides' answers. */
const seen = { ours: undefined, peer: undefined };

function compare() {
  if (!seen.ours || !seen.peer) return undefined;
  const columns = Object.keys(seen.peer);
  if (Object.keys(seen.ours).length !== columns.length)
    return `ours judged ${Object.keys(seen.ours).length} columns, pandas ${columns.length}`;
  const worst = columns.map((c) => ({ c, gap: Math.abs((seen.ours[c] ?? NaN) - seen.peer[c]) })).sort((a, b) => b.gap - a.gap)[0];
  if (!(worst.gap <= PSI_TOLERANCE))
    return `PSI of ${worst.c}: ours ${seen.ours[worst.c]}, pandas ${seen.peer[worst.c]} (more than ${PSI_TOLERANCE} apart)`;
  return undefined;
}

export default {
  description:
    "PSI of every input column of a 1,000,000-request log of the serving runtime against the model's reference, side by side with pandas",
  timeoutSeconds: 1800,
  commandsNote:
    'ours: node --experimental-transform-types bench/monitor/ours.ts LOG PROFILE (readRequestLogDrift: streams the JSONL into KLL/moments/HLL sketches, PSI and validate-data’s drift decision per column; PROFILE is what `mlops validate-data` wrote of the reference CSV); ' +
    'peer: /usr/bin/python3 bench/monitor/peer.py LOG REFERENCE.csv (pandas.read_json(lines=True), the rows of every request in one DataFrame, PSI per column with numpy: deciles by inverted_cdf, searchsorted, epsilon 1e-4)',

  prepare({ root, dataDir, node, options, log }) {
    const rows = options.rows === undefined ? 1_000_000 : Number(options.rows);
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows is ${options.rows}; expected a positive integer`);
    const reference = join(dataDir, 'monitor-digits-reference-v1.csv');
    if (!existsSync(reference)) execFileSync(PYTHON, [join(here, 'reference.py'), reference], { stdio: 'inherit' });
    const profile = join(dataDir, 'monitor-digits-reference-v1.profile.json');
    if (!existsSync(profile)) {
      // The reference profile as a user gets it: validate-data's `profile` output on the original table.
      const state = mkdtempSync(join(tmpdir(), 'bench-monitor-validate-'));
      try {
        const out = execFileSync(
          node,
          [join(root, 'dist', 'mlops.js'), 'validate-data', '--data', reference, '--state-dir', state, '--output', 'lines'],
          {
            encoding: 'utf8',
          },
        );
        const written = /^profile=(.+)$/m.exec(out)?.[1];
        if (!written) throw new Error(`validate-data printed no profile= line:\n${out}`);
        renameSync(written, profile);
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    }
    const file = join(dataDir, `monitor-digits-log-${rows}-seed${SEED}-v1.jsonl`);
    if (!existsSync(file)) {
      const started = performance.now();
      execFileSync(
        node,
        ['--experimental-transform-types', '--no-warnings', join(here, 'generate.ts'), reference, file, String(rows), String(SEED)],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return {
      description: `${rows.toLocaleString('en')} requests of one row × 64 FP32 features (and 10 logits), as the serving runtime logs them; rows drawn with replacement (seed ${SEED}) from scikit-learn's digits (1,797 rows, pixels / 16); reference: validate-data's profile of those 1,797 rows`,
      bytes: statSync(file).size,
      rows,
      file,
      reference,
      profile,
    };
  },

  peerName() {
    const version = execFileSync(
      PYTHON,
      ['-c', 'import pandas, numpy, platform; print(pandas.__version__, numpy.__version__, platform.python_version())'],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ');
    return `pandas ${version[0]} (numpy ${version[1]}, Python ${version[2]})`;
  },

  ours(input, { node }) {
    return { command: node, args: ['--experimental-transform-types', '--no-warnings', join(here, 'ours.ts'), input.file, input.profile] };
  },

  peer(input) {
    return { command: PYTHON, args: [join(here, 'peer.py'), input.file, input.reference] };
  },

  /** Both sides must have read every request and judged all 64 columns, with the same PSI within the sketches' error. */
  check(side, input, { stdout }) {
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    if (result.rows !== input.rows || result.entries !== input.rows)
      return `read ${result.entries} requests / ${result.rows} rows, expected ${input.rows}`;
    const psi = result.psi;
    if (Object.keys(psi).length !== 64) return `PSI of ${Object.keys(psi).length} columns, expected 64`;
    if (Object.values(psi).some((v) => typeof v !== 'number' || !Number.isFinite(v))) return 'a column has no PSI';
    seen[side] = psi;
    return compare();
  },

  targets({ median, ratio }) {
    return [
      { name: 'throughput vs pandas', target: '≥ 5×', value: ratio, met: ratio >= 5 },
      {
        name: 'peak memory vs pandas',
        target: '≤ 0.1×',
        value: Math.round((median.ours.peakMB / median.peer.peakMB) * 1000) / 1000,
        met: median.ours.peakMB <= 0.1 * median.peer.peakMB,
      },
    ];
  },
};
