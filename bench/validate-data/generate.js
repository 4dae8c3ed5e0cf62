// Writes the validate-data benchmark's CSV: 9 mixed columns (integer, datetime, nullable number, integer,
// two categoricals, float, boolean, free text sometimes quoted with commas), from a seeded generator, so
// the same rows and seed always give the same bytes. Streams in ~1 MB writes: memory stays flat.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const HEADER = 'id,timestamp,amount,quantity,category,country,score,flag,comment';

export const CATEGORIES = [
  'electronics',
  'books',
  'clothing',
  'grocery',
  'toys',
  'garden',
  'sports',
  'beauty',
  'automotive',
  'health',
  'music',
  'movies',
  'office',
  'pets',
  'baby',
  'jewelry',
  'shoes',
  'tools',
  'furniture',
  'software',
];

const COUNTRIES = [
  'Germany',
  'France',
  'Spain',
  'Italy',
  'Portugal',
  'Netherlands',
  'Belgium',
  'Austria',
  'Switzerland',
  'Poland',
  'Czechia',
  'Slovakia',
  'Hungary',
  'Romania',
  'Bulgaria',
  'Greece',
  'Croatia',
  'Slovenia',
  'Serbia',
  'Denmark',
  'Sweden',
  'Norway',
  'Finland',
  'Iceland',
  'Ireland',
  'United Kingdom',
  'Estonia',
  'Latvia',
  'Lithuania',
  'Ukraine',
  'Turkey',
  'Cyprus',
  'Malta',
  'Luxembourg',
  'Canada',
  'United States',
  'Mexico',
  'Brazil',
  'Argentina',
  'Chile',
  'Peru',
  'Colombia',
  'Japan',
  'South Korea',
  'India',
  'Australia',
  'New Zealand',
  'South Africa',
  'Egypt',
  'Morocco',
];

const WORDS = [
  'fast',
  'delivery',
  'great',
  'price',
  'broken',
  'box',
  'would',
  'buy',
  'again',
  'late',
  'as',
  'described',
  'good',
  'value',
  'poor',
  'quality',
  'excellent',
  'service',
  'too',
  'small',
  'works',
  'fine',
  'returned',
  'gift',
];

/** mulberry32: a small, fast 32-bit generator; returns a function giving floats in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

function comment(random) {
  const kind = random();
  if (kind < 0.55) return '';
  const count = 1 + Math.floor(random() * 3);
  let text = WORDS[Math.floor(random() * WORDS.length)];
  for (let i = 1; i < count; i++) text += ` ${WORDS[Math.floor(random() * WORDS.length)]}`;
  // Quoted fields with commas and escaped quotes keep the CSV scanner honest.
  if (kind < 0.65) return `"${text}, ${WORDS[Math.floor(random() * WORDS.length)]}"`;
  if (kind < 0.67) return `"said ""${text}"""`;
  return text;
}

/**
 * Writes `rows` data rows (plus the header) to `path` through a temporary file renamed at the end, so an
 * interrupted run never leaves a partial file behind. Returns the number of bytes written.
 */
export function writeBenchmarkCsv(path, rows, seed = 20261126) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  const random = seededRandom(seed);
  let bytes = 0;
  try {
    let chunk = `${HEADER}\n`;
    let second = Date.UTC(2025, 0, 1) / 1000;
    let day = -1;
    let datePart = '';
    for (let id = 1; id <= rows; id++) {
      second += Math.floor(random() * 10);
      const dayNumber = Math.floor(second / 86400);
      if (dayNumber !== day) {
        day = dayNumber;
        datePart = new Date(dayNumber * 86400000).toISOString().slice(0, 11);
      }
      const inDay = second - dayNumber * 86400;
      const timestamp = `${datePart}${TWO_DIGITS[Math.floor(inDay / 3600)]}:${TWO_DIGITS[Math.floor(inDay / 60) % 60]}:${TWO_DIGITS[inDay % 60]}`;
      const amount = random() < 0.05 ? '' : (Math.exp(random() * 7) - 1 + random()).toFixed(2);
      const quantity = Math.floor(-Math.log(1 - random()) * 12);
      const category = CATEGORIES[Math.floor(random() * random() * CATEGORIES.length)];
      const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)];
      const score = random().toFixed(9);
      const flag = random() < 0.3 ? 'true' : 'false';
      chunk += `${id},${timestamp},${amount},${quantity},${category},${country},${score},${flag},${comment(random)}\n`;
      if (chunk.length >= 1 << 20) {
        bytes += writeSync(fd, chunk);
        chunk = '';
      }
    }
    bytes += writeSync(fd, chunk);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, path);
  return bytes;
}
