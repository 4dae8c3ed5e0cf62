import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { InputError, ServiceError } from '../errors.js';
import { evaluateGates, type GateReport, type InconclusivePolicy, type SettledGate, settleGates } from '../gates/evaluate-gates.js';
import { parseGateRules, type GateRule } from '../gates/grammar.js';
import { writeFileAtomic } from '../atomic-write.js';
import { writeJsonFileAtomic } from '../json-file.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import { registryCredentialsFromEnv } from '../registry/env-credentials.js';
import { denseConfusion } from '../metrics/classification.js';
import type { Runtime } from '../runtime/port.js';
import type { EvaluateInputs } from '../schemas/evaluate.js';
import { readFileOrInline } from '../schemas/file-or-inline.js';
import type { StageResult } from '../stage.js';
import { MAX_CLASSES_LISTED, renderEvaluateReport, type EvaluateReportInput } from './evaluate-report.js';
import { readMetricsFile } from './metrics-file.js';
import {
  compareModels,
  type MetricEstimates,
  type ModelEvaluation,
  prepareModelEvaluation,
  type SliceGroup,
  sliceGroups,
} from './model-metrics.js';
import { pairBaseline } from './pairing.js';
import { inferTask, type PredictionColumns, type PredictionSet, readPredictionSet } from './prediction-set.js';
import { isPredictionFile, readPredictionTable } from './prediction-table.js';
import { writeEvaluationComment } from './pull-request-comment.js';

/** The rules of the `gates` input: inline, or read from the file it names. Throws InputError on a bad rule (rule, column, expected). */
export async function readGateRules(gates: string | undefined, cwd: string): Promise<{ rules: GateRule[]; file?: string }> {
  if (gates === undefined || gates.trim() === '') return { rules: [] };
  const { text, file } = await readFileOrInline(gates, cwd);
  return file === undefined ? { rules: parseGateRules(text) } : { rules: parseGateRules(text, { file }), file };
}

interface ModelInput {
  name: string;
  set?: PredictionSet;
  metrics?: MetricEstimates;
}

/** Reads a metrics file, saying in the log which split of a nested file its bare names come from. */
async function readModelMetrics(path: string, cwd: string, input: string, runtime: Runtime): Promise<ModelInput> {
  const read = await readMetricsFile(path, cwd, input);
  if (read.splits.length)
    runtime.info(
      read.split === undefined
        ? `${path}: metrics nested by split (${read.splits.join(', ')}); none is a held-out split (test, validation, …), so gates name them as split.metric.`
        : `${path}: metrics nested by split (${read.splits.join(', ')}); gates without a split read the ${read.split} split (rmse is ${read.split}.rmse).`,
    );
  return { name: path, metrics: read.metrics };
}

async function readModel(path: string, cwd: string, input: string, columns: PredictionColumns, runtime: Runtime): Promise<ModelInput> {
  if (isPredictionFile(path)) return { name: path, set: readPredictionSet(await readPredictionTable(path, cwd, input), columns) };
  if (path.toLowerCase().endsWith('.json')) return readModelMetrics(path, cwd, input, runtime);
  throw new InputError(
    `Input '${input}': cannot read ${path}: expected predictions (.csv, .tsv, .jsonl, .ndjson, .parquet) or metrics (.json).`,
    { file: path },
  );
}

/**
 * The baseline: a file, or a registered model (`<registry>/<name>@<alias|version|digest>`) whose stored
 * predictions (paired comparison), else metrics, are downloaded and read like a file. Registry
 * credentials come from MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD.
 */
async function readBaseline(value: string, cwd: string, columns: PredictionColumns, runtime: Runtime): Promise<ModelInput> {
  if (!value.includes('@')) return readModel(value, cwd, 'baseline', columns, runtime);
  // Loaded only for a registry baseline: most runs compare against a file.
  const { fetchLineageFile, looksLikeModelReference } = await import('../registry/model-lineage-file.js');
  if (!looksLikeModelReference(value, cwd)) return readModel(value, cwd, 'baseline', columns, runtime);
  const credentials = registryCredentialsFromEnv(process.env);
  if (credentials.password) runtime.mask(credentials.password);
  const resolved = await fetchLineageFile(value, cwd, ['predictions', 'metrics'], credentials);
  runtime.info(`Baseline ${value} is ${resolved.digest}: comparing against its registered ${resolved.kind}.`);
  const model = await readModel(resolved.path, cwd, 'baseline', columns, runtime);
  return { ...model, name: value };
}

/** A name part safe in a comment marker and an artifact name. */
function namePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'x';
}

/**
 * What tells this evaluation apart from the others of its job: `run-name`, else a short hash of the
 * inputs that say what is evaluated (stable across commits, unlike gates a pull request may edit).
 */
function evaluationIdentity(inputs: EvaluateInputs): string {
  if (inputs['run-name']) return namePart(inputs['run-name']);
  const what = [inputs.predictions ?? null, inputs['metrics-file'] ?? null, inputs.baseline ?? null, inputs['working-directory']];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 8);
}

/**
 * The comment key and artifact name: the inputs when given, else derived from the job (GITHUB_JOB)
 * and the evaluation's identity, since GitHub exposes no matrix variable and every entry of a matrix
 * shares its job's id.
 */
export function evaluationNames(inputs: EvaluateInputs, job: string | undefined): { commentKey: string; artifact: string } {
  const identity = evaluationIdentity(inputs);
  const scope = job ? [namePart(job), identity] : [identity];
  return {
    commentKey: inputs['comment-id'] ?? ['evaluate', ...scope].join('/'),
    artifact: inputs['report-artifact-name'] ?? ['evaluate-report', ...scope].join('-'),
  };
}

/** Most classes whose confusion matrix report.json holds dense (k × k numbers); beyond, its non-zero cells. */
export const MAX_DENSE_CONFUSION_CLASSES = 100;

/** Largest `metrics` output: GitHub takes at most 1 MiB per output. */
const MAX_METRICS_OUTPUT_CHARS = 512 * 1024;

/** The `metrics` output: every metric, or without the per-class ones when those would make it too large for GitHub. */
function metricsOutput(candidate: MetricEstimates, classes: string[] | undefined, runtime: Runtime): string {
  const all = JSON.stringify(candidate);
  if (all.length <= MAX_METRICS_OUTPUT_CHARS || classes === undefined || classes.length <= MAX_CLASSES_LISTED) return all;
  const overall = Object.fromEntries(Object.entries(candidate).filter(([name]) => !name.includes('[class=')));
  runtime.info(
    `Output 'metrics' leaves out the per-class metrics of the ${classes.length} classes (${Math.round(all.length / 1024)} KiB, over GitHub's limit per output); report-json has them all.`,
  );
  return JSON.stringify(overall);
}

/**
 * Warns when binary scores are not probabilities (logits, margins): log_loss and brier_score are then
 * not computed, as scikit-learn's brier_score_loss refuses such scores; roc_auc and average_precision
 * depend only on the scores' order, so they stay.
 */
function warnScoresNotProbabilities(set: PredictionSet, evaluation: ModelEvaluation, runtime: Runtime): void {
  const outside = evaluation.scoresOutsideUnitInterval;
  if (outside === undefined) return;
  const line = set.lines[outside.row];
  runtime.warning(
    `${set.path}:${line}: score column ${set.scoreColumns.join(', ')} holds ${outside.count.toLocaleString('en-US')} score${outside.count === 1 ? '' : 's'} outside [0, 1] ` +
      `(first: ${outside.value} on line ${line}), so the scores are not probabilities (logits or margins?): log_loss and brier_score are not computed. ` +
      'roc_auc and average_precision are, as they use only the order of the scores; give probabilities (e.g. predict_proba, or a sigmoid of the logits) for the others.',
    { file: set.path, line, title: 'evaluate: scores are not probabilities' },
  );
}

/** Fewest resamples that make an interval: the 2.5th and 97.5th percentiles of fewer than 100 draws are little more than the extremes. */
export const MIN_BOOTSTRAP_SAMPLES = 100;

function percentText(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))} %`;
}

/**
 * The policy for inconclusive gates: `on-inconclusive`, or the deprecated `fail-on-inconclusive`
 * (true → fail, false → pass) with a warning. Throws InputError when both are given and disagree.
 */
function inconclusivePolicy(inputs: EvaluateInputs, runtime: Runtime): InconclusivePolicy {
  const policy = inputs['on-inconclusive'];
  const old = inputs['fail-on-inconclusive'];
  if (old === undefined) return policy;
  const mapped: InconclusivePolicy = old ? 'fail' : 'pass';
  if (policy !== 'point' && policy !== mapped) {
    throw new InputError(
      `Inputs 'fail-on-inconclusive: ${old}' and 'on-inconclusive: ${policy}' disagree; drop 'fail-on-inconclusive', which is deprecated.`,
    );
  }
  runtime.warning(
    `Input 'fail-on-inconclusive' is deprecated: 'fail-on-inconclusive: ${old}' was read as 'on-inconclusive: ${mapped}'; write that instead.`,
    {
      title: 'evaluate: deprecated input',
    },
  );
  return mapped;
}

function settledText(gate: SettledGate, policy: InconclusivePolicy): string {
  if (gate.settledBy === 'point estimate') return 'decided on the point estimate; the difference is not statistically significant';
  if (policy === 'point') return 'no point estimate to decide on';
  return `on-inconclusive: ${policy}`;
}

/** One log line per gate, then the total: what a person reads in the terminal and in the Actions log. */
function logGates(runtime: Runtime, gates: readonly SettledGate[], policy: InconclusivePolicy): void {
  if (gates.length === 0) {
    runtime.info('gates: none given, nothing can fail.');
    return;
  }
  for (const gate of gates) {
    const outcome =
      gate.verdict === 'inconclusive' ? `inconclusive → ${gate.passes ? 'pass' : 'fail'} (${settledText(gate, policy)})` : gate.verdict;
    runtime.info(`gate ${gate.rule.text}: ${outcome}: ${gate.explanation}`);
  }
  const passedCount = gates.filter((g) => g.passes).length;
  const failedCount = gates.length - passedCount;
  const inconclusive = gates.filter((g) => g.verdict === 'inconclusive').length;
  runtime.info(
    `gates: ${passedCount} passed, ${failedCount} failed${inconclusive ? ` (${inconclusive} inconclusive, settled by on-inconclusive: ${policy})` : ''}.`,
  );
}

/**
 * The evaluate stage: computes the candidate's metrics with bootstrap intervals (paired with the
 * baseline's when both are predictions on the same rows), decides the gates on the intervals, writes
 * the report (file, job summary, artifact, pull-request comment) and returns the verdict.
 */
export async function evaluate(inputs: EvaluateInputs, runtime: Runtime): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  if ((inputs.predictions === undefined) === (inputs['metrics-file'] === undefined)) {
    throw new InputError(
      inputs.predictions === undefined
        ? "Inputs 'predictions' and 'metrics-file' are both empty: give one, the predictions to evaluate or the metrics already computed."
        : "Inputs 'predictions' and 'metrics-file' are both given: give one of them.",
    );
  }
  const samples = inputs['bootstrap-samples'];
  if (samples > 0 && samples < MIN_BOOTSTRAP_SAMPLES) {
    throw new InputError(
      `Input 'bootstrap-samples': ${samples} resamples are too few to place the ${percentText(inputs.confidence)} interval's tails; ` +
        `give ${MIN_BOOTSTRAP_SAMPLES} to 100000 (default 1000), or 0 to turn intervals off.`,
    );
  }
  const policy = inconclusivePolicy(inputs, runtime);
  const gateInput = await readGateRules(inputs.gates, cwd);
  const candidateTable = inputs.predictions ? await readPredictionTable(inputs.predictions, cwd, 'predictions') : undefined;
  // With a metrics file there are no labels to infer from; the task only matters for reading predictions.
  let task: 'classification' | 'regression' = inputs.task === 'inferred' ? 'classification' : inputs.task;
  let taskInferred: string | undefined;
  if (inputs.task === 'inferred' && candidateTable) {
    ({ task, reason: taskInferred } = inferTask(candidateTable, inputs['label-column']));
    runtime.info(`task: ${task} (inferred: ${taskInferred}; set the task input to override).`);
  }
  const columns: PredictionColumns = {
    task,
    label: inputs['label-column'],
    prediction: inputs['prediction-column'],
    scores: inputs['score-columns']?.length ? inputs['score-columns'] : undefined,
    id: inputs['id-column'],
    slices: inputs.slices,
  };
  if (inputs.predictions === undefined && inputs.slices?.length) {
    throw new InputError("Input 'slices' needs 'predictions': slices are computed from the rows, which a metrics file does not have.");
  }
  const started = performance.now();
  const candidate: ModelInput = candidateTable
    ? { name: inputs.predictions!, set: readPredictionSet(candidateTable, columns) }
    : await readModelMetrics(inputs['metrics-file']!, cwd, 'metrics-file', runtime);
  const baseline = inputs.baseline ? await readBaseline(inputs.baseline, cwd, { ...columns, slices: [] }, runtime) : undefined;

  const positiveClass = inputs['positive-class'];
  let groups: SliceGroup[] = [];
  let candidateEvaluation: ModelEvaluation | undefined;
  let baselineKind: EvaluateReportInput['baselineKind'];
  const baselineModels: Parameters<typeof compareModels>[1] = {};
  if (candidate.set) {
    groups = sliceGroups(candidate.set);
    candidateEvaluation = prepareModelEvaluation(candidate.set, groups, { positiveClass });
    warnScoresNotProbabilities(candidate.set, candidateEvaluation, runtime);
  }
  if (baseline?.set) {
    if (candidate.set) {
      const paired = pairBaseline(candidate.set, baseline.set);
      baselineModels.paired = prepareModelEvaluation(paired.baseline, groups, { positiveClass });
      warnScoresNotProbabilities(baseline.set, baselineModels.paired, runtime);
      baselineKind = paired.method === 'id' ? 'paired by id' : 'paired by row order';
    } else {
      baselineModels.unpaired = prepareModelEvaluation(baseline.set, [], { positiveClass });
      warnScoresNotProbabilities(baseline.set, baselineModels.unpaired, runtime);
      baselineKind = 'unpaired';
    }
  } else if (baseline?.metrics) {
    baselineModels.metrics = baseline.metrics;
    baselineKind = 'metrics file';
  }

  const options = { samples, confidence: inputs.confidence, seed: inputs.seed };
  const metrics = candidateEvaluation
    ? compareModels(candidateEvaluation, baselineModels, options)
    : {
        candidate: candidate.metrics!,
        baseline: baselineModels.unpaired ? compareModels(baselineModels.unpaired, {}, options).candidate : baselineModels.metrics,
      };
  runtime.info(
    `Evaluated ${candidate.name}${candidate.set ? ` (${candidate.set.rowCount} rows)` : ''}${baseline ? ` against ${baseline.name} (${baselineKind})` : ''}: ` +
      `${Object.keys(metrics.candidate).length} metrics in ${((performance.now() - started) / 1000).toFixed(2)} s.`,
  );

  let gates: GateReport;
  try {
    gates = evaluateGates(gateInput.rules, {
      candidate: metrics.candidate,
      baseline: metrics.baseline,
      delta: metrics.delta,
      confidence: inputs.confidence,
    });
  } catch (error) {
    if (error instanceof InputError && gateInput.file)
      throw new InputError(`${gateInput.file}: ${error.message}`, { ...error.at, file: gateInput.file });
    throw error;
  }
  const settled = settleGates(gates, policy);
  const passed = settled.passed;

  const reportInput: EvaluateReportInput = {
    task: candidate.set ? task : undefined,
    taskInferred,
    rowCount: candidate.set?.rowCount,
    candidateName: candidate.name,
    baselineName: baseline?.name,
    baselineKind,
    metrics,
    gates,
    settled: settled.gates,
    onInconclusive: policy,
    passed,
    confidence: inputs.confidence,
    samples,
    seed: inputs.seed,
    classes: candidateEvaluation?.classes,
    positiveClass: candidateEvaluation?.positiveClass,
    confusion: candidateEvaluation?.confusion,
    slices: groups.map((g) => ({ column: g.column, value: g.value, rows: g.rows.length })),
  };
  const outDir = join(runtime.stateDir, 'runs', runtime.runId, 'evaluate');
  const reportPath = join(outDir, 'report.md');
  const reportJsonPath = join(outDir, 'report.json');
  const { commentKey, artifact } = evaluationNames(inputs, runtime.job());
  const runUrl = runtime.runUrl();
  // Where what the summary and the comment leave out can be read: the artifact, on the run's page when there is one.
  const artifactAt = `report.json in artifact ${escapeMarkdownText(artifact)}${runUrl ? ` of [this run](${runUrl})` : ''}`;
  const report = renderEvaluateReport({ ...reportInput, fullReportAt: artifactAt });
  await writeFileAtomic(reportPath, report);
  const confusion = candidateEvaluation?.confusion;
  // Streamed: with thousands of classes one JSON.stringify of the report exceeds the longest string V8 can hold.
  await writeJsonFileAtomic(reportJsonPath, {
    kind: 'mlops-evaluation',
    version: 1,
    task: candidate.set ? task : null,
    taskInferred: taskInferred ?? null,
    onInconclusive: policy,
    verdict: gates.verdict,
    passed,
    rows: candidate.set?.rowCount ?? null,
    candidate: candidate.name,
    baseline: baseline ? { name: baseline.name, kind: baselineKind } : null,
    confidence: inputs.confidence,
    bootstrapSamples: samples,
    seed: inputs.seed,
    classes: candidateEvaluation?.classes ?? null,
    positiveClass: candidateEvaluation?.positiveClass ?? null,
    metrics,
    gates: settled.gates.map((g) => ({
      rule: g.rule.text,
      line: g.rule.line,
      verdict: g.verdict,
      passes: g.passes,
      ...(g.settledBy && { settledBy: g.settledBy }),
      explanation: g.explanation,
    })),
    // Dense `counts` for few classes; beyond, the non-zero cells [true, predicted, count] (classes by index).
    confusion:
      confusion === undefined ? null : confusion.classes.length <= MAX_DENSE_CONFUSION_CLASSES ? denseConfusion(confusion) : confusion,
    slices: reportInput.slices,
  });

  const problems: string[] = [];
  let stored = false;
  try {
    await runtime.uploadArtifact(artifact, [reportPath, reportJsonPath], outDir);
    stored = true;
  } catch (error) {
    problems.push(`the report could not be stored as artifact ${artifact}: ${(error as Error).message}`);
  }
  const fullReportAt = stored
    ? artifactAt
    : `${escapeMarkdownText(relative(runtime.workspace, reportJsonPath))} on the machine that ran this step`;
  await runtime.summary(report, fullReportAt);
  let commentUrl: string | undefined;
  try {
    commentUrl = await writeEvaluationComment(runtime, {
      mode: inputs.comment,
      key: commentKey,
      token: inputs['github-token'],
      body: report,
      // Not the job summary: GitHub drops one over 1 MiB, and ours may be cut.
      fullReportHint: fullReportAt,
    });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    problems.push(`the pull-request comment could not be written: ${error.message}`);
  }

  logGates(runtime, settled.gates, policy);
  for (const decision of settled.gates) {
    if (decision.verdict === 'pass') continue;
    const at = gateInput.file ? { file: relative(runtime.workspace, resolve(cwd, gateInput.file)), line: decision.rule.line } : {};
    const title = `evaluate: gate ${decision.rule.text} ${decision.verdict === 'fail' ? 'failed' : `is inconclusive, ${decision.passes ? 'passes' : 'fails'} (${settledText(decision, policy)})`}`;
    if (decision.verdict === 'inconclusive' && decision.passes) runtime.warning(decision.explanation, { ...at, title });
    else if (gateInput.file) runtime.notice(decision.explanation, { ...at, title });
  }
  let failure: string | undefined;
  if (!passed) {
    const blocking = settled.gates.filter((g) => !g.passes);
    failure = `evaluate: ${gates.verdict}: ${blocking
      // An inconclusive gate's explanation is on its log line just above: the failure names the rule and why it counts as failed.
      .map((g) =>
        g.verdict === 'inconclusive'
          ? `${g.rule.text}: inconclusive, fails (${settledText(g, policy)})`
          : `${g.rule.text}: ${g.explanation}`,
      )
      .join('; ')}`;
  }
  if (problems.length) failure = [failure, `evaluate: ${problems.join('; ')}`].filter(Boolean).join('\n');
  return {
    outputs: {
      passed,
      verdict: gates.verdict,
      metrics: metricsOutput(metrics.candidate, candidateEvaluation?.classes, runtime),
      report: reportPath,
      'report-json': reportJsonPath,
      'comment-url': commentUrl ?? '',
      'report-artifact': stored ? artifact : '',
    },
    failure,
  };
}
