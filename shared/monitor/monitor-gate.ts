// The monitor-gate stage: resolve what is deployed (and, in a canary, the stable version), run the
// analysis (Argo Rollouts' semantics) over Prometheus or the endpoint's /metrics while an optional load
// test sends traffic, decide (promote, hold, roll back, retrain), act through register's and deploy's
// code, and report: the decision and reasons first.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ColumnDrift } from '../data/drift.js';
import type { ProfileJSON } from '../data/profile.js';
import { InputError, ServiceError } from '../errors.js';
import { parseGateRules } from '../gates/grammar.js';
import type { GitHubAccess, Runtime } from '../runtime/port.js';
import { readFileOrInline } from '../schemas/file-or-inline.js';
import { registryCredentialsFromEnv } from '../registry/env-credentials.js';
import type { MonitorGateInputs } from '../schemas/monitor-gate.js';
import type { StageResult } from '../stage.js';
import { realClock, runAnalysis, type AnalysisClock, type AnalysisOptions } from './analysis.js';
import { promoteModel, rollBackModel } from './deployment-actions.js';
import { parseDuration } from './duration.js';
import { dispatchRetrain, retrainInputs, syncIssue } from './github-actions.js';
import { measureLiveQuality, readLabelSet } from './live-labels.js';
import { parseLoadTest, startLoadTest, type LoadTest, type LoadTestStats } from './load-test.js';
import { checkRules, decideMeasurement, type Measurement, type MeasurementContext } from './measurement.js';
import { EndpointSource, PrometheusSource, type MetricsSource, type VersionSelector } from './metrics-source.js';
import { decidingMeasurement, renderMonitorReport, type Decision, type MonitorReport } from './monitor-report.js';
import { resolveServedModel, type ServedModel } from './served-model.js';

/** The github-token input; undefined when absent or the action.yml default unexpanded. */
function givenToken(inputs: MonitorGateInputs): string | undefined {
  const token = inputs['github-token'];
  return token && !token.startsWith('${{') ? token : undefined;
}

/** The endpoint's live profile and drift of `version` (behind a canary's proxy a request may reach the other version: a few tries). */
async function liveProfile(
  endpoint: string,
  version: string,
  timeoutMs: number,
): Promise<{ inputs: ProfileJSON; drift: ColumnDrift[] } | undefined> {
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const response = await fetch(`${endpoint.replace(/\/+$/, '')}/mlops/profile`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { version?: string; inputs?: ProfileJSON; drift?: ColumnDrift[] };
      if (body.version === version && body.inputs && Array.isArray(body.drift)) return { inputs: body.inputs, drift: body.drift };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Runs monitor-gate; `clock` is injected by tests. */
export async function runMonitorGate(inputs: MonitorGateInputs, runtime: Runtime, clock: AnalysisClock = realClock): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  const prometheusUrl = inputs['prometheus-url'];
  const endpoint = inputs.endpoint;
  if (!prometheusUrl && !endpoint) throw new InputError("give 'prometheus-url' or 'endpoint' (or both): there is nothing to measure");
  const timeoutMs = parseDuration(inputs['request-timeout'], 'request-timeout');
  const intervalMs = parseDuration(inputs.interval, 'interval');
  const initialDelayMs = parseDuration(inputs['initial-delay'], 'initial-delay');
  const windowMs = inputs.window ? parseDuration(inputs.window, 'window') : intervalMs;
  if (intervalMs < 1000)
    throw new InputError(`input 'interval': ${inputs.interval} is under a second; measurements need at least 1s between them`);
  if (timeoutMs <= 0) throw new InputError(`input 'request-timeout': ${inputs['request-timeout']} is not a positive duration`);
  const onFail = new Set(inputs['on-fail']);
  const cooldownMs = parseDuration(inputs.cooldown, 'cooldown');
  if (onFail.has('retrain') && !inputs['retrain-workflow'])
    throw new InputError("input 'on-fail' has retrain: give 'retrain-workflow' (the workflow to dispatch)");

  const rulesSource = await readFileOrInline(inputs.rules, cwd);
  const rules = parseGateRules(rulesSource.text, { dialect: 'monitor', ...(rulesSource.file ? { file: rulesSource.file } : {}) });
  if (rules.length === 0) throw new InputError("input 'rules' holds no rule (only comments or blank lines)");

  const log = (line: string): void => runtime.info(line);
  const fromEnv = registryCredentialsFromEnv(process.env);
  if (fromEnv.password) runtime.mask(fromEnv.password);
  const resolveOptions = { ...fromEnv, ...(givenToken(inputs) ? { githubToken: givenToken(inputs) } : {}), log };
  const model = await resolveServedModel(inputs.model, 'model', cwd, { ...resolveOptions, withProfile: true });
  let stable: ServedModel | undefined;
  if (inputs.stable) {
    stable = await resolveServedModel(inputs.stable, 'stable', cwd, resolveOptions);
    if (stable.served !== model.served || stable.version === model.version)
      throw new InputError(
        `input 'stable': ${inputs.stable} is served as ${stable.served} ${stable.version}, and the model as ${model.served} ${model.version}: a canary and its stable version share a name and differ in version`,
      );
  }
  const candidate: VersionSelector = { model: model.served, version: model.version };
  const stableSelector: VersionSelector | undefined = stable ? { model: stable.served, version: stable.version } : undefined;
  if (Boolean(inputs.labels) !== Boolean(inputs['request-log']))
    throw new InputError(
      `input '${inputs.labels ? 'request-log' : 'labels'}' is missing: delayed labels are joined with the serving runtime's request log, give both`,
    );
  let quality: MeasurementContext['quality'];
  if (inputs.labels && inputs['request-log']) {
    const labels = await readLabelSet(inputs.labels, cwd);
    const logPath = resolve(cwd, inputs['request-log']);
    log(`Labels: ${labels.rows} row(s) from ${inputs.labels}, joined by request id with the request log ${inputs['request-log']}.`);
    quality = () => measureLiveQuality(labels, logPath, candidate);
  }
  const context: MeasurementContext = {
    candidate,
    ...(stableSelector ? { stable: stableSelector } : {}),
    minSamples: inputs['min-samples'],
    prometheus: Boolean(prometheusUrl),
    ...(quality ? { quality } : {}),
  };
  checkRules(rules, context, rulesSource.file);
  const queries = [...new Set(rules.flatMap((r) => (r.query !== undefined ? [r.query] : [])))];
  const source: MetricsSource = prometheusUrl
    ? new PrometheusSource(prometheusUrl, windowMs, timeoutMs)
    : new EndpointSource(endpoint!, timeoutMs);
  const versions = [candidate, ...(stableSelector ? [stableSelector] : [])];
  log(
    `Analysing ${model.served} ${model.version}${stable ? ` against stable ${stable.version}` : ''} from ${source.label}: ${rules.length} rule(s), up to ${inputs.count} measurement(s) every ${inputs.interval}.`,
  );

  let loadTest: LoadTest | undefined;
  if (inputs['load-test']) {
    if (!endpoint) throw new InputError("input 'load-test' needs 'endpoint': the requests are sent there");
    const path = resolve(cwd, inputs['load-test']);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new InputError(`input 'load-test': ${inputs['load-test']} does not exist (looked in ${cwd})`);
    });
    const requests = parseLoadTest(text, relative(cwd, path) || path, model.served);
    loadTest = startLoadTest(endpoint, requests, {
      rate: inputs['load-test-rate'],
      maxRequests: inputs['load-test-max-requests'],
      timeoutMs,
    });
    log(`Load test: ${requests.length} request(s) from ${inputs['load-test']}, sent to ${endpoint} at ${inputs['load-test-rate']}/s.`);
  }

  const options: AnalysisOptions = {
    initialDelayMs,
    intervalMs,
    count: inputs.count,
    failureLimit: inputs['failure-limit'],
    inconclusiveLimit: inputs['inconclusive-limit'],
    consecutiveErrorLimit: inputs['consecutive-error-limit'],
    consecutiveSuccessLimit: inputs['consecutive-success-limit'],
  };
  let loadStats: LoadTestStats | undefined;
  let analysis;
  try {
    // The endpoint counts by difference: its first scrape, one interval before the first measurement, is the zero.
    let started = source instanceof PrometheusSource;
    if (!started) {
      if (initialDelayMs > 0) await clock.sleep(initialDelayMs);
      options.initialDelayMs = intervalMs;
      await source.start(versions).then(
        () => (started = true),
        (error: unknown) => {
          if (!(error instanceof ServiceError)) throw error;
          log(`The first scrape failed (${error.message}); measurements retry it.`);
        },
      );
    }
    analysis = await runAnalysis<Measurement>(
      options,
      async (index) => {
        if (!started) {
          await source.start(versions);
          started = true;
          throw new ServiceError(source.label, 'only now answered its first scrape: counting starts from it');
        }
        const readings = await source.read(versions, queries);
        return decideMeasurement(index, new Date(clock.now()), rules, readings, context);
      },
      clock,
      log,
    );
  } finally {
    loadStats = await loadTest?.stop();
  }
  if (loadStats) log(`Load test: ${loadStats.sent} request(s) sent, ${JSON.stringify(loadStats.statuses)}.`);

  const deciding = decidingMeasurement(analysis);
  const driftedColumns = (deciding?.drift ?? []).filter((c) => c.drifted).map((c) => c.column);
  const reasons = [`${analysis.verdict}: ${analysis.reason}.`];
  for (const rule of deciding?.rules ?? []) if (rule.verdict !== 'pass') reasons.push(`${rule.verdict}: ${rule.explanation}`);

  let decision: Decision = 'hold';
  let dispatched: unknown = null;
  const deploySummaries: string[] = [];
  let access: GitHubAccess | undefined;
  const github = async (): Promise<GitHubAccess> => (access ??= await runtime.github(givenToken(inputs)));
  const actions: string[] = [];
  let actionFailure: string | undefined;
  const act = async (what: string, work: () => Promise<string[]>): Promise<boolean> => {
    try {
      actions.push(...(await work()));
      return true;
    } catch (error) {
      if (!(error instanceof ServiceError || error instanceof InputError)) throw error;
      actionFailure = `${what} failed: ${error.message}`;
      actions.push(actionFailure);
      return false;
    }
  };
  if (analysis.verdict === 'pass') {
    if (inputs['on-pass'] === 'promote') {
      decision = 'promote';
      await act('promote', async () => {
        const record = await promoteModel(model, inputs, runtime);
        deploySummaries.push(...record.deploySummaries);
        return record.done;
      });
    }
  } else if (analysis.verdict === 'fail') {
    if (onFail.has('rollback')) {
      decision = 'rollback';
      await act('rollback', async () => {
        const record = await rollBackModel(model, inputs, runtime);
        deploySummaries.push(...record.deploySummaries);
        return record.done;
      });
    }
    if (onFail.has('retrain')) {
      if (decision === 'hold') decision = 'retrain';
      await act('retrain', async () => {
        const outcome = await dispatchRetrain(await github(), {
          workflow: inputs['retrain-workflow']!,
          ref: inputs['retrain-ref'] ?? (process.env.GITHUB_REF_NAME || 'main'),
          inputs: retrainInputs(inputs['retrain-inputs']),
          payload: { decision, model: inputs.model, version: model.version, verdict: analysis.verdict, drifted: driftedColumns },
          cooldownMs,
        });
        dispatched = outcome.dispatched;
        return [outcome.done];
      });
    }
  }

  const outDir = resolve(runtime.workspace, runtime.stateDir, 'runs', runtime.runId, 'monitor-gate');
  await mkdir(outDir, { recursive: true });
  const reportPath = join(outDir, 'report.md');
  const live = endpoint && driftedColumns.length ? await liveProfile(endpoint, model.version, timeoutMs) : undefined;
  const report: MonitorReport = {
    decision,
    verdict: analysis.verdict,
    passed: analysis.verdict === 'pass',
    reasons,
    model: { reference: inputs.model, version: model.version },
    ...(stable ? { stable: { reference: stable.given, version: stable.version } } : {}),
    source: source.label,
    analysis,
    actions,
    driftedColumns,
    ...(loadStats ? { loadTest: loadStats } : {}),
    ...(live ? { live } : {}),
    ...(model.profile ? { reference: model.profile } : {}),
    settings: { intervalMs, windowMs, count: inputs.count },
    deploySummaries,
  };
  // One issue per model: opened or updated while it fails, closed once it passes; errors and inconclusive runs leave it as it is.
  let issueUrl = '';
  if (onFail.has('issue') && (analysis.verdict === 'pass' || analysis.verdict === 'fail')) {
    const body = renderMonitorReport(report);
    await act('issue', async () => {
      const synced = await syncIssue(await github(), {
        label: inputs['issue-label'],
        model: model.name,
        title: `monitor-gate: ${model.name} ${model.version} fails its rules (${decision})`,
        body: `${body}${runtime.runUrl() ? `\n[The run](${runtime.runUrl()})\n` : ''}`,
        healthy: analysis.verdict === 'pass',
        ...(runtime.runUrl() ? { fullReportHint: `the job summary of [the run](${runtime.runUrl()})` } : {}),
      });
      issueUrl = synced.url;
      return synced.done ? [synced.done] : [];
    });
  }
  const markdown = renderMonitorReport(report);
  await writeFile(reportPath, markdown);
  const { live: _live, reference: _reference, ...json } = report;
  await writeFile(join(outDir, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
  await runtime.summary(markdown, `report.md at ${reportPath}`);

  const outputs = {
    decision,
    passed: String(report.passed),
    verdict: analysis.verdict,
    report: reportPath,
    'drifted-columns': JSON.stringify(driftedColumns),
    dispatched: JSON.stringify(dispatched),
    'issue-url': issueUrl,
  };
  if (actionFailure) return { outputs, failure: `monitor-gate: ${actionFailure}` };
  if (analysis.verdict !== 'pass' && onFail.has('fail'))
    return { outputs, failure: `monitor-gate: ${analysis.verdict}: ${analysis.reason}${reasons.length > 1 ? `; ${reasons[1]}` : ''}` };
  return { outputs };
}

/** The stage, as shared/stages.ts loads it. */
export async function monitorGate(inputs: MonitorGateInputs, runtime: Runtime): Promise<StageResult> {
  return runMonitorGate(inputs, runtime);
}
