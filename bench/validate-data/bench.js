// validate-data against pandas: profile and validate a generated CSV of 5,000,000 rows × 9 mixed columns
// (about 375 MB). Ours: `mlops validate-data` with a Table Schema (types, required, minimum, enum,
// maxLength), on Node 24. Peer: pandas read_csv + describe(include='all', 5/25/50/75/95 %) + isna().sum()
// + nunique() on the same file. Options: --rows N (default 5,000,000), --threads N (sets MLOPS_THREADS).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeBenchmarkCsv } from './generate.js';

const PYTHON = '/usr/bin/python3';
const SEED = 20261126;
const here = import.meta.dirname;

export default {
  description: 'profile and validate a 9-column CSV against its Table Schema, side by side with pandas',
  timeoutSeconds: 600,
  commandsNote:
    'ours: node dist/mlops.js validate-data --data FILE --schema bench/validate-data/schema.json --state-dir TMP; ' +
    "peer: /usr/bin/python3 bench/validate-data/peer.py FILE (read_csv, describe(include='all', percentiles=[.05,.25,.5,.75,.95]), isna().sum(), nunique())",

  prepare({ dataDir, options, log }) {
    const rows = options.rows === undefined ? 5_000_000 : Number(options.rows);
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows is ${options.rows}; expected a positive integer`);
    // The generator's output depends only on rows and seed; the version suffix changes with its format.
    const file = join(dataDir, `validate-data-${rows}-seed${SEED}-v1.csv`);
    if (!existsSync(file)) {
      const started = performance.now();
      writeBenchmarkCsv(file, rows, SEED);
      log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return {
      description: `${rows.toLocaleString('en')} rows × 9 columns (id, ISO datetime, nullable 2-decimal number, integer, 20-value and 50-value categoricals, 9-decimal float, boolean, free text with quoted commas), seed ${SEED}`,
      bytes: statSync(file).size,
      rows,
      file,
      threads: options.threads,
    };
  },

  peerName() {
    const version = execFileSync(
      PYTHON,
      ['-c', 'import pandas, numpy, platform; print(pandas.__version__, numpy.__version__, platform.python_version())'],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split(' ');
    return `pandas ${version[0]} (numpy ${version[1]}, Python ${version[2]})`;
  },

  ours(input, { root, node, runDir }) {
    return {
      command: node,
      args: [
        join(root, 'dist', 'mlops.js'),
        'validate-data',
        '--data',
        input.file,
        '--schema',
        join(here, 'schema.json'),
        '--state-dir',
        runDir,
        '--output',
        'lines',
      ],
      env: input.threads ? { MLOPS_THREADS: input.threads } : {},
    };
  },

  peer(input) {
    return { command: PYTHON, args: [join(here, 'peer.py'), input.file] };
  },

  /** Both sides must have read every row; ours must also find the data valid. */
  check(side, input, { stdout }) {
    if (side === 'ours') {
      const rows = /^rows=(\d+)$/m.exec(stdout)?.[1];
      if (Number(rows) !== input.rows) return `reported rows=${rows}, expected ${input.rows}`;
      if (!/^valid=true$/m.test(stdout)) return `reported ${/^valid=.*$/m.exec(stdout)?.[0] ?? 'no valid= line'}, expected valid=true`;
      return undefined;
    }
    const rows = JSON.parse(stdout.trim().split('\n').at(-1)).rows;
    return rows === input.rows ? undefined : `read ${rows} rows, expected ${input.rows}`;
  },

  targets({ median, ratio }) {
    return [
      { name: 'throughput vs pandas', target: '≥ 3×', value: ratio, met: ratio >= 3 },
      { name: 'peak memory (ours)', target: '≤ 150 MB', value: median.ours.peakMB, met: median.ours.peakMB <= 150 },
    ];
  },
};
