// What `mlops run` will do for an event, stage by stage, decided from mlops.yml and a few facts (is
// there a production model, how old is it, is train's fingerprint in the cache) before anything runs.
// `--dry` prints this plan; the run follows it and settles at run time what the plan leaves open (drift).
import { PROMOTE_STEP, type LoopConfig, type LoopEvent } from './loop-config.js';

/** What happens to one step: it runs, train is restored from the cache, it is skipped, or the loop decides (promote). */
export type StepAction = 'run' | 'cached' | 'skip' | 'when';

export interface PlannedStep {
  /** A stage's name, or `promote`. */
  step: string;
  action: StepAction;
  /** Why, in a few words: the gate or event that decides. */
  why: string;
  /** The gates that decide whether the loop goes on after this step. */
  gates: string[];
}

/** The production model, as the registry has it. */
export interface ProductionFacts {
  reference: string;
  digest: string;
  version?: string;
  /** When it was trained (its registered run manifest), if known: max-model-age counts from here. */
  trainedAt?: Date;
  /** It carries a data profile: the drift reference of a scheduled run. */
  hasProfile: boolean;
}

/** What the plan depends on besides mlops.yml; gathered by gatherLoopFacts, given directly in tests. */
export interface LoopFacts {
  now: Date;
  /** The stages this build has (shared/stages.ts), in the loop's order. */
  installed: string[];
  /** `<registry>/<name>` of the model (the reference without `@…`). */
  modelRepository?: string;
  production?: ProductionFacts;
  /** train's key now, and whether the cache holds it; or why it could not be computed. */
  trainCache?: { fingerprint: string; hit: boolean; where: string } | { problem: string };
}

/** What the event asks: which event, from which stage on, with which dispatch inputs. */
export interface LoopRequest {
  event: LoopEvent;
  /** `--from STAGE` (or workflow_dispatch's `stage` input): the steps before it are skipped. */
  from?: string;
  /** `--to STAGE`: the steps after it are skipped (`--from train --to train` runs train alone, as a job of the reusable workflow). */
  to?: string;
}

/** The steps each event runs by default; `loop.events` in mlops.yml narrows them. */
function defaultSteps(event: LoopEvent, installed: string[]): string[] {
  if (event === 'pull_request') return installed.filter((s) => ['validate-data', 'train', 'evaluate'].includes(s));
  return [...installed, PROMOTE_STEP];
}

/** `30d 4h` style, for ages and limits. */
export function formatAge(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  if (days > 0) return `${days} d${hours ? ` ${hours} h` : ''}`;
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  return hours > 0 ? `${hours} h${minutes ? ` ${minutes} min` : ''}` : `${minutes} min`;
}

function gateLines(text: string | undefined): string[] {
  if (!text) return [];
  // A path to a file of rules: named as such (read when evaluate runs).
  if (!text.includes('\n') && !/[<>=]/.test(text)) return [`the rules in ${text}`];
  return text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** Whether a scheduled run retrains, as far as it is known before validate-data runs; undefined when drift decides. */
export function scheduledRetrain(config: LoopConfig, facts: LoopFacts): { retrain: boolean; why: string } | undefined {
  const production = facts.production;
  if (!production) return { retrain: true, why: `no model is ${config.loop.productionAlias} yet` };
  const limit = config.loop.maxModelAgeMs;
  if (limit !== undefined && production.trainedAt) {
    const age = facts.now.getTime() - production.trainedAt.getTime();
    if (age > limit)
      return {
        retrain: true,
        why: `${production.version ?? production.digest} is ${formatAge(age)} old > max-model-age ${config.loop.maxModelAge}`,
      };
  }
  if (!production.hasProfile)
    return { retrain: false, why: `${production.version ?? production.digest} has no data profile to measure drift against` };
  return undefined;
}

/** The gate line of a scheduled run's retraining: drift against production's profile, or the model's age. */
function retrainGate(config: LoopConfig, facts: LoopFacts): string {
  const production = facts.production;
  const age =
    config.loop.maxModelAgeMs !== undefined
      ? ` or ${production?.trainedAt ? `age ${formatAge(facts.now.getTime() - production.trainedAt.getTime())}` : 'age'} > max-model-age ${config.loop.maxModelAge}`
      : '';
  return `dataset drift against ${config.loop.productionAlias}'s profile${age}`;
}

/**
 * The plan of one run: per step whether it runs, is restored from the cache, is skipped, or is decided
 * by a gate when the loop gets there (`when`), and which gates decide. Pure: the facts are given.
 */
export function planLoop(config: LoopConfig, request: LoopRequest, facts: LoopFacts): PlannedStep[] {
  const { event } = request;
  const chosen = config.loop.events[event] ?? defaultSteps(event, facts.installed);
  const all = [...facts.installed, PROMOTE_STEP];
  if (request.from !== undefined && !all.includes(request.from)) throw new Error(`planLoop: unknown step ${request.from}`);
  if (request.to !== undefined && !all.includes(request.to)) throw new Error(`planLoop: unknown step ${request.to}`);
  const fromIndex = request.from === undefined ? 0 : all.indexOf(request.from);
  const toIndex = request.to === undefined ? all.length - 1 : all.indexOf(request.to);
  const { productionAlias, stagingAlias } = config.loop;
  const production = facts.production;
  const schedule = event === 'schedule' ? scheduledRetrain(config, facts) : undefined;
  const steps: PlannedStep[] = [];

  for (const [index, step] of all.entries()) {
    const planned = (action: StepAction, why: string, gates: string[] = []): void => void steps.push({ step, action, why, gates });
    if (!chosen.includes(step)) {
      planned('skip', config.loop.events[event] ? `not in loop.events.${event}` : `${event} runs ${chosen.join(', ')} only`);
      continue;
    }
    if (step !== PROMOTE_STEP && !config.sections.includes(step)) {
      planned('skip', `no ${step} section in ${config.file}`);
      continue;
    }
    if (index < fromIndex) {
      planned('skip', `before --from ${request.from}`);
      continue;
    }
    if (index > toIndex) {
      planned('skip', `after --to ${request.to}`);
      continue;
    }
    const inputs = config.stages[step] ?? {};
    // A scheduled run that already knows it will not retrain stops after validate-data.
    if (event === 'schedule' && schedule && !schedule.retrain && step !== 'validate-data') {
      planned('skip', `no retraining: ${schedule.why}`);
      continue;
    }
    switch (step) {
      case 'validate-data': {
        const against =
          event === 'schedule' && production?.hasProfile ? `, drift against ${production.version ?? production.digest}'s profile` : '';
        planned(
          'run',
          `${inputs.data?.split('\n').join(', ') ?? '(data not set)'}${inputs.schema ? ` against ${inputs.schema}` : ''}${against}`,
          [
            `fail-on ${event === 'schedule' && inputs['fail-on'] === 'drift' ? 'errors (drift decides retraining instead)' : (inputs['fail-on'] ?? 'errors')}`,
          ],
        );
        break;
      }
      case 'train': {
        const when = event === 'schedule' && !schedule ? retrainGate(config, facts) : undefined;
        const cache = facts.trainCache;
        if (inputs.cache === 'false')
          planned(when ? 'when' : 'run', `cache: false${when ? `; retrains on ${when}` : ''}`, when ? [when] : []);
        else if (cache && 'problem' in cache) planned(when ? 'when' : 'run', `fingerprint unknown (${cache.problem})`, when ? [when] : []);
        else if (cache?.hit)
          planned(
            'cached',
            `fingerprint ${cache.fingerprint.slice(0, 19)}… is in ${cache.where}: outputs restored, command not run`,
            when ? [when] : [],
          );
        else
          planned(
            when ? 'when' : 'run',
            cache
              ? `fingerprint ${cache.fingerprint.slice(0, 19)}… not in ${cache.where}: \`${inputs.command ?? '?'}\` runs`
              : `\`${inputs.command ?? '?'}\` runs`,
            when ? [when] : [],
          );
        break;
      }
      case 'evaluate': {
        const baseline = production
          ? `${productionAlias} (${production.version ?? production.digest})`
          : inputs.baseline
            ? `${inputs.baseline} (no ${productionAlias} model yet)`
            : `no baseline (no ${productionAlias} model yet)`;
        // The first version has nothing to be compared with: rules against a baseline are left out (run-loop.ts).
        const gates = gateLines(inputs.gates).filter((g) => production || inputs.baseline || !/\bbaseline\b/.test(g));
        planned('run', `against ${baseline}`, gates.length ? gates : ['no gates: the verdict is pass']);
        break;
      }
      case 'register':
        planned('run', `a new version of ${facts.modelRepository ?? inputs.name ?? '?'}, alias ${stagingAlias}`, [
          `evaluate's verdict${inputs['require-verdict'] ? ` must be ${inputs['require-verdict']}` : ' (a failed evaluate stops the loop before)'}`,
        ]);
        break;
      case 'deploy': {
        // A canary needs a stable version beside it: the first version takes all traffic at once.
        const strategy = (inputs.strategy ?? 'canary') === 'canary' && !production ? 'blue-green' : (inputs.strategy ?? 'canary');
        const weight = strategy === 'canary' ? ` ${inputs['canary-weight'] ?? '10'} %` : '';
        const first = strategy !== (inputs.strategy ?? 'canary') ? ` (no ${productionAlias} model yet to run a canary beside)` : '';
        planned('run', `${strategy}${weight} on ${inputs.target ?? 'process'}${inputs.port ? ` :${inputs.port}` : ''}${first}`, [
          `preflight: ready within ${inputs['max-loading-seconds'] ?? '60'} s, ${inputs.tries ?? '2'} tries`,
          ...(inputs['smoke-test'] ? [`smoke test ${inputs['smoke-test']}`] : []),
        ]);
        break;
      }
      case 'monitor-gate': {
        const canary = production && (config.stages.deploy?.strategy ?? 'canary') === 'canary';
        const against = inputs.stable ?? (canary ? `${productionAlias} (${production.version ?? production.digest})` : undefined);
        const settings = [
          `${inputs.count ?? '5'} measurement(s) every ${inputs.interval ?? '30s'}`,
          ...(inputs['load-test'] ? [`load test ${inputs['load-test']} at ${inputs['load-test-rate'] ?? '5'}/s`] : []),
          `on pass ${inputs['on-pass'] ?? 'promote'}, on fail ${(inputs['on-fail'] ?? 'rollback').split('\n').join(' + ')}`,
        ];
        planned(
          'run',
          `the new version at ${inputs.endpoint ?? "deploy's url"}${against ? ` against stable ${against}` : ''}: ${settings.join(', ')}`,
          gateLines(inputs.rules),
        );
        break;
      }
      case PROMOTE_STEP: {
        const judge =
          facts.installed.includes('monitor-gate') && chosen.includes('monitor-gate') && config.sections.includes('monitor-gate')
            ? "monitor-gate's verdict"
            : "deploy's preflight (monitor-gate not in this run)";
        planned('when', `${productionAlias} → the new version when ${judge} passes, else roll back`, [judge]);
        break;
      }
      default:
        // A stage this planner has no words for: it runs with its mlops.yml inputs.
        planned('run', `with its inputs from ${config.file}`, []);
    }
  }
  return steps;
}

/** The plan as a table for people: one line per step. */
export function renderPlan(steps: PlannedStep[], heading: string): string {
  const width = Math.max(...steps.map((s) => s.step.length));
  const lines = [heading];
  for (const s of steps) {
    lines.push(`  ${s.step.padEnd(width)}  ${s.action.padEnd(6)}  ${s.why}`);
    for (const gate of s.gates) lines.push(`  ${''.padEnd(width)}  ${''.padEnd(6)}    gate: ${gate}`);
  }
  return lines.join('\n');
}
