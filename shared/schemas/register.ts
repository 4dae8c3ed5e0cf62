import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

const lineageFile = (what: string) => ({ description: what, schema: { type: 'string', minLength: 1 } }) as const;

export const registerSpec = defineAction({
  name: 'register',
  title: 'mlops register',
  description:
    'Register a model as an OCI artifact in the CNCF ModelPack format, in an OCI image layout folder or any OCI registry: immutable versions, movable aliases with their history kept in the registry, and lineage (metrics, run manifest, data profile, evaluation, predictions) attached as referrers.',
  inputs: {
    'model-path': {
      description:
        'The model: a file or a folder (every file in it travels together, e.g. `model.onnx` with `model.onnx.data`). Relative to `working-directory`.',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    name: {
      description:
        "The model's repository name, by the OCI rules: lower-case letters and digits separated by `.`, `_`, `__` or `-`, in components joined by `/` (e.g. `team/penguins`).",
      required: true,
      schema: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$',
      },
    },
    registry: {
      description:
        'Where models live: a folder holding OCI image layouts (one per name; default `.mlops/registry`), or `oci://host[:port]/namespace` for an OCI distribution registry (ghcr.io, Docker Hub, a `distribution` registry). Plain HTTP only to 127.0.0.1 / localhost.',
      default: '.mlops/registry',
      schema: { type: 'string', minLength: 1 },
    },
    username: {
      description:
        "Registry user name. Default: the MLOPS_REGISTRY_USERNAME environment variable (for ghcr.io: the token's user, `x-access-token`).",
      schema: { type: 'string', minLength: 1 },
    },
    password: {
      description:
        'Registry password or token; masked in the log. Default: the MLOPS_REGISTRY_PASSWORD environment variable, which deploy, evaluate and monitor-gate read too; for ghcr.io, `github-token` when neither is given.',
      schema: { type: 'string', minLength: 1 },
    },
    version: {
      description:
        'The version tag: `auto` (the next `v<N>` after the highest `v<N>` already there) or an explicit tag (`1.2.0`, `v7`, any valid OCI tag). Versions are immutable: the same version with other content fails; the same content again is a no-op that says so.',
      default: 'auto',
      schema: { type: 'string', pattern: '^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$' },
    },
    aliases: {
      description:
        'Movable aliases to point at this version, one per line (e.g. `staging`, `champion`). Each move is recorded in the registry (an alias-event referrer), so `mlops registry rollback` works from any machine.',
      format: 'lines',
      schema: { type: 'array', items: { type: 'string', pattern: '^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$' } },
    },
    'metrics-file': lineageFile('Metrics JSON (name → number) to attach; its numbers also become annotations on the referrer.'),
    manifest: lineageFile("train's run manifest (`manifest.json`) to attach as lineage."),
    profile: lineageFile("validate-data's profile JSON to attach: the drift reference for serving and monitoring."),
    evaluation: lineageFile(
      "evaluate's JSON report (`report-json`) to attach; its verdict and headline metrics become annotations on the referrer.",
    ),
    predictions: lineageFile(
      'Held-out predictions (the file evaluate read) to attach, so a later evaluate can compare against this model paired, row by row.',
    ),
    'require-verdict': {
      description:
        "Refuse to register (and to move any alias) unless `evaluation`'s verdict is this one (e.g. `pass`). Needs `evaluation`.",
      schema: { type: 'string', enum: ['pass', 'inconclusive', 'fail'] },
    },
    format: {
      description:
        'The model format (`onnx`, `pt`, `safetensors`, `joblib`, …) written to the ModelPack config; detected from the file names when empty.',
      schema: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._+-]+$' },
    },
    attest: {
      description:
        "Sign a build-provenance attestation (SLSA v1, in-toto, Sigstore) of the model manifest's digest, store it with GitHub's artifact attestations and push its Sigstore bundle as a referrer of the model, so it travels with the model (`cosign`, `oras discover`, `gh attestation verify`). Needs a GitHub Actions job with `permissions: { id-token: write, attestations: write }`; fails (registering nothing) anywhere else.",
      default: 'false',
      schema: { type: 'boolean' },
    },
    'github-token': {
      description:
        'Token for ghcr.io (with `packages: write`) when no password is given, and for storing the attestation (`attestations: write`) with `attest`.',
      default: '${{ github.token }}',
      schema: { type: 'string' },
    },
    'working-directory': workingDirectoryInput(),
  },
  outputs: {
    version: { description: 'The version registered (or found already registered with the same content).' },
    digest: { description: "The model manifest's digest (`sha256:…`)." },
    reference: { description: '`<registry>/<name>@sha256:…`: the immutable reference deploy and evaluate take.' },
    aliases: { description: 'JSON array of the aliases now pointing at this version.' },
    previous: { description: 'JSON object: alias → the digest it pointed at before this run (null when it is new).' },
    'attestation-id': { description: 'With `attest`: the id of the attestation GitHub stored (empty when GitHub gave none).' },
    'attestation-url': { description: "With `attest`: the attestation's page on GitHub." },
    'attestation-referrer': {
      description: "With `attest`: the digest of the Sigstore bundle's referrer manifest, beside the model in the registry.",
    },
  },
});

export type RegisterInputs = InputsOf<typeof registerSpec>;
