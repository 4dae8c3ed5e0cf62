// Real rows for metric tests: the Palmer penguins, with a one-feature rule standing in for a model
// (it errs often enough to exercise every cell of the confusion matrix).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Penguin {
  Species: string;
  Island: string;
  'Beak Length (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}

const PENGUINS = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/penguins.json', import.meta.url));

/** Penguins with a flipper length and body mass (342 of 344). */
export function loadPenguins(): Penguin[] {
  const all: Penguin[] = JSON.parse(readFileSync(PENGUINS, 'utf8'));
  return all.filter((p) => p['Flipper Length (mm)'] !== null && p['Body Mass (g)'] !== null && p['Beak Length (mm)'] !== null);
}

/** Species guessed from flipper length alone. */
export function guessSpecies(p: Penguin): string {
  const flipper = p['Flipper Length (mm)']!;
  return flipper >= 206 ? 'Gentoo' : flipper >= 194 ? 'Chinstrap' : 'Adelie';
}

/** Binary rows: is it a Gentoo ("yes"/"no"), with a score rising with flipper length. */
export function gentooRows(): { labels: string[]; predictions: string[]; scores: number[] } {
  const penguins = loadPenguins();
  const scores = penguins.map((p) => 1 / (1 + Math.exp(-(p['Flipper Length (mm)']! - 206) / 4)));
  return {
    labels: penguins.map((p) => (p.Species === 'Gentoo' ? 'yes' : 'no')),
    predictions: scores.map((s) => (s >= 0.5 ? 'yes' : 'no')),
    scores,
  };
}
