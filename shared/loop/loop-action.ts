// The root action's program (dist/loop.js): `mlops run` inside a job. Each stage runs through the
// runner's runtime (summary, annotations, Actions cache and artifacts), with its inputs from mlops.yml;
// the step's outputs are the loop's.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, ServiceError } from '../errors.js';
import { GitHubRuntime } from '../runtime/github.js';
import { loopSpec, type LoopInputs } from '../schemas/loop.js';
import { readInputs } from '../schemas/inputs.js';
import { runStage } from '../stage.js';
import { LOOP_EVENTS, readLoopConfig, type LoopEvent } from './loop-config.js';
import { planLoop, renderPlan } from './loop-plan.js';
import { writeLoopReport } from './loop-report.js';
import { gatherLoopFacts, runLoop, type LoopHost } from './run-loop.js';

/** Runs the loop for the job's event; fails the step (one error annotation) when a step of the loop failed. */
export async function runLoopAction(): Promise<void> {
  const root = new GitHubRuntime();
  // MLOPS_RUN_ID names the loop across the jobs of one workflow run (the reusable workflow sets it).
  const runId = process.env.MLOPS_RUN_ID || root.runId;
  try {
    const inputs = await readInputs<LoopInputs>(loopSpec, (name) => root.input(name));
    const event = (inputs.event ?? process.env.GITHUB_EVENT_NAME) as LoopEvent;
    if (!LOOP_EVENTS.includes(event))
      throw new InputError(`the event is '${event}': the loop runs on ${LOOP_EVENTS.join(', ')} (set the event input to choose one)`);
    const payloadStage =
      event === 'workflow_dispatch' ? (root.event().payload.inputs as { stage?: unknown } | undefined)?.stage : undefined;
    const from = inputs.from ?? (typeof payloadStage === 'string' && payloadStage ? payloadStage : undefined);
    const configPath = resolve(root.workspace, inputs.config);
    const config = await readLoopConfig(configPath, inputs.config);
    const workspace = dirname(configPath);
    const token = inputs['github-token'];
    const host: LoopHost = {
      workspace,
      stateDir: root.stateDir,
      env: process.env,
      log: (line) => root.info(line),
      now: () => new Date(),
      runStage: async (entry, stageInputs, folder) => {
        const given = { ...stageInputs };
        if ('github-token' in entry.spec.inputs && given['github-token'] === undefined && token) given['github-token'] = token;
        if (inputs.comment === 'never' && 'comment' in entry.spec.inputs) given.comment = 'never';
        const runtime = new GitHubRuntime({ inputs: given, workspace, stateDir: root.stateDir, runId });
        // Each stage's summary also goes into its folder of the run, where the loop's report (loop.md, the pull request's comment) reads it.
        const summaryFile = join(root.stateDir, 'runs', runId, folder, 'summary.md');
        const summary = runtime.summary.bind(runtime);
        runtime.summary = async (markdown, fullReportAt) => {
          await mkdir(dirname(summaryFile), { recursive: true });
          await appendFile(summaryFile, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
          return summary(markdown, fullReportAt);
        };
        // Not in a group of its own: the stage opens its groups (train's output), which GitHub does not nest.
        const ok = await runStage(entry.spec, await entry.load(), runtime);
        return {
          ok,
          outputs: { ...runtime.outputs },
          folder: join(root.stateDir, 'runs', runId, folder),
          ...(runtime.failed ? { failure: runtime.failed } : {}),
        };
      },
    };
    const request = { event, ...(from ? { from } : {}), ...(inputs.to ? { to: inputs.to } : {}) };
    if (inputs.dry) {
      const plan = planLoop(config, request, await gatherLoopFacts(config, host, { trainCache: true }));
      root.info(renderPlan(plan, `mlops run --event ${event}${from ? ` --from ${from}` : ''} --dry (${inputs.config})`));
      root.setOutput('passed', 'true');
      root.setOutput('steps', JSON.stringify(plan.map((s) => ({ step: s.step, status: s.action, why: s.why }))));
      return;
    }
    const result = await runLoop(config, request, host);
    const report = await writeLoopReport(result, request, {
      runId,
      configFile: inputs.config,
      runDir: join(root.stateDir, 'runs', runId),
    });
    root.setOutput('passed', String(result.ok));
    root.setOutput('promoted', result.promoted?.version ?? '');
    root.setOutput('report', report);
    root.setOutput('steps', JSON.stringify(result.steps.map(({ step, status, why }) => ({ step, status, why }))));
    if (!result.ok)
      root.fail(
        `mlops loop (${event}): ${result.steps.find((s) => s.status === 'failed')?.step ?? 'a step'} failed; the report is ${report}`,
      );
  } catch (error) {
    if (error instanceof InputError) root.fail(error.message, { ...error.at, title: 'mlops loop: invalid input' });
    else if (error instanceof ServiceError) root.fail(error.message);
    else throw error;
  }
}
