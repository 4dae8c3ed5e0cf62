// Runs the validate-data stage in-process on files in a temp folder and returns its profile and outputs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { validateData } from '../../../shared/data/validate-data.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { validateDataSpec, type ValidateDataInputs } from '../../../shared/schemas/validate-data.js';
import { runStage } from '../../../shared/stage.js';

export function tempDir(prefix = 'vd-unit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (name → content) into a fresh temp folder; returns the folder. */
export function workspaceWith(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export interface StageRun {
  ok: boolean;
  outputs: Record<string, string>;
  log: string[];
  profile?: ProfileJSON;
}

/** Runs validate-data with raw string inputs, as the CLI would, in `workspace`. */
export async function runValidateData(workspace: string, inputs: Record<string, string>): Promise<StageRun> {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs, workspace, log: (line) => log.push(line) });
  const exitCode = process.exitCode;
  const ok = await runStage<ValidateDataInputs>(validateDataSpec, validateData, runtime);
  process.exitCode = exitCode;
  const profile = runtime.outputs.profile ? (JSON.parse(readFileSync(runtime.outputs.profile, 'utf8')) as ProfileJSON) : undefined;
  return { ok, outputs: runtime.outputs, log, profile };
}

/** The profile of the CSV text, profiled as `name` in a fresh folder. */
export async function profileOf(text: string | Buffer, name = 'data.csv'): Promise<ProfileJSON> {
  const run = await runValidateData(workspaceWith({ [name]: text }), { data: name });
  if (!run.profile) throw new Error(`no profile: ${run.log.join('\n')}`);
  return run.profile;
}
