// Writes data/penguins.csv from the Palmer penguins data that the vega-datasets package ships,
// so that validate-data checks (and train.mjs reads) one plain CSV file under version control.
// Run: node prepare-data.mjs
// `node prepare-data.mjs --island Biscoe --out FILE` writes a later batch of the same real data instead:
// only the penguins of one island (Biscoe: mostly Gentoo, larger and heavier), a batch whose
// distribution drifted from the full survey's (the second round of `npm run demo`).
// `--requests FILE` also writes monitor-gate's load test: one /invocations request per penguin measured
// in full, in a fixed shuffled order (the data is sorted by species), so a short analysis sees every kind.
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CSV columns, in order, and the vega-datasets field each one comes from. */
export const COLUMNS = [
  ['species', 'Species'],
  ['island', 'Island'],
  ['bill_length_mm', 'Beak Length (mm)'],
  ['bill_depth_mm', 'Beak Depth (mm)'],
  ['flipper_length_mm', 'Flipper Length (mm)'],
  ['body_mass_g', 'Body Mass (g)'],
  ['sex', 'Sex'],
];

/** Returns the path of penguins.json inside the installed vega-datasets package. */
function penguinsJsonPath() {
  // The package's exports hide data/, and its API fetches from a CDN; read the shipped file instead.
  const entry = fileURLToPath(import.meta.resolve('vega-datasets'));
  return join(dirname(entry), '..', 'data', 'penguins.json');
}

/** Returns the CSV text (header + one line per penguin, missing values as empty cells). */
export function penguinsCsv(records) {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const record of records) {
    const cells = COLUMNS.map(([name, field]) => {
      let value = record[field];
      // One record has sex "." in the source data: it means unknown, like the ones left empty.
      if (name === 'sex' && value === '.') value = null;
      if (value === null || value === undefined) return '';
      const text = String(value);
      if (/[",\n]/.test(text)) throw new Error(`unexpected character in ${field}: ${text}`);
      return text;
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** The four measurements the model takes, in its input order (train.mjs). */
const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

/**
 * Returns the JSONL text of one /invocations request per fully measured record, shuffled with a seeded
 * Fisher-Yates (the same file every time): a canary that gets every fifth request still sees a fair sample.
 */
export function requestsJsonl(records) {
  const field = Object.fromEntries(COLUMNS);
  const measured = records.filter((record) => FEATURES.every((name) => typeof record[field[name]] === 'number'));
  // mulberry32, seeded: a small, well-mixed generator, so the order owes nothing to the data's sorting.
  let seed = 20141105;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = measured.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [measured[i], measured[j]] = [measured[j], measured[i]];
  }
  return measured
    .map((record) => JSON.stringify({ dataframe_records: [Object.fromEntries(FEATURES.map((name) => [name, record[field[name]]]))] }))
    .join('\n')
    .concat('\n');
}

/** The value of `--name value` on the command line, or undefined. */
function option(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const island = option('island');
  const all = JSON.parse(readFileSync(penguinsJsonPath(), 'utf8'));
  const records = island ? all.filter((record) => record.Island === island) : all;
  if (records.length === 0) throw new Error(`no penguin was sampled on the island ${island}`);
  const target = option('out') ?? join(dirname(fileURLToPath(import.meta.url)), 'data', 'penguins.csv');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, penguinsCsv(records));
  renameSync(`${target}.tmp`, target);
  console.log(`wrote ${records.length} rows to ${target}`);
  const requests = option('requests');
  if (requests) {
    writeFileSync(`${requests}.tmp`, requestsJsonl(records));
    renameSync(`${requests}.tmp`, requests);
    console.log(`wrote the load test of ${records.length} penguins to ${requests}`);
  }
}
