// Every workflow a user may copy — each YAML block of README.md and each file in
// workflows-examples/*/.github/workflows/ — must run as written: it parses; each step using one of our
// actions references a ref that resolves, passes only inputs that stage declares and every input it
// requires, and reads only outputs that stage writes from an earlier step; `mlops` runs only after a step
// that installs it; an upload of our outputs (under the hidden .mlops/) sets include-hidden-files.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loopSpec } from '../../../shared/schemas/loop.js';
import { stages } from '../../../shared/stages.js';

const root = join(import.meta.dirname, '..', '..', '..');
const specs = new Map([...stages.map(({ spec }) => [spec.name, spec] as const), ['loop', loopSpec] as const]);
// A stage action, or the root action (the whole loop, `mlops-actions/mlops-actions@ref`), read as stage `loop`.
const OUR_ACTION = /^mlops-actions\/mlops-actions(?:\/actions\/([a-z-]+))?@(.+)$/;
const REUSABLE = /^mlops-actions\/mlops-actions\/\.github\/workflows\/([\w.-]+)@(.+)$/;

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  with?: Record<string, unknown>;
}

/** Every ```yaml block of a Markdown text, with the line it starts on. */
function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ line: start + 1, text: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The step lists of a parsed block: each job's steps for a workflow, the list itself for a fragment of steps; none otherwise. */
function stepLists(document: unknown): Step[][] {
  if (Array.isArray(document)) return document.every((s) => typeof s === 'object' && s && ('uses' in s || 'run' in s)) ? [document] : [];
  if (typeof document === 'object' && document !== null && 'jobs' in document) {
    return Object.values((document as { jobs: Record<string, { steps?: Step[] }> }).jobs).map((job) => job.steps ?? []);
  }
  return [];
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = join(root, 'workflows-examples');
const sources: [string, string][] = [
  ...yamlBlocks(readme).map(({ line, text }) => [`README.md:${line}`, text] as [string, string]),
  ...readdirSync(examples).flatMap((example) => {
    const dir = join(examples, example, '.github', 'workflows');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => [`workflows-examples/${example}/.github/workflows/${f}`, readFileSync(join(dir, f), 'utf8')] as [string, string])
      : [];
  }),
];
const reusableDir = join(root, '.github', 'workflows');
for (const f of readdirSync(reusableDir).filter((f) => /\.ya?ml$/.test(f)))
  sources.push([`.github/workflows/${f}`, readFileSync(join(reusableDir, f), 'utf8')]);
const workflows = sources.map(([name, text]) => [name, stepLists(parse(text))] as const).filter(([, lists]) => lists.length > 0);

/** Why a list of steps would not run as written, one line per problem. */
function problems(steps: Step[]): string[] {
  const found: string[] = [];
  const stageOf = new Map<string, string>();
  let installed = false;
  for (const [index, step] of steps.entries()) {
    const where = `step ${index + 1}${step.id ? ` (${step.id})` : ''}`;
    const text = JSON.stringify(step);
    // Outputs read from an earlier step of ours must be outputs that stage writes.
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const stage = stageOf.get(id!);
      if (stage && !(output! in specs.get(stage)!.outputs))
        found.push(`${where} reads ${id}.outputs.${output}, which ${stage} does not write`);
      if (!stage && !steps.slice(0, index).some((s) => s.id === id)) found.push(`${where} reads the outputs of ${id}, no earlier step`);
    }
    const ours = OUR_ACTION.exec(step.uses ?? '');
    if (ours) {
      const [, stage, ref] = ours;
      const name = stage ?? 'loop';
      const spec = specs.get(name!);
      if (!spec) {
        found.push(`${where} uses ${step.uses}: there is no stage ${name}`);
        continue;
      }
      // No release tag exists yet: main, or a full commit SHA.
      if (ref !== 'main' && !/^[0-9a-f]{40}$/.test(ref!)) found.push(`${where} uses ${step.uses}: ref ${ref} does not resolve`);
      const given = Object.keys(step.with ?? {});
      for (const input of given.filter((i) => !(i in spec.inputs))) found.push(`${where}: ${name} has no input ${input}`);
      for (const [input, declared] of Object.entries(spec.inputs)) {
        if (declared.required && declared.default === undefined && !given.includes(input))
          found.push(`${where}: ${name} requires ${input}`);
      }
      if (step.id) stageOf.set(step.id, name!);
    }
    if (step.run) {
      if (/\bnpm (ci|install|i)\b/.test(step.run)) installed = true;
      else if (/(^|[\s;&|(])(npx )?mlops\s/m.test(step.run) && !installed) found.push(`${where} runs mlops before any step installs it`);
    }
    if (/^actions\/upload-artifact@/.test(step.uses ?? '')) {
      const path = String(step.with?.path ?? '');
      const ourOutput = [...path.matchAll(/steps\.([\w-]+)\.outputs/g)].some(([, id]) => stageOf.has(id!));
      if ((ourOutput || path.includes('.mlops')) && step.with?.['include-hidden-files'] !== true) {
        found.push(`${where} uploads ${path}, under the hidden .mlops/, without include-hidden-files: true`);
      }
    }
  }
  return found;
}

describe('workflows in README.md and workflows-examples/', () => {
  it('are all found: the README blocks with steps and every example workflow', () => {
    const names = workflows.map(([name]) => name);
    expect(names.filter((n) => n.startsWith('README.md:')).length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual(
      expect.arrayContaining([
        'workflows-examples/penguins-node/.github/workflows/ml.yml',
        'workflows-examples/penguins-node/.github/workflows/sweep.yml',
      ]),
    );
  });

  it('all parse as YAML, workflows or not', () => {
    for (const [name, text] of sources) expect({ name, parses: (() => (parse(text), true))() }).toEqual({ name, parses: true });
  });

  it.each(workflows)('%s runs as written', (_, lists) => {
    expect(lists.flatMap(problems)).toEqual([]);
  });

  it('catch what the README got wrong before: mlops with no install, a hidden upload, a tag that does not exist', () => {
    const broken = parse(`
- uses: mlops-actions/mlops-actions/actions/validate-data@v0
  id: shard
  with: { data: data.csv, colour: blue }
- uses: actions/upload-artifact@v4
  with: { name: profile, path: '\${{ steps.shard.outputs.profile }}' }
- run: npx mlops profile merge a.json b.json > profile.json
- run: echo '\${{ steps.shard.outputs.fingerprints }}'
`) as Step[];
    expect(problems(broken)).toEqual([
      'step 1 (shard) uses mlops-actions/mlops-actions/actions/validate-data@v0: ref v0 does not resolve',
      'step 1 (shard): validate-data has no input colour',
      'step 2 uploads ${{ steps.shard.outputs.profile }}, under the hidden .mlops/, without include-hidden-files: true',
      'step 3 runs mlops before any step installs it',
      'step 4 reads shard.outputs.fingerprints, which validate-data does not write',
    ]);
  });

  it('call the reusable workflow only with inputs it declares, at a ref that resolves', () => {
    const calls = sources.flatMap(([name, text]) => {
      const document = parse(text) as { jobs?: Record<string, { uses?: string; with?: Record<string, unknown> }> } | null;
      return Object.entries(document?.jobs ?? {})
        .filter(([, job]) => typeof job.uses === 'string' && REUSABLE.test(job.uses))
        .map(([job, { uses, with: given }]) => ({ where: `${name} job ${job}`, uses: uses!, given: Object.keys(given ?? {}) }));
    });
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const { where, uses, given } of calls) {
      const [, file, ref] = REUSABLE.exec(uses)!;
      const called = parse(readFileSync(join(root, '.github', 'workflows', file!), 'utf8')) as {
        on: { workflow_call: { inputs: Record<string, unknown> } };
      };
      const declared = Object.keys(called.on.workflow_call.inputs);
      expect({ where, ref, unknown: given.filter((i) => !declared.includes(i)) }).toEqual({ where, ref: 'main', unknown: [] });
    }
  });

  it('the reusable workflow: one job per step of the loop, each with its own least permissions; a GPU runner for train; deploys never race; promotion waits for production', () => {
    const workflow = parse(readFileSync(join(reusableDir, 'mlops.yml'), 'utf8')) as {
      permissions: unknown;
      jobs: Record<
        string,
        { 'runs-on': string; permissions: Record<string, string>; concurrency?: { group: string }; environment?: string; steps: Step[] }
      >;
    };
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.jobs)).toEqual([...stages.map((s) => s.spec.name), 'promote']);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const loop = job.steps.find((s) => s.uses === 'mlops-actions/mlops-actions@main')!;
      expect({ name, from: loop.with?.from, to: loop.with?.to }).toEqual({ name, from: name, to: name });
      expect(job.permissions.contents).toBe('read');
      expect(Object.values(job.permissions).filter((p) => p === 'write').length).toBeLessThanOrEqual(2);
    }
    expect(workflow.jobs.train!['runs-on']).toBe('${{ fromJSON(inputs.train-runs-on) }}');
    expect(workflow.jobs['validate-data']!.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.deploy!.concurrency?.group).toBe(workflow.jobs.promote!.concurrency?.group);
    expect(workflow.jobs.promote!.environment).toBe('${{ inputs.production-environment }}');
  });

  it("every example project has the loop's workflows: push, pull request (fork-safe, in two parts) and schedule", () => {
    for (const example of ['penguins-node', 'digits-torch']) {
      const files = readdirSync(join(examples, example, '.github', 'workflows'));
      expect(files).toEqual(expect.arrayContaining(['ml-pipeline.yml', 'pr-evaluation.yml', 'pr-evaluation-comment.yml', 'retrain.yml']));
      const read = (f: string): Record<string, unknown> =>
        parse(readFileSync(join(examples, example, '.github', 'workflows', f), 'utf8')) as Record<string, unknown>;
      // The job that runs the pull request's code can write nothing; the one that can write runs none of it.
      expect(read('pr-evaluation.yml').permissions).toEqual({ contents: 'read' });
      const comment = read('pr-evaluation-comment.yml') as { on: unknown; jobs: { comment: { steps: Step[]; permissions: unknown } } };
      expect(comment.on).toEqual({ workflow_run: { workflows: ['pr-evaluation'], types: ['completed'] } });
      expect(comment.jobs.comment.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
      expect(comment.jobs.comment.steps.some((s) => /checkout/.test(s.uses ?? ''))).toBe(false);
      expect(JSON.stringify(comment.jobs.comment.steps)).toContain('.head.sha');
      expect(Object.keys((read('retrain.yml') as { on: object }).on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    }
  });

  it('the README shows the pull-request workflow exactly as workflows-examples/penguins-node has it', () => {
    const ml = readFileSync(join(examples, 'penguins-node', '.github', 'workflows', 'ml.yml'), 'utf8').trimEnd();
    expect(yamlBlocks(readme).map((b) => b.text)).toContain(ml);
    expect(ml).toContain('pull-requests: write');
  });
});
