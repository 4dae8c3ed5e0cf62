// `mlops registry <command>`: the models in a registry, for people. Each command parses its arguments,
// calls shared/registry and prints the result first, then the detail. Options and help live in help.ts.
import { InputError } from '../errors.js';
import { aliasHistory, moveAlias, rollbackAlias } from '../registry/aliases.js';
import { ImageLayoutRepository } from '../registry/image-layout.js';
import { readModelDetails, readModelMetrics, type ModelDetails } from '../registry/model-details.js';
import { diffModels, type DiffSide, type ModelDiff } from '../registry/model-diff.js';
import { AUTO_VERSION_TAG, layoutNames, modelManifestOf, readModelTags, versionsOf, type ModelTags } from '../registry/model-versions.js';
import { registryLocation, type RegistryCredentials } from '../registry/open-repository.js';
import { pullModelPackage } from '../registry/pull.js';
import { isTag, TAG_RULE } from '../registry/registry-reference.js';
import {
  REGISTRY_COMMANDS,
  REGISTRY_OPTIONS,
  registryCommandHelp,
  registryHelp,
  type RegistryCommandHelp,
  type RegistryOptionName,
} from './help.js';
import { nearestName } from '../nearest-name.js';
import {
  DEFAULT_REGISTRY,
  layoutRepository,
  resolveModel,
  resolveRepository,
  type RegistryContext,
  type ResolvedModel,
} from './registry-target.js';
import { formatBytes, shortDigest, textTable } from './text-format.js';
import { UsageError } from './usage-error.js';

/** The environment variable holding the registry password or token: never a flag, which `ps` would show. */
export const PASSWORD_ENV = 'MLOPS_REGISTRY_PASSWORD';

export interface RegistryIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface ParsedArgs {
  args: string[];
  options: Partial<Record<RegistryOptionName, string>>;
  help: boolean;
}

const COMMON_OPTIONS: RegistryOptionName[] = ['registry', 'username'];

function usageOf(command: RegistryCommandHelp): string {
  return `mlops registry ${command.name} ${command.args.join(' ')}`;
}

function parseArgs(argv: string[], command: RegistryCommandHelp): ParsedArgs {
  const allowed = [...command.options, ...COMMON_OPTIONS];
  const parsed: ParsedArgs = { args: [], options: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') parsed.args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)) as RegistryOptionName;
    if (name === ('password' as RegistryOptionName))
      throw new UsageError(`there is no --password: put the password or token in the environment variable ${PASSWORD_ENV}`);
    if (!allowed.includes(name)) {
      const known = Object.keys(REGISTRY_OPTIONS).includes(name);
      const nearest = known ? undefined : nearestName(name, allowed);
      throw new UsageError(
        `${known ? `--${name} is not an option of mlops registry ${command.name}` : `unknown option --${name}`}${nearest ? `; did you mean --${nearest}?` : ''} (mlops registry ${command.name} --help lists the options)`,
      );
    }
    const option = REGISTRY_OPTIONS[name];
    if (!('value' in option)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      parsed.options[name] = 'true';
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--')) || value === '') throw new UsageError(`--${name} needs a value`);
    parsed.options[name] = value;
  }
  if (parsed.help) return parsed;
  const required = command.args.filter((a) => !a.startsWith('['));
  if (parsed.args.length < required.length)
    throw new UsageError(
      `mlops registry ${command.name} needs ${required.slice(parsed.args.length).join(' and ')} (usage: ${usageOf(command)})`,
    );
  if (parsed.args.length > command.args.length)
    throw new UsageError(`unexpected argument '${parsed.args[command.args.length]}' (usage: ${usageOf(command)})`);
  return parsed;
}

function contextOf(parsed: ParsedArgs, io: RegistryIo): RegistryContext {
  const username = parsed.options.username;
  const password = io.env[PASSWORD_ENV] || undefined;
  if (username && !password)
    throw new InputError(`--username ${username} needs its password or token in the environment variable ${PASSWORD_ENV}`);
  const credentials: RegistryCredentials = {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    log: (line) => io.err(`${line}\n`),
  };
  return { registry: parsed.options.registry ?? DEFAULT_REGISTRY, cwd: io.cwd, credentials };
}

/** The run that moved an alias, when the CLI runs inside GitHub Actions. */
function runUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}` : undefined;
}

/** `v2 (sha256:0123456789ab)`, or the short digest alone for a model without a version tag. */
function modelName(tags: ModelTags, digest: string | null): string {
  if (!digest) return '(none)';
  const version = versionsOf(tags, digest)[0];
  return version ? `${version} (${shortDigest(digest)})` : shortDigest(digest);
}

function checkAlias(alias: string): void {
  if (!isTag(alias)) throw new InputError(`alias '${alias}' is not a valid OCI tag: expected ${TAG_RULE}`);
}

function formatNumber(value: number | undefined): string {
  return value === undefined ? '—' : String(Number(value.toPrecision(6)));
}

function formatTime(time: string | undefined): string {
  return time ? time.replace(/\.\d+Z$/, 'Z') : '—';
}

async function list(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const context = contextOf(parsed, io);
  const [name] = parsed.args;
  if (name === undefined) {
    const location = registryLocation(context.registry, io.cwd);
    if (location.kind === 'distribution')
      throw new InputError(
        `mlops registry list needs a model name for ${location.text}: OCI registries often disable the catalog API that lists names (e.g. mlops registry list --registry ${location.text} penguins)`,
      );
    const names = await layoutNames(location.dir!);
    if (names.length === 0) io.out(`No models in ${location.text}.\n`);
    else io.out(`${names.length} model${names.length === 1 ? '' : 's'} in ${location.text}:\n${names.map((n) => `  ${n}\n`).join('')}`);
    return 0;
  }
  const repository = await resolveRepository(name, context);
  const tags = await readModelTags(repository);
  const versions = tags.versions.filter((v) => v.version !== undefined).length;
  if (tags.versions.length === 0) {
    io.out(`No versions of ${repository.label}.\n`);
    return 0;
  }
  const aliases = [...tags.aliases].map(([alias, digest]) => `${alias} → ${versionsOf(tags, digest)[0] ?? shortDigest(digest)}`);
  io.out(
    `${repository.label}: ${versions} version${versions === 1 ? '' : 's'}${aliases.length ? `; ${aliases.join(', ')}` : ''}\n` +
      `${textTable([
        ['VERSION', 'DIGEST', 'CREATED', 'ALIASES'],
        ...tags.versions.map((v) => [v.version ?? '(untagged)', shortDigest(v.digest), formatTime(v.created), v.aliases.join(', ')]),
      ])}\n`,
  );
  if (tags.other.length) io.out(`Other tags (not models): ${tags.other.join(', ')}\n`);
  return 0;
}

function lineageLines(details: ModelDetails): string[] {
  const rows: string[][] = [];
  const aliasMoves = new Map<string, number>();
  for (const record of details.lineage) {
    if (record.kind === 'alias-event') {
      aliasMoves.set(record.alias ?? '?', (aliasMoves.get(record.alias ?? '?') ?? 0) + 1);
      continue;
    }
    const facts = [
      ...(record.verdict ? [`verdict ${record.verdict}`] : []),
      ...Object.entries(record.metrics)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => `${name}=${formatNumber(value)}`),
      ...(record.runUrl ? [record.runUrl] : []),
    ];
    rows.push([record.kind === 'other' ? (record.artifactType ?? 'other') : record.kind, shortDigest(record.digest), facts.join(', ')]);
  }
  const lines = rows.length ? [textTable(rows, '    ')] : ['    none'];
  if (aliasMoves.size)
    lines.push(
      `    alias moves to this model: ${[...aliasMoves].map(([alias, count]) => `${alias} (${count})`).join(', ')} (mlops registry history <name> <alias>)`,
    );
  return lines;
}

async function show(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const model = await resolveModel(parsed.args[0]!, contextOf(parsed, io));
  const details = await readModelDetails(model.repository, model.manifest);
  const tags = await readModelTags(model.repository);
  const versions = versionsOf(tags, details.digest);
  const aliases = [...tags.aliases].filter(([, digest]) => digest === details.digest).map(([alias]) => alias);
  const total = details.files.reduce((sum, f) => sum + f.size, 0);
  io.out(
    [
      `${model.repository.label} ${versions.join(', ') || '(no version tag)'}${aliases.length ? ` (${aliases.join(', ')})` : ''}`,
      `  digest   ${details.digest}`,
      `  format   ${details.format ?? 'unknown'}`,
      `  created  ${formatTime(details.created)}`,
      `  files    ${details.files.length}, ${formatBytes(total)}`,
      textTable(
        details.files.map((f) => [f.path, formatBytes(f.size), f.kind]),
        '    ',
      ),
      '  lineage',
      ...lineageLines(details),
      '',
    ].join('\n'),
  );
  return 0;
}

async function pull(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const [reference, target] = parsed.args as [string, string];
  const model = await resolveModel(reference, contextOf(parsed, io));
  const pulled = await pullModelPackage(model.repository, model.manifest, target, { replace: parsed.options.replace === 'true' });
  const total = pulled.files.reduce((sum, f) => sum + f.size, 0);
  io.out(
    `Pulled ${reference} into ${target}: ${pulled.files.length} file${pulled.files.length === 1 ? '' : 's'}, ${formatBytes(total)}, every digest verified\n` +
      `  digest  ${model.manifest.digest}\n` +
      `${textTable(pulled.files.map((f) => [f.path, formatBytes(f.size)]))}\n`,
  );
  if (pulled.skippedLayers.length)
    io.err(
      `${pulled.skippedLayers.length} layer(s) of unknown media types were left out: ${pulled.skippedLayers.map((l) => l.mediaType).join(', ')}\n`,
    );
  return 0;
}

async function promote(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const [reference, alias] = parsed.args as [string, string];
  checkAlias(alias);
  if (AUTO_VERSION_TAG.test(alias))
    throw new InputError(
      `alias '${alias}' looks like a version (v<N>), and versions are immutable: use a name such as staging or production`,
    );
  const model = await resolveModel(reference, contextOf(parsed, io));
  if (!modelManifestOf(model.manifest))
    throw new InputError(
      `${reference} is not a ModelPack model manifest (a lineage referrer or another artifact): only models can be promoted`,
    );
  const tags = await readModelTags(model.repository);
  if (tags.versions.some((v) => v.version === alias))
    throw new InputError(`'${alias}' is a version of ${model.repository.label}, not an alias: versions are immutable and never move`);
  const version = versionsOf(tags, model.manifest.digest)[0];
  const runUrl = runUrlOf(io.env);
  const move = await moveAlias(model.repository, alias, model.manifest, {
    action: 'promote',
    ...(version ? { version } : {}),
    ...(runUrl ? { runUrl } : {}),
    now: new Date(),
  });
  const to = modelName(tags, move.to);
  if (!move.moved) io.out(`${alias} already points at ${to}: nothing moved.\n`);
  else io.out(`Promoted: ${alias} → ${to}${move.from ? `, was ${modelName(tags, move.from)}` : ' (new alias)'}\n`);
  return 0;
}

async function rollback(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const [name, alias] = parsed.args as [string, string];
  checkAlias(alias);
  const repository = await resolveRepository(name, contextOf(parsed, io));
  const runUrl = runUrlOf(io.env);
  const move = await rollbackAlias(repository, alias, { now: new Date(), ...(runUrl ? { runUrl } : {}) });
  const tags = await readModelTags(repository);
  io.out(`Rolled back ${alias}: ${modelName(tags, move.from)} → ${modelName(tags, move.to)}\n`);
  return 0;
}

async function history(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const [name, alias] = parsed.args as [string, string];
  checkAlias(alias);
  const repository = await resolveRepository(name, contextOf(parsed, io));
  const current = await repository.getManifest(alias);
  const tags = await readModelTags(repository);
  if (!current) {
    const nearest = nearestName(alias, tags.aliases.keys());
    throw new InputError(
      `alias '${alias}' does not exist in ${repository.label}${nearest ? `; did you mean ${nearest}?` : ''}${tags.aliases.size ? ` (aliases: ${[...tags.aliases.keys()].join(', ')})` : ' (it has no aliases)'}`,
    );
  }
  const events = await aliasHistory(repository, alias, current.digest);
  const now = modelName(tags, current.digest);
  if (events.length === 0) {
    io.out(`${alias} points at ${now} in ${repository.label}, with no recorded moves (it was tagged without mlops).\n`);
    return 0;
  }
  io.out(
    `${alias} in ${repository.label}: ${events.length} move${events.length === 1 ? '' : 's'}, now at ${now}\n` +
      `${textTable([
        ['SEQ', 'TIME', 'ACTION', 'FROM', 'TO', 'VERSION', 'RUN'],
        ...events.map((e) => [
          String(e.sequence),
          formatTime(e.time),
          e.action,
          e.from ? shortDigest(e.from) : '(new)',
          shortDigest(e.to),
          e.version ?? '—',
          e.runUrl ?? '—',
        ]),
      ])}\n`,
  );
  const last = events[events.length - 1]!;
  if (last.to !== current.digest)
    io.err(`note: ${alias} points at ${now}, where its last recorded move does not: it was moved without mlops\n`);
  return 0;
}

/** `37.5 KiB → 37.6 KiB`; exact bytes when the rounded sizes would read the same. */
function sizeChange(from: number, to: number): string {
  const [a, b] = [formatBytes(from), formatBytes(to)];
  return a === b && from !== to ? `${from} B → ${to} B` : `${a} → ${b}`;
}

function diffLines(a: string, b: string, diff: ModelDiff): string[] {
  const files = `${diff.changed.length} file${diff.changed.length === 1 ? '' : 's'} changed, ${diff.added.length} added, ${diff.removed.length} removed, ${diff.unchanged} unchanged`;
  const metricCount = diff.metrics.length;
  const lines = [`${a} → ${b}: ${files}; ${metricCount} metric${metricCount === 1 ? '' : 's'} differ${metricCount === 1 ? 's' : ''}`];
  const fileRows = [
    ...diff.changed.map((c) => ['changed', c.path, sizeChange(c.from.size, c.to.size)]),
    ...diff.added.map((f) => ['added', f.path, formatBytes(f.size)]),
    ...diff.removed.map((f) => ['removed', f.path, formatBytes(f.size)]),
  ];
  if (fileRows.length) lines.push('files', textTable(fileRows));
  if (diff.metrics.length) {
    const change = (m: { from?: number; to?: number }): string => {
      if (m.from === undefined || m.to === undefined) return '';
      const delta = Number((m.to - m.from).toPrecision(6));
      return `${delta > 0 ? '+' : ''}${delta}`;
    };
    lines.push(
      `metrics${diff.sameMetrics ? ` (${diff.sameMetrics} more the same)` : ''}`,
      textTable([
        ['METRIC', 'A', 'B', 'CHANGE'],
        ...diff.metrics.map((m) => [m.name, formatNumber(m.from), formatNumber(m.to), change(m)]),
      ]),
    );
  }
  if (diff.verdict.from !== diff.verdict.to) lines.push(`verdict: ${diff.verdict.from ?? '—'} → ${diff.verdict.to ?? '—'}`);
  return lines;
}

async function diff(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const context = contextOf(parsed, io);
  // One after the other: a mistake in the first reference is reported first.
  const a = await resolveModel(parsed.args[0]!, context);
  const b = await resolveModel(parsed.args[1]!, context);
  const side = async (model: ResolvedModel): Promise<DiffSide> => {
    const details = await readModelDetails(model.repository, model.manifest);
    return { details, metrics: await readModelMetrics(model.repository, details) };
  };
  const result = diffModels(await side(a), await side(b));
  if (result.same) io.out(`${a.text} and ${b.text} are the same model (${a.manifest.digest})\n`);
  else io.out(`${diffLines(a.text, b.text, result).join('\n')}\n`);
  return 0;
}

async function gc(parsed: ParsedArgs, io: RegistryIo): Promise<number> {
  const context = contextOf(parsed, io);
  const minutes = Number(parsed.options['grace-minutes'] ?? '10');
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new InputError(`--grace-minutes is ${JSON.stringify(parsed.options['grace-minutes'])}: expected a number of minutes, 0 or more`);
  const refuse = (label: string): never => {
    throw new InputError(
      `mlops registry gc works on image layout folders only; ${label} is a distribution registry, which collects its own garbage (its operator runs 'registry garbage-collect'): nothing removed`,
    );
  };
  const repositories: ImageLayoutRepository[] = [];
  const [name] = parsed.args;
  if (name !== undefined) {
    const repository = await resolveRepository(name, context);
    if (!(repository instanceof ImageLayoutRepository)) return refuse(repository.label);
    repositories.push(repository);
  } else {
    const location = registryLocation(context.registry, io.cwd);
    if (location.kind === 'distribution') return refuse(location.text);
    for (const layout of await layoutNames(location.dir!)) repositories.push(layoutRepository(location, layout));
    if (repositories.length === 0) {
      io.out(`No models in ${location.text}: nothing to collect.\n`);
      return 0;
    }
  }
  const lines: string[] = [];
  let removed = 0;
  let freed = 0;
  for (const repository of repositories) {
    const result = await repository.garbageCollect({ graceMs: minutes * 60_000 });
    removed += result.removed.length;
    freed += result.freedBytes;
    if (result.removed.length && repositories.length > 1)
      lines.push(
        `  ${repository.label}: ${result.removed.length} blob${result.removed.length === 1 ? '' : 's'}, ${formatBytes(result.freedBytes)}`,
      );
  }
  const where = repositories.length === 1 ? repositories[0]!.label : `${repositories.length} models`;
  io.out(
    removed
      ? `Removed ${removed} unreferenced blob${removed === 1 ? '' : 's'} from ${where}, freed ${formatBytes(freed)}\n${lines.map((l) => `${l}\n`).join('')}`
      : `Nothing to remove in ${where}: every blob older than ${minutes} minute${minutes === 1 ? '' : 's'} is referenced.\n`,
  );
  return 0;
}

const RUN: Record<string, (parsed: ParsedArgs, io: RegistryIo) => Promise<number>> = {
  list,
  show,
  pull,
  promote,
  rollback,
  history,
  diff,
  gc,
};

/** Runs `mlops registry <argv>`; returns the exit code. Throws UsageError, InputError and ServiceError for the caller to report. */
export async function registryCommand(argv: string[], io: RegistryIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${registryHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = REGISTRY_COMMANDS.find((c) => c.name === name);
  if (!command) {
    const nearest = nearestName(
      name,
      REGISTRY_COMMANDS.map((c) => c.name),
    );
    throw new UsageError(
      `unknown registry command '${name}'${nearest ? `; did you mean ${nearest}?` : ''} (commands: ${REGISTRY_COMMANDS.map((c) => c.name).join(', ')})`,
    );
  }
  const parsed = parseArgs(rest, command);
  if (parsed.help) {
    io.out(`${registryCommandHelp(command)}\n`);
    return 0;
  }
  return RUN[command.name]!(parsed, io);
}
