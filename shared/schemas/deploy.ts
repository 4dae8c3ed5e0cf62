import { defineAction, type InputsOf, workingDirectoryInput } from './action-spec.js';

const positiveInteger = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;

export const deploySpec = defineAction({
  name: 'deploy',
  title: 'mlops deploy',
  description:
    'Deploy a registered model: as a local background process, to a Docker Engine (blue-green and canary behind HAProxy) or to a Swarm service, with a preflight (the model loads and answers), a smoke test, a GitHub Deployment and automatic rollback: on any failure the version that served before keeps serving.',
  inputs: {
    model: {
      description:
        'The model to deploy: `<registry>/<name>@<alias|version|sha256:…>` (e.g. `.mlops/registry/penguins@production`, `oci://ghcr.io/acme/penguins@v3`), pulled and verified against its digests; registry credentials from the MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD environment variables (for ghcr.io, else `github-token`).',
      required: true,
      schema: { type: 'string', minLength: 1 },
    },
    target: {
      description:
        'Where it runs: `process` (the serving runtime as a background process on this machine, behind a local proxy on `port`: laptops and demos), `docker` (one Docker Engine: `docker-host` or `DOCKER_HOST`), or `swarm` (a Swarm service with `replicas`).',
      default: 'process',
      schema: { type: 'string', enum: ['process', 'docker', 'swarm'] },
    },
    strategy: {
      description:
        '`recreate` (stop the old version, then start the new one: a gap in service), `blue-green` (start the new one beside the old one, check it, then move all traffic at once; the old one drains and stops) or `canary` (the new one takes `canary-weight` per cent of traffic; deploy the same model again with `blue-green` to finish, or `mlops deploy rollback`).',
      default: 'blue-green',
      schema: { type: 'string', enum: ['recreate', 'blue-green', 'canary'] },
    },
    'canary-weight': {
      description: 'Per cent of new connections (process) or requests (docker) sent to the canary.',
      default: '10',
      schema: positiveInteger(1, 99),
    },
    'docker-host': {
      description:
        'The Docker Engine (`unix:///var/run/docker.sock`, `tcp://host:2376` with TLS, `ssh://user@host`); default `DOCKER_HOST`.',
      schema: { type: 'string', minLength: 1 },
    },
    'base-image': {
      description:
        'docker and swarm: the image the serving image is built on (it must hold Node 24); never pulled by the deploy, so it must be on the engine or in a registry the engine can read.',
      schema: { type: 'string', minLength: 1 },
    },
    'router-image': {
      description: 'docker: the HAProxy image of the router in front of the versions (e.g. `haproxy:3.0`).',
      schema: { type: 'string', minLength: 1 },
    },
    'push-image': {
      description:
        'docker and swarm: push the serving image to this repository (e.g. `ghcr.io/acme/penguins-serving`), tagged with the model digest; credentials from the MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD environment variables (else an anonymous push). A failed push stops the deploy before anything starts.',
      schema: { type: 'string', minLength: 1 },
    },
    replicas: {
      description: 'swarm: how many replicas of the service.',
      default: '1',
      schema: positiveInteger(1, 1000),
    },
    'update-parallelism': {
      description: 'swarm: how many replicas are updated at once.',
      default: '1',
      schema: positiveInteger(1, 1000),
    },
    'update-delay': {
      description: 'swarm: seconds between updating one batch of replicas and the next.',
      default: '5',
      schema: { type: 'number', minimum: 0, maximum: 3600 },
    },
    'update-monitor': {
      description:
        'swarm: seconds after each batch of replicas during which a task that fails or turns unhealthy makes Swarm roll the whole update back.',
      default: '10',
      schema: { type: 'number', minimum: 0, maximum: 3600 },
    },
    'max-loading-seconds': {
      description: 'Preflight: the new version must load its model and report ready within this many seconds, per try.',
      default: '60',
      schema: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    },
    tries: {
      description: 'Preflight: how many times the new version is started before the deployment gives up.',
      default: '2',
      schema: positiveInteger(1, 10),
    },
    'smoke-test': {
      description:
        'A JSONL file, one case per line: `{"request": {…}, "expected": {…}, "tolerance": 0.001, "path": "/invocations"}`. The request is sent to the new version before it takes traffic; the answer must equal `expected` (numbers within `tolerance`, absolute, default 0: exact). A mismatch fails the deployment and the old version keeps serving. Relative to `working-directory`.',
      schema: { type: 'string', minLength: 1 },
    },
    environment: {
      description: 'The GitHub environment the deployment is recorded in (GitHub Deployments), e.g. `staging` or `production`.',
      default: 'production',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    'github-token': {
      description: 'Token for GitHub Deployments (`deployments: write`) and for pulling from ghcr.io.',
      default: '${{ github.token }}',
      schema: { type: 'string' },
    },
    'github-deployment': {
      description:
        "Record a GitHub Deployment with statuses (in progress, then success or failure, with the serving URL and this run's log). `false` when the job's `environment:` already creates one.",
      default: 'true',
      schema: { type: 'boolean' },
    },
    port: {
      description: 'The stable port users call (process: the local proxy; docker: the router), on 127.0.0.1 for process.',
      default: '8080',
      schema: positiveInteger(1, 65535),
    },
    'working-directory': workingDirectoryInput(),
  },
  outputs: {
    url: { description: 'The stable address that serves the model now.' },
    image: { description: 'docker and swarm: the serving image (empty for process).' },
    'container-id': { description: 'docker: the new container; process: the pid of the new serving process.' },
    'service-id': { description: 'swarm: the service.' },
    previous: { description: 'JSON object of what served before (`digest`, `version`, `id`), or `null` when nothing did.' },
    'deployment-id': { description: 'The GitHub Deployment id (empty when none was created).' },
    blessed: { description: "`true` when the new version passed preflight (TFX InfraValidator's blessing), else `false`." },
  },
});

export type DeployInputs = InputsOf<typeof deploySpec>;
