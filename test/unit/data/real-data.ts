// Paths of the real public data sets the data tests read (vega-datasets and the example project).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const vegaData = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/', import.meta.url));
export const penguinsCsv = fileURLToPath(new URL('../../../workflows-examples/penguins-node/data/penguins.csv', import.meta.url));
export const seattleCsv = `${vegaData}seattle-weather.csv`;

/** The lines of a CSV without quoted fields (header first), newline removed. */
export function csvLines(path: string): string[] {
  return readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
}
