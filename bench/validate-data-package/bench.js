// validate-data on a Data Package with a foreign key: a 1,000,000-row `orders` resource whose customer_id refers
// to a 100,000-row `customers` resource (--rows, --keys change the sizes; bench/validate-data-fk-10m runs it with
// 10,000,000 keys). Ours: `mlops validate-data --data PACKAGE/datapackage.json` (both tables profiled and checked,
// the key looked up for every order). Peer: pandas read_csv of both, `isin` for the key, describe() of each.
import { existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BROKEN, writeForeignKeyPackage } from './generate.js';

const PYTHON = '/usr/bin/python3';
const SEED = 20261202;
const here = import.meta.dirname;

/** The benchmark with its default sizes (the 10-million-key one shares everything else). */
export function foreignKeyBenchmark({ rows: defaultRows, keys: defaultKeys, description }) {
  return {
    description,
    timeoutSeconds: 600,
    commandsNote:
      'ours: node dist/mlops.js validate-data --data PACKAGE/datapackage.json --state-dir TMP; ' +
      'peer: /usr/bin/python3 bench/validate-data-package/peer.py PACKAGE (read_csv of both tables, ~isin for the key, describe())',

    prepare({ dataDir, options, log }) {
      const rows = options.rows === undefined ? defaultRows : Number(options.rows);
      const keys = options.keys === undefined ? defaultKeys : Number(options.keys);
      for (const [name, value] of [
        ['rows', rows],
        ['keys', keys],
      ])
        if (!Number.isInteger(value) || value < BROKEN) throw new Error(`--${name} is ${value}; expected an integer ≥ ${BROKEN}`);
      const dir = join(dataDir, `fk-package-${rows}-${keys}-seed${SEED}-v1`);
      if (!existsSync(join(dir, 'datapackage.json'))) {
        const started = performance.now();
        writeForeignKeyPackage(dir, rows, keys, SEED);
        log(`generated ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      const bytes = statSync(join(dir, 'orders.csv')).size + statSync(join(dir, 'customers.csv')).size;
      return {
        description: `a Data Package: orders (${rows.toLocaleString('en')} rows × 4 columns) with a foreign key into customers (${keys.toLocaleString('en')} rows × 2), ${BROKEN} orders naming no customer; seed ${SEED}`,
        bytes,
        rows: rows + keys,
        file: join(dir, 'datapackage.json'),
        dir,
        orders: rows,
        keys,
      };
    },

    peerName() {
      const version = execFileSync(PYTHON, ['-c', 'import pandas, platform; print(pandas.__version__, platform.python_version())'], {
        encoding: 'utf8',
      })
        .trim()
        .split(' ');
      return `pandas ${version[0]} (Python ${version[1]})`;
    },

    ours(input, { root, node, runDir }) {
      return {
        command: node,
        args: [
          join(root, 'dist', 'mlops.js'),
          'validate-data',
          '--data',
          input.file,
          '--state-dir',
          runDir,
          '--fail-on',
          'never',
          '--output',
          'lines',
        ],
        env: {},
      };
    },

    peer(input) {
      return { command: PYTHON, args: [join(here, 'peer.py'), input.dir] };
    },

    /** Both sides read every row and found exactly the broken keys. */
    check(side, input, { stdout }) {
      if (side === 'ours') {
        const rows = Number(/^rows=(\d+)$/m.exec(stdout)?.[1]);
        const errors = Number(/^error-count=(\d+)$/m.exec(stdout)?.[1]);
        if (rows !== input.rows) return `reported rows=${rows}, expected ${input.rows}`;
        return errors === BROKEN ? undefined : `reported error-count=${errors}, expected ${BROKEN} (the broken keys)`;
      }
      const result = JSON.parse(stdout.trim().split('\n').at(-1));
      if (result.orders + result.customers !== input.rows) return `read ${result.orders + result.customers} rows, expected ${input.rows}`;
      return result.broken === BROKEN ? undefined : `found ${result.broken} broken keys, expected ${BROKEN}`;
    },

    targets({ median, ratio }) {
      return [
        { name: 'throughput vs pandas', target: '≥ 1×', value: ratio, met: ratio >= 1 },
        { name: 'peak memory (ours)', target: '≤ 256 MB', value: median.ours.peakMB, met: median.ours.peakMB <= 256 },
      ];
    },
  };
}

export default foreignKeyBenchmark({
  rows: 1_000_000,
  keys: 100_000,
  description: 'validate a Data Package whose 1M-row resource has a foreign key into a 100,000-row resource, side by side with pandas',
});
