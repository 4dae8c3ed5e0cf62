// The register stage: package the model (ModelPack), push it under an immutable version, attach its
// lineage as referrers, move aliases with their history, and say what happened.
import { randomInt } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import type { Runtime, SignedProvenance } from '../runtime/port.js';
import type { StoredAttestation } from '../github/attestations.js';
import type { RegisterInputs } from '../schemas/register.js';
import type { StageResult } from '../stage.js';
import { gitOutput } from '../train/git.js';
import { moveAlias, type AliasMove } from './aliases.js';
import { ImageLayoutRepository } from './image-layout.js';
import { ANNOTATION_PREFIX, metricAnnotations, pushReferrer, subjectOf, type LineageContent, type LineageKind } from './lineage.js';
import { withLockFile } from '../lock-file.js';
import { buildModelPackage, pushModelPackage, type ModelPackage } from './model-package.js';
import type { OciRepository } from './oci-repository.js';
import { registryCredentialsFromEnv } from './env-credentials.js';
import { openRepository, registryLocation, type RegistryLocation } from './open-repository.js';
import { formatBytes } from '../byte-size.js';

/** How many times `version: auto` takes the next number when another run took the one it chose. */
const AUTO_VERSION_ATTEMPTS = 5;

interface LineageFile {
  input: keyof RegisterInputs;
  kind: LineageKind;
}
const LINEAGE_INPUTS: LineageFile[] = [
  { input: 'metrics-file', kind: 'metrics' },
  { input: 'manifest', kind: 'run-manifest' },
  { input: 'profile', kind: 'data-profile' },
  { input: 'evaluation', kind: 'evaluation' },
  { input: 'predictions', kind: 'predictions' },
];

/** A file input resolved inside the working directory; InputError naming the input when it is missing. */
async function inputFile(cwd: string, input: string, value: string): Promise<string> {
  const path = resolve(cwd, value);
  const info = await stat(path).catch(() => null);
  if (!info) throw new InputError(`input '${input}': ${value} does not exist (looked in ${cwd})`);
  if (input !== 'model-path' && !info.isFile()) throw new InputError(`input '${input}': ${value} is not a file`);
  return path;
}

async function readJsonFile(path: string, input: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(`input '${input}': ${path} is not valid JSON: ${(error as Error).message}`, { file: path });
  }
}

/** The next `v<N>` after the highest one among `tags`. */
export function nextAutoVersion(tags: string[]): string {
  let highest = 0;
  for (const tag of tags) {
    const match = /^v([1-9][0-9]{0,8})$/.exec(tag);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `v${highest + 1}`;
}

type VersionOutcome = { version: string; status: 'registered' | 'unchanged' };

/**
 * Tags the pushed model with `requested` (or the next free `v<N>`). A version never changes content:
 * the same version with another digest is an InputError; the same digest is a no-op. With `auto`, a
 * registry offers no compare-and-swap, so the tag is read back after a short random pause and another
 * number is taken when a parallel run got there first; a layout is locked instead.
 */
async function tagVersion(
  repository: OciRepository,
  pkg: ModelPackage,
  requested: string,
  log: (line: string) => void,
): Promise<VersionOutcome> {
  const manifest = pkg.manifest;
  if (requested !== 'auto') {
    const existing = await repository.getManifest(requested);
    if (existing) {
      if (existing.digest === manifest.digest) return { version: requested, status: 'unchanged' };
      throw new InputError(
        `version ${requested} of ${repository.label} already exists with other content (${existing.digest}, this model is ${manifest.digest}): versions are immutable; register under a new version, or use version: auto`,
      );
    }
    await repository.putManifest(manifest, requested);
    return { version: requested, status: 'registered' };
  }
  const tags = await repository.listTags();
  // The same content registered before keeps its version.
  for (const tag of tags.filter((t) => /^v[0-9]+$/.test(t))) {
    const existing = await repository.getManifest(tag);
    if (existing?.digest === manifest.digest) return { version: tag, status: 'unchanged' };
  }
  let version = nextAutoVersion(tags);
  for (let attempt = 1; attempt <= AUTO_VERSION_ATTEMPTS; attempt++) {
    if (!(await repository.getManifest(version))) {
      await repository.putManifest(manifest, version);
      if (repository instanceof ImageLayoutRepository) return { version, status: 'registered' };
      await new Promise((done) => setTimeout(done, 50 + randomInt(200)));
      if ((await repository.getManifest(version))?.digest === manifest.digest) return { version, status: 'registered' };
      log(`Version ${version} was taken by a parallel run; trying the next number.`);
    }
    version = nextAutoVersion([...(await repository.listTags()), version]);
  }
  throw new InputError(
    `version: auto found no free version in ${repository.label} after ${AUTO_VERSION_ATTEMPTS} tries: other runs keep registering; retry, or give an explicit version`,
  );
}

/** The commit's time, for reproducible timestamps when SOURCE_DATE_EPOCH is unset. */
async function commitFacts(cwd: string): Promise<{ revision?: string; commitTime?: string }> {
  const line = await gitOutput(cwd, ['log', '-1', '--format=%H %cI']);
  const [revision, commitTime] = (line ?? '').trim().split(' ');
  return revision && commitTime ? { revision, commitTime } : {};
}

function sourceUrl(runtime: Runtime): string | undefined {
  const repository = runtime.repository();
  const server = (process.env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  return repository ? `${server}/${repository.owner}/${repository.repo}` : undefined;
}

function referenceText(location: RegistryLocation, name: string, digest: string): string {
  return `${location.text}/${name}@${digest}`;
}

/** The name a provenance statement gives the model: the image name cosign and `gh attestation` use (no oci://), or the layout path. */
export function attestationSubjectName(location: RegistryLocation, name: string): string {
  return `${location.text.replace(/^oci:\/\//, '')}/${name}`;
}

interface Attestation {
  signed: SignedProvenance;
  stored: StoredAttestation;
}

/**
 * Signs the build provenance of `digest` (Sigstore, the job's OIDC identity) and stores it with
 * GitHub's attestations. Fails closed: outside a job with `id-token: write`, or without GitHub's API,
 * an InputError naming the input, before anything is pushed.
 */
async function attestModel(runtime: Runtime, inputs: RegisterInputs, subject: { name: string; digest: string }): Promise<Attestation> {
  if (runtime.kind === 'local')
    throw new InputError(
      "input 'attest' is true, but this run is outside GitHub Actions: a provenance attestation is signed with a workflow job's OIDC identity (`permissions: { id-token: write }`), which a local run has not; set attest: false",
    );
  const access = await runtime.github(inputs['github-token']);
  if ('unavailable' in access)
    throw new InputError(
      `input 'attest' is true, but the attestation cannot be stored with GitHub: ${access.unavailable}. Run it in a GitHub Actions job with \`permissions: { id-token: write, attestations: write }\`, or set attest: false`,
    );
  const signed = await runtime.signProvenance([{ name: subject.name, digest: { sha256: subject.digest.replace(/^sha256:/, '') } }]);
  if ('unavailable' in signed)
    throw new InputError(`input 'attest' is true, but no provenance can be signed here: ${signed.unavailable}; or set attest: false`);
  const { storeAttestation } = await import('../github/attestations.js');
  const stored = await storeAttestation(access.client, access.repository, signed.bundle, process.env.GITHUB_SERVER_URL || undefined);
  runtime.info(
    `Signed the build provenance of ${subject.name}@${subject.digest}${stored.url ? `; GitHub keeps it at ${stored.url}` : '; GitHub stored it (no id given)'}.`,
  );
  return { signed, stored };
}

export async function register(inputs: RegisterInputs, runtime: Runtime): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  const modelPath = await inputFile(cwd, 'model-path', inputs['model-path']);
  const lineage: { kind: LineageKind; path: string; input: string }[] = [];
  for (const { input, kind } of LINEAGE_INPUTS) {
    const value = inputs[input];
    if (typeof value === 'string') lineage.push({ kind, path: await inputFile(cwd, input, value), input });
  }
  const evaluationPath = lineage.find((l) => l.kind === 'evaluation')?.path;
  const evaluation = evaluationPath
    ? ((await readJsonFile(evaluationPath, 'evaluation')) as { verdict?: unknown; passed?: unknown; metrics?: unknown })
    : undefined;
  if (inputs['require-verdict']) {
    if (!evaluation)
      throw new InputError(
        `input 'require-verdict' (${inputs['require-verdict']}) needs input 'evaluation': the evaluate report whose verdict to check`,
      );
    if (evaluation.verdict !== inputs['require-verdict']) {
      const failure = `register: not registered: the evaluation's verdict is ${JSON.stringify(evaluation.verdict ?? null)}, and require-verdict asks for ${inputs['require-verdict']} (${relative(cwd, evaluationPath!)})`;
      await runtime.summary(`## register: refused\n\n${escapeMarkdownText(failure)}\n`);
      return { outputs: {}, failure };
    }
  }

  const location = registryLocation(inputs.registry, cwd);
  // The inputs, else the environment's pair (as every stage of the loop reads it), else for ghcr.io the token.
  const fromEnv = inputs.password ? {} : registryCredentialsFromEnv(process.env);
  const username = inputs.username ?? fromEnv.username;
  const password =
    inputs.password ??
    fromEnv.password ??
    (location.text.startsWith('oci://ghcr.io') && inputs['github-token'] ? inputs['github-token'] : undefined);
  if (password) runtime.mask(password);
  const repository = openRepository(location, inputs.name, {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    log: (line) => runtime.info(line),
  });

  const facts = await commitFacts(cwd);
  const pkg = await buildModelPackage(
    modelPath,
    {
      name: inputs.name,
      ...facts,
      ...(sourceUrl(runtime) ? { sourceUrl: sourceUrl(runtime) } : {}),
      ...(inputs.format ? { format: inputs.format } : {}),
    },
    // Layers go up while the next file is hashed; the manifest still goes last, in publish().
    { sourceDateEpoch: process.env.SOURCE_DATE_EPOCH, pushTo: repository },
  );
  const digest = pkg.manifest.digest;
  // Signed before anything is pushed: when it cannot be, nothing is registered unattested.
  const attestation = inputs.attest
    ? await attestModel(runtime, inputs, { name: attestationSubjectName(location, inputs.name), digest })
    : undefined;
  const totalBytes = pkg.layers.reduce((sum, l) => sum + l.descriptor.size, 0);

  // A layout takes a lock for the whole choice of version, so parallel registers never pick the same number.
  const layoutLock = repository instanceof ImageLayoutRepository ? join(repository.dir, 'register.lock') : undefined;
  if (layoutLock) await mkdir(dirname(layoutLock), { recursive: true });
  const publish = async (): Promise<{ upload: { uploaded: number; skipped: number }; outcome: VersionOutcome }> => {
    const upload = await pushModelPackage(repository, pkg);
    const outcome = await tagVersion(repository, pkg, inputs.version, (line) => runtime.info(line));
    return { upload, outcome };
  };
  const { upload, outcome } = layoutLock
    ? await withLockFile(layoutLock, publish, { what: `registering ${inputs.name}` })
    : await publish();
  runtime.info(
    outcome.status === 'unchanged'
      ? `${inputs.name} ${outcome.version} is already registered with this content (${digest}): nothing new pushed.`
      : `Registered ${inputs.name} ${outcome.version} (${digest}): ${pkg.layers.length} file${pkg.layers.length === 1 ? '' : 's'}, ${formatBytes(totalBytes)}; ${upload.uploaded} blob${upload.uploaded === 1 ? '' : 's'} uploaded, ${upload.skipped} already there.`,
  );

  const created = new Date(pkg.created);
  const subject = subjectOf(pkg.manifest);
  const attached: { kind: LineageKind; digest: string }[] = [];
  // A referrer's time is the package's, so the same lineage of the same model is the same manifest: a re-run adds nothing.
  for (const item of lineage) {
    const content: LineageContent = { kind: item.kind, file: item.path };
    if (item.kind === 'metrics') content.annotations = metricAnnotations(await readJsonFile(item.path, item.input));
    if (item.kind === 'evaluation' && evaluation) {
      content.annotations = {
        ...metricAnnotations(evaluation.metrics),
        ...(typeof evaluation.verdict === 'string' ? { [`${ANNOTATION_PREFIX}verdict`]: evaluation.verdict } : {}),
      };
    }
    const runUrl = runtime.runUrl();
    if (runUrl) content.annotations = { ...content.annotations, [`${ANNOTATION_PREFIX}run-url`]: runUrl };
    const descriptor = await pushReferrer(repository, subject, content, created);
    attached.push({ kind: item.kind, digest: descriptor.digest });
  }

  let attestationReferrer: string | undefined;
  if (attestation) {
    const runUrl = runtime.runUrl();
    const descriptor = await pushReferrer(
      repository,
      subject,
      {
        kind: 'provenance',
        bytes: Buffer.from(JSON.stringify(attestation.signed.bundle)),
        mediaType: attestation.signed.mediaType,
        title: 'provenance.sigstore.json',
        // As cosign and actions/attest annotate a bundle in a registry, so listings say what it holds.
        annotations: {
          'dev.sigstore.bundle.content': 'dsse-envelope',
          'dev.sigstore.bundle.predicateType': attestation.signed.predicateType,
          ...(attestation.stored.url ? { [`${ANNOTATION_PREFIX}attestation-url`]: attestation.stored.url } : {}),
          ...(runUrl ? { [`${ANNOTATION_PREFIX}run-url`]: runUrl } : {}),
        },
      },
      created,
    );
    attestationReferrer = descriptor.digest;
    attached.push({ kind: 'provenance', digest: descriptor.digest });
  }

  const moves: AliasMove[] = [];
  const runUrl = runtime.runUrl();
  for (const alias of inputs.aliases ?? []) {
    if (alias === outcome.version)
      throw new InputError(`input 'aliases': '${alias}' is the version itself; aliases are other names (staging, production, …)`);
    if (/^v[0-9]+$/.test(alias))
      throw new InputError(
        `input 'aliases': '${alias}' looks like a version (v<N>); version: auto would take it as one. Use a name such as staging or production`,
      );
    moves.push(
      await moveAlias(repository, alias, pkg.manifest, {
        action: 'promote',
        version: outcome.version,
        ...(runUrl ? { runUrl } : {}),
        now: new Date(),
      }),
    );
  }
  for (const move of moves) {
    runtime.info(
      move.moved
        ? `Alias ${move.alias} → ${outcome.version}${move.from ? ` (was ${move.from})` : ' (new)'}.`
        : `Alias ${move.alias} already points at ${outcome.version}.`,
    );
  }

  const reference = referenceText(location, inputs.name, digest);
  const previous = Object.fromEntries(moves.map((m) => [m.alias, m.from]));
  await runtime.summary(
    [
      `## register: ${escapeMarkdownText(inputs.name)} ${escapeMarkdownText(outcome.version)} ${outcome.status === 'unchanged' ? '(already registered)' : 'registered'}`,
      '',
      `| | |`,
      `|---|---|`,
      `| reference | \`${reference.replace(/`/g, "'")}\` |`,
      `| files | ${pkg.layers.length} (${formatBytes(totalBytes)}), ${upload.uploaded} uploaded, ${upload.skipped} already there |`,
      `| format | ${escapeMarkdownText(String(pkg.config.json.config?.format ?? ''))} |`,
      ...(attestation
        ? [
            `| provenance | SLSA v1, signed (Sigstore)${attestation.stored.url ? `, [stored with GitHub](${attestation.stored.url})` : ''}, bundle \`${attestationReferrer?.slice(0, 19)}…\` |`,
          ]
        : []),
      `| lineage | ${attached.map((a) => a.kind).join(', ') || 'none'} |`,
      `| aliases | ${moves.map((m) => `${escapeMarkdownText(m.alias)}${m.moved ? (m.from ? ` (moved from \`${m.from.slice(0, 19)}…\`)` : ' (new)') : ' (unchanged)'}`).join(', ') || 'none'} |`,
      '',
    ].join('\n'),
  );
  return {
    outputs: {
      version: outcome.version,
      digest,
      reference,
      aliases: JSON.stringify(moves.map((m) => m.alias)),
      previous: JSON.stringify(previous),
      ...(attestation ? { 'attestation-id': String(attestation.stored.id ?? ''), 'attestation-url': attestation.stored.url ?? '' } : {}),
      ...(attestationReferrer ? { 'attestation-referrer': attestationReferrer } : {}),
    },
  };
}
