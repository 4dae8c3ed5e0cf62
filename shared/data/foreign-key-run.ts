// The order tables are read in and the key sets foreign keys need: a referenced table is read (and its keys
// collected) before the tables referring to it; a table referring to itself, or to a table on a cycle not yet
// read, first gets a pass that only collects keys. Every set is sorted once, before it is looked up. A set that
// outgrows the memory budget is collected again, to disk (foreign-key-spill.ts), and checked by a merge-join
// once the referring table is read.
import { SpilledKeyProbe, SpilledKeySet, type SpillFolder } from './foreign-key-spill.js';
import { BYTES_PER_KEY, type ForeignKey, KeyBudget, KeyDigestSet, type KeyHook } from './foreign-keys.js';
import type { KeyHooks } from './table-profiler.js';
import type { TableJob } from './table-reading.js';
import type { ViolationLog } from './violations.js';

/** The smallest sorted run written when spilling (a tiny test budget still gives runs of some size). */
const MIN_RUN_BYTES = 64 * 1024;

interface Target {
  resource: string;
  fields: string[];
  set?: KeyDigestSet;
  /** Beyond the budget: the keys on disk. */
  spilled?: SpilledKeySet;
  /** `overflowed`: the in-memory set outgrew the budget; the keys are collected again, to disk (`spilled`). */
  state: 'pending' | 'collecting' | 'ready' | 'overflowed' | 'spilled' | 'unavailable';
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

  /** The current table's checks against spilled sets, joined in `finish`. */
  private probes: { probe: SpilledKeyProbe; label: string; missing: (parts: string[]) => string }[] = [];

  constructor(
    private readonly tables: Map<string, KeyedTable>,
    /** Reports a foreign key that cannot be checked (fail closed: it counts as a violation). */
    private readonly unchecked: (job: TableJob, fk: ForeignKey, why: string) => void,
    budget = new KeyBudget(),
    /** Where keys beyond the budget go; without it such a foreign key is reported as not checked. */
    private readonly spill?: SpillFolder,
  ) {
    this.budget = budget;
  }

  /**
   * The buffer of one sorted run: half of what the budget has left, since growing the buffer and sorting it take
   * about as much again for a moment (measured: 33.5 million spilled keys peak below the in-memory check's RSS).
   */
  private get runBytes(): number {
    return Math.max(MIN_RUN_BYTES, Math.floor((this.budget.bytes - this.budget.used) / 2));
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
    // Sets that outgrew the budget (now or when their table was read): their table is read again, keys to disk.
    const overflowed = new Map<string, Target[]>();
    for (const fk of job.foreignKeys) {
      const target = this.targetOf(job, fk);
      if (target.state !== 'overflowed' || overflowed.get(target.resource)?.includes(target)) continue;
      overflowed.set(target.resource, [...(overflowed.get(target.resource) ?? []), target]);
    }
    for (const [resource, targets] of overflowed) {
      const table = this.tables.get(resource)!;
      await collect(table.job, (columns) => ({
        collect: targets.map((target) => {
          target.spilled = new SpilledKeySet(this.spill!, this.runBytes);
          return { columns: target.fields.map((f) => columns.indexOf(f)), spilled: target.spilled };
        }),
        check: [],
      }));
      for (const target of targets) {
        target.spilled!.seal();
        target.state = 'spilled';
      }
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
        // The memory goes back to the budget; the keys are collected again, to disk, before a table looks them up.
        this.budget.used -= target.set!.size * BYTES_PER_KEY;
        target.set!.release();
        target.set = undefined;
        if (this.spill) target.state = 'overflowed';
        else {
          target.state = 'unavailable';
          target.why = `resource ${target.resource || '(this table)'} has more referenced keys than the memory budget holds (${Math.floor(this.budget.bytes / 1048576)} MiB, ${this.budget.keys.toLocaleString('en-US')} keys at ${BYTES_PER_KEY} bytes)`;
        }
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
      if (target.state !== 'ready' && target.state !== 'spilled') {
        this.unchecked(job, fk, target.why ?? `resource ${target.resource} was not read`);
        continue;
      }
      const indexes = fk.fields.map((f) => columns.indexOf(f));
      if (indexes.includes(-1)) {
        this.unchecked(job, fk, `the data has no column ${fk.fields[indexes.indexOf(-1)]}`);
        continue;
      }
      const referenced = `${target.resource === name ? 'this table' : `resource ${target.resource}`} (${target.fields.join(', ')})`;
      const label = fk.fields.join(', ');
      const missing = (parts: string[]) => `foreign key (${fk.fields.join(', ')}) = (${parts.join(', ')}) has no match in ${referenced}`;
      if (target.state === 'spilled') {
        const probe = new SpilledKeyProbe(target.spilled!, this.spill!, this.runBytes);
        this.probes.push({ probe, label, missing });
        check.push({ columns: indexes, probe, label, missing });
        continue;
      }
      check.push({ columns: indexes, set: target.set!, label, missing });
    }
    return collect.length || check.length ? { collect, check } : undefined;
  }

  private collecting: Target[] = [];

  /**
   * After `job`'s main pass: its collected sets are sorted and ready, and its keys checked against spilled sets
   * are joined with them, the missing ones logged into `log`. Returns the violations so found.
   */
  finish(job: TableJob, log?: ViolationLog): number {
    this.read.add(ForeignKeyRun.nameOf(job));
    this.seal(this.collecting);
    this.collecting = [];
    let found = 0;
    for (const { probe, label, missing } of this.probes) {
      const keep = log ? Math.max(0, log.limit - log.reported.length) : 0;
      const result = probe.join(keep);
      for (const key of result.first) log?.add(key.file, key.line, 'foreignKey', () => missing(key.parts), label, key.parts.join(', '));
      log?.absorb(result.missing - result.first.length, []);
      found += result.missing;
    }
    this.probes = [];
    return found;
  }

  /** Referenced keys checked from disk, for the log. */
  get keysSpilled(): number {
    let keys = 0;
    for (const target of this.targets.values()) keys += target.spilled?.size ?? 0;
    return keys;
  }

  /** Referenced keys held, for the log. */
  get keysHeld(): number {
    return this.budget.used / BYTES_PER_KEY;
  }
}
