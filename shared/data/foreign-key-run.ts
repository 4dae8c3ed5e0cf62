// The order tables are read in and the key sets foreign keys need: a referenced table is read (and its keys
// collected) before the tables referring to it; a table referring to itself, or to a table on a cycle not yet
// read, first gets a pass that only collects keys. Every set is sorted once, before it is looked up.
import { BYTES_PER_KEY, type ForeignKey, KeyBudget, KeyDigestSet, type KeyHook } from './foreign-keys.js';
import type { KeyHooks } from './table-profiler.js';
import type { TableJob } from './table-reading.js';

interface Target {
  resource: string;
  fields: string[];
  set?: KeyDigestSet;
  state: 'pending' | 'collecting' | 'ready' | 'unavailable';
  /** Why it cannot be used (refused resource, missing column, budget). */
  why?: string;
}

/** A table taking part: its job, and why it is not read when it is refused. */
export interface KeyedTable {
  job: TableJob;
  refused?: string;
}

/** Foreign key work of one run; `name` of a table is its resource name ('' for the data input's files). */
export class ForeignKeyRun {
  private readonly targets = new Map<string, Target>();
  private readonly read = new Set<string>();
  readonly budget: KeyBudget;

  constructor(
    private readonly tables: Map<string, KeyedTable>,
    /** Reports a foreign key that cannot be checked (fail closed: it counts as a violation). */
    private readonly unchecked: (job: TableJob, fk: ForeignKey, why: string) => void,
    budget = new KeyBudget(),
  ) {
    this.budget = budget;
  }

  private static nameOf(job: TableJob): string {
    return job.name ?? '';
  }

  private targetOf(job: TableJob, fk: ForeignKey): Target {
    const resource = fk.resource ?? ForeignKeyRun.nameOf(job);
    const key = `${resource}\u0000${fk.referenceFields.join('\u0000')}`;
    let target = this.targets.get(key);
    if (!target) {
      target = { resource, fields: fk.referenceFields, state: 'pending' };
      const table = this.tables.get(resource);
      if (!table) {
        target.state = 'unavailable';
        target.why = `resource ${resource} is not a table`;
      } else if (table.refused) {
        target.state = 'unavailable';
        target.why = `resource ${resource} was not read (${table.refused})`;
      }
      this.targets.set(key, target);
    }
    return target;
  }

  /** Tables in reading order: referenced before referring (Kahn's order; tables on a cycle keep their place). */
  order(): TableJob[] {
    const names = [...this.tables.keys()];
    const waiting = new Map(names.map((n) => [n, new Set<string>()]));
    for (const [name, { job }] of this.tables)
      for (const fk of job.foreignKeys)
        if (fk.resource !== undefined && fk.resource !== name && this.tables.has(fk.resource)) waiting.get(name)!.add(fk.resource);
    const ordered: string[] = [];
    const done = new Set<string>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const name of names) {
        if (done.has(name) || [...waiting.get(name)!].some((n) => !done.has(n))) continue;
        ordered.push(name);
        done.add(name);
        progress = true;
      }
    }
    for (const name of names) if (!done.has(name)) ordered.push(name);
    return ordered.map((n) => this.tables.get(n)!.job);
  }

  /**
   * Before `job` is read: every set its foreign keys look up is ready. A set of a table not read yet (itself,
   * or one on a cycle) is filled by `collect`, a pass over that table that only collects keys.
   */
  async prepare(job: TableJob, collect: (table: TableJob, hooks: (columns: string[]) => KeyHooks) => Promise<void>): Promise<void> {
    const pending = new Map<string, Target[]>();
    for (const fk of job.foreignKeys) {
      const target = this.targetOf(job, fk);
      if (target.state !== 'pending' || this.read.has(target.resource)) continue;
      pending.set(target.resource, [...(pending.get(target.resource) ?? []), target]);
    }
    for (const [resource, targets] of pending) {
      const table = this.tables.get(resource)!;
      await collect(table.job, (columns) => ({ collect: this.collectHooks(targets, columns), check: [] }));
      this.seal(targets);
    }
  }

  private collectHooks(targets: Target[], columns: string[]): KeyHook[] {
    const hooks: KeyHook[] = [];
    for (const target of targets) {
      const indexes = target.fields.map((f) => columns.indexOf(f));
      if (indexes.includes(-1)) {
        target.state = 'unavailable';
        target.why = `resource ${target.resource || '(this table)'} has no column ${target.fields[indexes.indexOf(-1)]}`;
        continue;
      }
      target.set = new KeyDigestSet(this.budget);
      target.state = 'collecting';
      hooks.push({ columns: indexes, set: target.set });
    }
    return hooks;
  }

  private seal(targets: Target[]): void {
    for (const target of targets) {
      if (target.state !== 'collecting') continue;
      if (target.set!.overflow) {
        target.state = 'unavailable';
        target.why = `resource ${target.resource || '(this table)'} has more referenced keys than the memory budget holds (${Math.floor(this.budget.bytes / 1048576)} MiB, ${this.budget.keys.toLocaleString('en-US')} keys at ${BYTES_PER_KEY} bytes)`;
        target.set = undefined;
        continue;
      }
      target.set!.seal();
      target.state = 'ready';
    }
  }

  /** The hooks of `job`'s main pass: collect the keys later tables need, check its own foreign keys. */
  hooksFor(job: TableJob, columns: string[]): KeyHooks | undefined {
    const name = ForeignKeyRun.nameOf(job);
    const owned = [...this.targets.values()].filter((t) => t.resource === name && t.state === 'pending');
    // Targets later tables will look up here, created now so they are collected in this pass.
    for (const [other, { job: otherJob }] of this.tables) {
      if (other === name || this.read.has(other)) continue;
      for (const fk of otherJob.foreignKeys) {
        if (fk.resource !== name) continue;
        const target = this.targetOf(otherJob, fk);
        if (target.state === 'pending' && !owned.includes(target)) owned.push(target);
      }
    }
    this.collecting = owned;
    const collect = this.collectHooks(owned, columns);
    const check: KeyHook[] = [];
    for (const fk of job.foreignKeys) {
      const target = this.targetOf(job, fk);
      if (target.state !== 'ready') {
        this.unchecked(job, fk, target.why ?? `resource ${target.resource} was not read`);
        continue;
      }
      const indexes = fk.fields.map((f) => columns.indexOf(f));
      if (indexes.includes(-1)) {
        this.unchecked(job, fk, `the data has no column ${fk.fields[indexes.indexOf(-1)]}`);
        continue;
      }
      const referenced = `${target.resource === name ? 'this table' : `resource ${target.resource}`} (${target.fields.join(', ')})`;
      check.push({
        columns: indexes,
        set: target.set!,
        label: fk.fields.join(', '),
        missing: (parts) => `foreign key (${fk.fields.join(', ')}) = (${parts.join(', ')}) has no match in ${referenced}`,
      });
    }
    return collect.length || check.length ? { collect, check } : undefined;
  }

  private collecting: Target[] = [];

  /** After `job`'s main pass: its collected sets are sorted and ready. */
  finish(job: TableJob): void {
    this.read.add(ForeignKeyRun.nameOf(job));
    this.seal(this.collecting);
    this.collecting = [];
  }

  /** Referenced keys held, for the log. */
  get keysHeld(): number {
    return this.budget.used / BYTES_PER_KEY;
  }
}
