// Aliases are OCI tags, which keep no history; each move is also recorded in the registry as an
// alias-event referrer of the model it now points at (alias, from, to, time, run URL, sequence). The
// history of an alias is found by walking those events back from where the alias points now, so
// `rollback` works from any machine that can read the registry, with no side database.
import { InputError, ServiceError } from '../errors.js';
import { ANNOTATION_PREFIX, pushReferrer, referrersOfKind, subjectOf } from './lineage.js';
import type { Descriptor, ManifestBytes, OciRepository } from './oci-repository.js';

export interface AliasEvent {
  alias: string;
  action: 'promote' | 'rollback';
  /** The digest the alias pointed at before (null: the alias was new). */
  from: string | null;
  to: string;
  /** The version tag of `to`, when known. */
  version?: string;
  time: string;
  sequence: number;
  runUrl?: string;
  /** The event's own referrer digest. */
  digest?: string;
}

const KEY = {
  alias: `${ANNOTATION_PREFIX}alias`,
  action: `${ANNOTATION_PREFIX}alias.action`,
  from: `${ANNOTATION_PREFIX}alias.from`,
  to: `${ANNOTATION_PREFIX}alias.to`,
  version: `${ANNOTATION_PREFIX}alias.version`,
  sequence: `${ANNOTATION_PREFIX}alias.sequence`,
  runUrl: `${ANNOTATION_PREFIX}run-url`,
};

/** At most this many events are read when walking an alias's history (a bound, not a limit users meet). */
const HISTORY_LIMIT = 1000;

function eventOf(descriptor: Descriptor): AliasEvent | undefined {
  const a = descriptor.annotations ?? {};
  const sequence = Number(a[KEY.sequence]);
  if (!a[KEY.alias] || !a[KEY.to] || !Number.isInteger(sequence)) return undefined;
  const action = a[KEY.action];
  if (action !== 'promote' && action !== 'rollback') return undefined;
  return {
    alias: a[KEY.alias],
    action,
    from: a[KEY.from] || null,
    to: a[KEY.to],
    ...(a[KEY.version] ? { version: a[KEY.version] } : {}),
    time: a['org.opencontainers.image.created'] ?? '',
    sequence,
    ...(a[KEY.runUrl] ? { runUrl: a[KEY.runUrl] } : {}),
    digest: descriptor.digest,
  };
}

/**
 * Every recorded move of `alias`, oldest first: found from the events attached to the model the alias
 * points at, then to each model it pointed at before. Events whose annotations do not parse are skipped.
 */
export async function aliasHistory(repository: OciRepository, alias: string, current?: string): Promise<AliasEvent[]> {
  const start = current ?? (await repository.getManifest(alias))?.digest;
  if (!start) return [];
  const events = new Map<string, AliasEvent>();
  const queue = [start];
  const visited = new Set<string>();
  while (queue.length > 0 && events.size < HISTORY_LIMIT) {
    const digest = queue.shift()!;
    if (visited.has(digest)) continue;
    visited.add(digest);
    for (const descriptor of await referrersOfKind(repository, digest, 'alias-event')) {
      const event = eventOf(descriptor);
      if (!event || event.alias !== alias || events.has(descriptor.digest)) continue;
      events.set(descriptor.digest, event);
      if (event.from) queue.push(event.from);
    }
  }
  return [...events.values()].sort((a, b) => a.sequence - b.sequence || a.time.localeCompare(b.time));
}

/** The targets the alias went through, replayed from its events (a rollback undoes the move before it). */
export function aliasStack(events: AliasEvent[]): string[] {
  const stack: string[] = [];
  for (const event of events) {
    if (event.action === 'promote') stack.push(event.to);
    else {
      stack.pop();
      if (stack[stack.length - 1] !== event.to) stack.push(event.to);
    }
  }
  return stack;
}

export interface AliasMove {
  alias: string;
  from: string | null;
  to: string;
  /** False when the alias already pointed there (nothing written). */
  moved: boolean;
}

/**
 * Points `alias` at `target` and records the move. The tag moves first, then the event is written: a
 * run killed between the two leaves the alias moved with its event missing, which history reports
 * (the alias points somewhere its last event does not say), rather than an event for a move that never happened.
 */
export async function moveAlias(
  repository: OciRepository,
  alias: string,
  target: ManifestBytes,
  options: { action: 'promote' | 'rollback'; version?: string; runUrl?: string; now: Date },
): Promise<AliasMove> {
  const before = await repository.getManifest(alias);
  const from = before?.digest ?? null;
  if (from === target.digest) return { alias, from, to: target.digest, moved: false };
  const history = from ? await aliasHistory(repository, alias, from) : [];
  const sequence = (history[history.length - 1]?.sequence ?? 0) + 1;
  await repository.putManifest(target, alias);
  const annotations: Record<string, string> = {
    [KEY.alias]: alias,
    [KEY.action]: options.action,
    [KEY.from]: from ?? '',
    [KEY.to]: target.digest,
    [KEY.sequence]: String(sequence),
    ...(options.version ? { [KEY.version]: options.version } : {}),
    ...(options.runUrl ? { [KEY.runUrl]: options.runUrl } : {}),
  };
  const event = {
    alias,
    action: options.action,
    from,
    to: target.digest,
    version: options.version,
    time: options.now.toISOString(),
    sequence,
    runUrl: options.runUrl,
  };
  await pushReferrer(
    repository,
    subjectOf(target),
    { kind: 'alias-event', bytes: Buffer.from(`${JSON.stringify(event, null, 2)}\n`), title: `alias-${alias}.json`, annotations },
    options.now,
  );
  return { alias, from, to: target.digest, moved: true };
}

/**
 * Moves `alias` back to the model it pointed at before its last promotion, and records that. InputError
 * when the alias does not exist or has no earlier target on record.
 */
export async function rollbackAlias(
  repository: OciRepository,
  alias: string,
  options: { runUrl?: string; now: Date },
): Promise<AliasMove & { version?: string }> {
  const current = await repository.getManifest(alias);
  if (!current) throw new InputError(`alias '${alias}' does not exist in ${repository.label}: nothing to roll back`);
  const history = await aliasHistory(repository, alias, current.digest);
  const stack = aliasStack(history);
  if (stack[stack.length - 1] !== current.digest)
    throw new InputError(
      `alias '${alias}' in ${repository.label} points at ${current.digest}, which its recorded history does not end at (it was moved without mlops): move it with 'mlops registry promote' first`,
    );
  const previous = stack[stack.length - 2];
  if (!previous) throw new InputError(`alias '${alias}' in ${repository.label} has no earlier model on record: nothing to roll back to`);
  const target = await repository.getManifest(previous);
  if (!target)
    throw new ServiceError(repository.label, `the model alias '${alias}' pointed at before (${previous}) is no longer in the registry`);
  const version = [...history].reverse().find((e) => e.to === previous && e.version)?.version;
  const move = await moveAlias(repository, alias, target, { action: 'rollback', ...(version ? { version } : {}), ...options });
  return { ...move, ...(version ? { version } : {}) };
}
