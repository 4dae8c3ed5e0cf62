// A seeded Data Package for the foreign key benchmarks: `customers` (KEYS rows: id, segment) and `orders`
// (ROWS rows: order_id, customer_id → customers.id, amount, day). Exactly BROKEN orders name a customer id that
// does not exist, so a run that checked the key reports that many violations.
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** xorshift32: the same stream for the same seed. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function writeLines(path, header, count, line) {
  const fd = openSync(path, 'w');
  try {
    let chunk = `${header}\n`;
    for (let i = 0; i < count; i++) {
      chunk += `${line(i)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export const BROKEN = 10;
const SEGMENTS = ['retail', 'wholesale', 'online', 'partner', 'staff'];

/** Writes the package into `dir`; customer ids are spread (7·i + 3) so they are not just row numbers. */
export function writeForeignKeyPackage(dir, rows, keys, seed) {
  mkdirSync(dir, { recursive: true });
  const next = random(seed);
  writeLines(join(dir, 'customers.csv'), 'id,segment', keys, (i) => `${7 * i + 3},${SEGMENTS[i % SEGMENTS.length]}`);
  // The broken rows are spread evenly; their ids (7·i + 4) are never a customer's.
  const every = Math.floor(rows / BROKEN);
  writeLines(join(dir, 'orders.csv'), 'order_id,customer_id,amount,day', rows, (i) => {
    const customer = i % every === every - 1 ? 7 * Math.floor(next() * keys) + 4 : 7 * Math.floor(next() * keys) + 3;
    const amount = (next() * 500).toFixed(2);
    const day = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    return `${i + 1},${customer},${amount},${day}`;
  });
  const descriptor = {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: 'orders',
    resources: [
      {
        name: 'orders',
        type: 'table',
        path: 'orders.csv',
        schema: {
          fields: [
            { name: 'order_id', type: 'integer' },
            { name: 'customer_id', type: 'integer' },
            { name: 'amount', type: 'number', constraints: { minimum: 0 } },
            { name: 'day', type: 'date' },
          ],
          foreignKeys: [{ fields: ['customer_id'], reference: { resource: 'customers', fields: ['id'] } }],
        },
      },
      {
        name: 'customers',
        type: 'table',
        path: 'customers.csv',
        schema: {
          fields: [
            { name: 'id', type: 'integer' },
            { name: 'segment', type: 'string', constraints: { enum: SEGMENTS } },
          ],
        },
      },
    ],
  };
  writeFileSync(join(dir, 'datapackage.json'), `${JSON.stringify(descriptor, null, 2)}\n`);
}
