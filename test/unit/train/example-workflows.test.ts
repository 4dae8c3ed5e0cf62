// Parses the example repositories' workflows and checks that every step using one of our stage
// actions passes only inputs that stage declares, and every input it requires.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loopSpec } from '../../../shared/schemas/loop.js';
import { stages } from '../../../shared/stages.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'workflows-examples');
// The stage actions, and the root action (the whole loop), read as `loop`.
const specs = new Map([...stages.map(({ spec }) => [spec.name, spec] as const), ['loop', loopSpec] as const]);

interface Step {
  uses?: string;
  id?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps?: Step[]; uses?: string; strategy?: { matrix?: Record<string, unknown> } }>;
}

const workflows = readdirSync(examples).flatMap((example) => {
  const dir = join(examples, example, '.github', 'workflows');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => [`${example}/${f}`, join(dir, f)] as const)
    : [];
});

describe('example workflows', () => {
  it('include the penguins loop and a matrix sweep', () => {
    expect(workflows.map(([name]) => name)).toEqual(expect.arrayContaining(['penguins-node/ml.yml', 'penguins-node/sweep.yml']));
  });

  it.each(workflows)('%s passes only declared inputs to our stage actions', (_, path) => {
    const workflow = parse(readFileSync(path, 'utf8')) as Workflow;
    let checked = 0;
    for (const job of Object.values(workflow.jobs)) {
      // A job that calls the reusable workflow (its inputs are checked in test/unit/workflows).
      if (/^mlops-actions\/mlops-actions\/\.github\/workflows\//.test(job.uses ?? '')) checked++;
      for (const step of job.steps ?? []) {
        const match = /^mlops-actions\/mlops-actions(?:\/actions\/([a-z-]+))?@/.exec(step.uses ?? '');
        if (!match) continue;
        const spec = specs.get(match[1] ?? 'loop');
        expect({ uses: step.uses, known: spec !== undefined }).toEqual({ uses: step.uses, known: true });
        const given = Object.keys(step.with ?? {});
        expect({ uses: step.uses, undeclared: given.filter((input) => !(input in spec!.inputs)) }).toEqual({
          uses: step.uses,
          undeclared: [],
        });
        const required = Object.entries(spec!.inputs)
          .filter(([, input]) => input.required && input.default === undefined)
          .map(([name]) => name);
        expect({ uses: step.uses, missing: required.filter((name) => !given.includes(name)) }).toEqual({ uses: step.uses, missing: [] });
        checked++;
      }
    }
    // The fork-safe comment job posts a downloaded report and runs nothing else, ours included.
    if (path.endsWith('pr-evaluation-comment.yml')) expect(checked).toBe(0);
    else expect(checked).toBeGreaterThan(0);
  });

  it('ml.yml runs on push, pull request and schedule, training with the data fingerprint of validate-data', () => {
    const workflow = parse(readFileSync(join(examples, 'penguins-node', '.github', 'workflows', 'ml.yml'), 'utf8')) as Workflow;
    expect(Object.keys(workflow.on as object)).toEqual(expect.arrayContaining(['push', 'pull_request', 'schedule']));
    const steps = workflow.jobs.train!.steps!;
    const data = steps.find((s) => s.uses?.includes('/actions/validate-data@'))!;
    const train = steps.find((s) => s.uses?.includes('/actions/train@'))!;
    expect(steps.indexOf(data)).toBeLessThan(steps.indexOf(train));
    expect(train.with!['data-fingerprint']).toBe(`\${{ steps.${data.id}.outputs.fingerprint }}`);
    expect(train.with!['artifact-name']).toBeTruthy();
  });

  it('sweep.yml gives each matrix entry its own params, run name and artifact', () => {
    const workflow = parse(readFileSync(join(examples, 'penguins-node', '.github', 'workflows', 'sweep.yml'), 'utf8')) as Workflow;
    const job = Object.values(workflow.jobs)[0]!;
    const axes = Object.keys(job.strategy!.matrix!);
    const train = job.steps!.find((s) => s.uses?.includes('/actions/train@'))!;
    for (const input of ['params', 'run-name', 'artifact-name']) {
      for (const axis of axes) expect(String(train.with![input])).toContain(`\${{ matrix.${axis} }}`);
    }
    // Once the matrix values are filled in, params is a YAML mapping.
    const filled = String(train.with!.params).replace(/\$\{\{ matrix\.\w+ \}\}/g, '0.5');
    expect(parse(filled)).toEqual({ learning_rate: 0.5, l2: 0.5, epochs: 300 });
  });
});
