// A workflow file read by GitHub's own parser (@actions/workflow-parser): validated against GitHub's
// workflow schema, `if:` conditions given their implicit success(), step ids filled in. The parser's
// model leaves out what only the runner needs (a step's `with`, `shell`, `working-directory`; a job's
// `defaults`, `services`), and its format() for a block scalar (`run: |`) is built from the YAML source,
// indentation and all (it serves the language service's positions), so each job and step also keeps its
// plain YAML values, whose `${{ }}` are evaluated as the runner evaluates a template string.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import type { EventsConfig, Job, ReusableWorkflowJob, Step } from '@actions/workflow-parser/model/workflow-template';
import { InputError } from '../errors.js';

/** A mapping's plain YAML values by key. */
export type RawMapping = Map<string, unknown>;

function rawMapping(value: unknown): RawMapping {
  return new Map(value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : []);
}

export interface StepPlan {
  /** The step's id (`__run`, `__actions_checkout`… when the file gives none). */
  id: string;
  /** The condition, its implicit success() included. */
  if: string;
  uses?: string;
  /** The script, as YAML gives it (its `${{ }}` not yet evaluated). */
  run?: string;
  raw: RawMapping;
}

export interface JobPlan {
  id: string;
  needs: string[];
  if: string;
  /** `uses:` of a job that calls a reusable workflow. */
  uses?: string;
  steps: StepPlan[];
  raw: RawMapping;
}

export interface WorkflowPlan {
  /** The file, as given. */
  file: string;
  name?: string;
  events: EventsConfig;
  raw: RawMapping;
  jobs: JobPlan[];
}

/** `file:line: message` for each problem GitHub's parser found; the file relative to the working directory. */
function describeErrors(file: string, errors: { rawMessage: string; range?: { start: { line: number } } }[]): string {
  return errors
    .map((e) => {
      // The raw message has no file prefix; a YAML error's own position and excerpt are left out (the line is given).
      const message = e.rawMessage.replace(/\s+at line \d+, column \d+:[^]*$/, '');
      return `${file}${e.range ? `:${e.range.start.line}` : ''}: ${message}`;
    })
    .join('\n');
}

/** Reads and checks the workflow at `path`; InputError naming the file (as `file` says it) and line of each problem GitHub's parser reports. */
export async function loadWorkflow(path: string, content?: string, file = path): Promise<WorkflowPlan> {
  const text =
    content ??
    (await readFile(path, 'utf8').catch(() => {
      throw new InputError(`the workflow ${file} does not exist or cannot be read`, { file });
    }));
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  const parseErrors = parsed.context.errors.getErrors();
  if (parseErrors.length || !parsed.value)
    throw new InputError(`${file} is not a valid workflow:\n${describeErrors(file, parseErrors)}`, { file });
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const convertErrors = parsed.context.errors.getErrors();
  if (convertErrors.length || template.errors?.length)
    throw new InputError(
      `${file} is not a valid workflow:\n${convertErrors.length ? describeErrors(file, convertErrors) : template.errors!.map((e) => e.Message).join('\n')}`,
      { file },
    );
  const root = rawMapping(parse(text, { merge: true }));
  const rawJobs = rawMapping(root.get('jobs'));
  const jobs = template.jobs.map((job): JobPlan => {
    const raw = rawMapping(rawJobs.get(job.id.value));
    const plan: JobPlan = {
      id: job.id.value,
      needs: (job.needs ?? []).map((n) => n.value),
      if: job.if.expression,
      steps: [],
      raw,
    };
    if (job.type === 'reusableWorkflowJob') plan.uses = (job as ReusableWorkflowJob).ref.value;
    else {
      const rawSteps = raw.get('steps') as unknown[];
      plan.steps = (job as Job).steps.map((step: Step, index): StepPlan => {
        const stepRaw = rawMapping(rawSteps[index]);
        const condition = 'if' in step && step.if ? step.if.expression : 'success()';
        const planned: StepPlan = { id: step.id, if: condition, raw: stepRaw };
        if ('uses' in step) planned.uses = step.uses.value;
        if ('run' in step) planned.run = String(stepRaw.get('run'));
        return planned;
      });
      if (plan.steps.some((s) => s.uses === undefined && s.run === undefined))
        throw new InputError(
          `${file}: job ${plan.id} has a step that neither runs a command nor uses an action (wait, parallel and cancel steps are not supported)`,
          { file },
        );
    }
    return plan;
  });
  const name = root.get('name');
  return { file, name: typeof name === 'string' ? name : undefined, events: template.events, raw: root, jobs };
}
