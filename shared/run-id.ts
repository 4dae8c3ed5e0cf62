import { randomBytes } from 'node:crypto';

/** A generated run id that sorts by time: 20261126T203000Z-1a2b3c. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}-${randomBytes(3).toString('hex')}`;
}
