import { join, relative, resolve } from 'node:path';
import { InputError, ServiceError } from '../errors.js';
import { evaluateGates, type GateReport } from '../gates/evaluate-gates.js';
import { parseGateRules, type GateRule } from '../gates/grammar.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Runtime } from '../runtime/port.js';
import type { EvaluateInputs } from '../schemas/evaluate.js';
import { readFileOrInline } from '../schemas/file-or-inline.js';
import type { StageResult } from '../stage.js';
import { renderEvaluateReport, type EvaluateReportInput } from './evaluate-report.js';
import { readMetricsFile } from './metrics-file.js';
import { compareModels, type MetricEstimates, type ModelEvaluation, prepareModelEvaluation, type SliceGroup, sliceGroups } from './model-metrics.js';
import { pairBaseline } from './pairing.js';
import { type PredictionColumns, type PredictionSet, readPredictionSet } from './prediction-set.js';
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

async function readModel(path: string, cwd: string, input: string, columns: PredictionColumns): Promise<ModelInput> {
  if (isPredictionFile(path)) return { name: path, set: readPredictionSet(await readPredictionTable(path, cwd, input), columns) };
  if (path.toLowerCase().endsWith('.json')) return { name: path, metrics: await readMetricsFile(path, cwd, input) };
  throw new InputError(`Input '${input}': cannot read ${path}: expected predictions (.csv, .tsv, .jsonl, .ndjson, .parquet) or metrics (.json).`, { file: path });
}

function artifactName(commentId: string): string {
  return commentId === 'evaluate' ? 'evaluate-report' : `evaluate-report-${commentId.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
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
  const gateInput = await readGateRules(inputs.gates, cwd);
  const columns: PredictionColumns = {
    task: inputs.task,
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
  const candidate: ModelInput = inputs.predictions
    ? { name: inputs.predictions, set: readPredictionSet(await readPredictionTable(inputs.predictions, cwd, 'predictions'), columns) }
    : { name: inputs['metrics-file']!, metrics: await readMetricsFile(inputs['metrics-file']!, cwd, 'metrics-file') };
  const baseline = inputs.baseline ? await readModel(inputs.baseline, cwd, 'baseline', { ...columns, slices: [] }) : undefined;

  const positiveClass = inputs['positive-class'];
  let groups: SliceGroup[] = [];
  let candidateEvaluation: ModelEvaluation | undefined;
  let baselineKind: EvaluateReportInput['baselineKind'];
  const baselineModels: Parameters<typeof compareModels>[1] = {};
  if (candidate.set) {
    groups = sliceGroups(candidate.set);
    candidateEvaluation = prepareModelEvaluation(candidate.set, groups, { positiveClass });
  }
  if (baseline?.set) {
    if (candidate.set) {
      const paired = pairBaseline(candidate.set, baseline.set);
      baselineModels.paired = prepareModelEvaluation(paired.baseline, groups, { positiveClass });
      baselineKind = paired.method === 'id' ? 'paired by id' : 'paired by row order';
    } else {
      baselineModels.unpaired = prepareModelEvaluation(baseline.set, [], { positiveClass });
      baselineKind = 'unpaired';
    }
  } else if (baseline?.metrics) {
    baselineModels.metrics = baseline.metrics;
    baselineKind = 'metrics file';
  }

  const options = { samples: inputs['bootstrap-samples'], confidence: inputs.confidence, seed: inputs.seed };
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
    gates = evaluateGates(gateInput.rules, { candidate: metrics.candidate, baseline: metrics.baseline, delta: metrics.delta, confidence: inputs.confidence });
  } catch (error) {
    if (error instanceof InputError && gateInput.file) throw new InputError(`${gateInput.file}: ${error.message}`, { ...error.at, file: gateInput.file });
    throw error;
  }
  const failOnInconclusive = inputs['fail-on-inconclusive'];
  const passed = gates.verdict === 'pass' || (gates.verdict === 'inconclusive' && !failOnInconclusive);

  const reportInput: EvaluateReportInput = {
    task: inputs.task,
    rowCount: candidate.set?.rowCount,
    candidateName: candidate.name,
    baselineName: baseline?.name,
    baselineKind,
    metrics,
    gates,
    failOnInconclusive,
    passed,
    confidence: inputs.confidence,
    samples: inputs['bootstrap-samples'],
    seed: inputs.seed,
    classes: candidateEvaluation?.classes,
    positiveClass: candidateEvaluation?.positiveClass,
    confusion: candidateEvaluation?.confusion,
    slices: groups.map((g) => ({ column: g.column, value: g.value, rows: g.rows.length })),
  };
  const report = renderEvaluateReport(reportInput);
  const outDir = join(runtime.stateDir, 'runs', runtime.runId, 'evaluate');
  const reportPath = join(outDir, 'report.md');
  const reportJsonPath = join(outDir, 'report.json');
  await writeFileAtomic(reportPath, report);
  await writeFileAtomic(
    reportJsonPath,
    `${JSON.stringify(
      {
        kind: 'mlops-evaluation',
        version: 1,
        task: inputs.task,
        verdict: gates.verdict,
        passed,
        rows: candidate.set?.rowCount ?? null,
        candidate: candidate.name,
        baseline: baseline ? { name: baseline.name, kind: baselineKind } : null,
        confidence: inputs.confidence,
        bootstrapSamples: inputs['bootstrap-samples'],
        seed: inputs.seed,
        classes: candidateEvaluation?.classes ?? null,
        positiveClass: candidateEvaluation?.positiveClass ?? null,
        metrics,
        gates: gates.gates.map((g) => ({ rule: g.rule.text, line: g.rule.line, verdict: g.verdict, explanation: g.explanation })),
        confusion: candidateEvaluation?.confusion ?? null,
        slices: reportInput.slices,
      },
      null,
      2,
    )}\n`,
  );
  await runtime.summary(report);

  const problems: string[] = [];
  const artifact = artifactName(inputs['comment-id']);
  try {
    await runtime.uploadArtifact(artifact, [reportPath, reportJsonPath], outDir);
  } catch (error) {
    problems.push(`the report could not be stored as artifact ${artifact}: ${(error as Error).message}`);
  }
  let commentUrl: string | undefined;
  try {
    commentUrl = await writeEvaluationComment(runtime, {
      mode: inputs.comment,
      key: inputs['comment-id'],
      token: inputs['github-token'],
      body: report,
      fullReportHint: `the job summary of this run and its artifact \`${artifact}\``,
    });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    problems.push(`the pull-request comment could not be written: ${error.message}`);
  }

  for (const decision of gates.gates) {
    if (decision.verdict === 'pass') continue;
    const at = gateInput.file ? { file: relative(runtime.workspace, resolve(cwd, gateInput.file)), line: decision.rule.line } : {};
    if (decision.verdict === 'inconclusive' && !failOnInconclusive) runtime.warning(decision.explanation, { ...at, title: `evaluate: gate ${decision.rule.text} is inconclusive` });
    else if (gateInput.file) runtime.notice(decision.explanation, { ...at, title: `evaluate: gate ${decision.rule.text} ${decision.verdict === 'fail' ? 'failed' : 'is inconclusive'}` });
  }
  let failure: string | undefined;
  if (!passed) {
    const blocking = gates.gates.filter((g) => g.verdict === 'fail' || (failOnInconclusive && g.verdict === 'inconclusive'));
    failure = `evaluate: ${gates.verdict}: ${blocking.map((g) => `${g.rule.text}: ${g.explanation}`).join('; ')}`;
  }
  if (problems.length) failure = [failure, `evaluate: ${problems.join('; ')}`].filter(Boolean).join('\n');
  return {
    outputs: {
      passed,
      verdict: gates.verdict,
      metrics: JSON.stringify(metrics.candidate),
      report: reportPath,
      'report-json': reportJsonPath,
      'comment-url': commentUrl ?? '',
    },
    failure,
  };
}
