// The order jobs run in: a job after every job it needs, ties in the file's order.
import { InputError } from '../errors.js';

export interface NeedsNode {
  id: string;
  needs: string[];
}

/** Job ids in an order that respects `needs`; InputError for an unknown job or a loop. */
export function orderByNeeds(jobs: NeedsNode[]): string[] {
  const ids = new Set(jobs.map((j) => j.id));
  for (const job of jobs)
    for (const need of job.needs)
      if (!ids.has(need)) throw new InputError(`job ${job.id} needs ${need}, which is not a job of this workflow`);
  const done: string[] = [];
  const left = [...jobs];
  while (left.length) {
    const next = left.findIndex((job) => job.needs.every((n) => done.includes(n)));
    if (next === -1) throw new InputError(`the jobs ${left.map((j) => j.id).join(', ')} need each other in a loop`);
    done.push(left.splice(next, 1)[0]!.id);
  }
  return done;
}

/** Every job `id` needs, directly or through others. */
export function allNeeds(id: string, jobs: NeedsNode[]): Set<string> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const found = new Set<string>();
  const walk = (current: string): void => {
    for (const need of byId.get(current)?.needs ?? []) {
      if (found.has(need)) continue;
      found.add(need);
      walk(need);
    }
  };
  walk(id);
  return found;
}
