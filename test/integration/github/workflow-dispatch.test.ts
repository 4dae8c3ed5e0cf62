import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { createGitHubClient, type GitHubClient } from '../../../shared/github/client.js';
import { dispatchWorkflow } from '../../../shared/github/workflow-dispatch.js';
import { InputError, ServiceError } from '../../../shared/errors.js';

const TOKEN = 'ghs_workflowDispatchTest';
const REPO = { owner: 'acme', repo: 'models' };
const HOUR = 3_600_000;

let double: GitHubDouble;
let client: GitHubClient;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addWorkflow({ ...REPO, file: 'retrain.yml', name: 'Retrain', inputs: ['reason', 'model'] });
  client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
});

afterEach(async () => {
  await double.close();
});

const operations = (operationId: string) => double.requests.filter((r) => r.operationId === operationId);

describe('dispatchWorkflow: workflow_dispatch', () => {
  it('dispatches with the inputs, names the run GitHub created; a second dispatch within the cooldown is skipped, naming that run', async () => {
    const now = Date.now();
    const first = await dispatchWorkflow(
      client,
      { workflow: 'retrain.yml', ref: 'main', inputs: { reason: 'drift in 3 columns', model: 'oci://ghcr.io/acme/m:1' } },
      { ...REPO, cooldownMs: 6 * HOUR, now },
    );
    const runs = double.workflowRuns('acme', 'models');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ event: 'workflow_dispatch', ref: 'main', inputs: { reason: 'drift in 3 columns' } });
    expect(first).toEqual({
      dispatched: `workflow retrain.yml on main (run ${runs[0]!.id}: https://github.com/acme/models/actions/runs/${runs[0]!.id})`,
      run: { id: runs[0]!.id, url: `https://github.com/acme/models/actions/runs/${runs[0]!.id}` },
    });

    const second = await dispatchWorkflow(
      client,
      { workflow: 'retrain.yml', ref: 'main' },
      { ...REPO, cooldownMs: 6 * HOUR, now: now + 60_000 },
    );
    expect('skipped' in second).toBe(true);
    expect(second.run).toMatchObject({ id: runs[0]!.id, url: `https://github.com/acme/models/actions/runs/${runs[0]!.id}` });
    expect((second as { skipped: string }).skipped).toMatch(
      new RegExp(
        `^run ${runs[0]!.id} \\(retrain\\.yml #1, workflow_dispatch by github-actions\\[bot\\], queued\\) was created \\d+ s ago, .* within the cooldown of 6 h`,
      ),
    );
    expect(double.workflowRuns('acme', 'models')).toHaveLength(1);
    // The cooldown is read from GitHub: the runs of that workflow, dispatched ones only.
    const lists = operations('actions/list-workflow-runs');
    expect(lists).toHaveLength(2);
    expect(lists[1]!.path).toMatch(/\/actions\/workflows\/retrain\.yml\/runs\?event=workflow_dispatch&per_page=20$/);
    expect(double.violations).toEqual([]);
  });

  it('dispatches again once the cooldown has passed, and when the recent runs came from other events', async () => {
    double.addWorkflowRun({ ...REPO, file: 'retrain.yml', event: 'workflow_dispatch', createdAt: new Date(Date.now() - 7 * HOUR) });
    double.addWorkflowRun({ ...REPO, file: 'retrain.yml', event: 'push', createdAt: new Date() });
    const result = await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: 6 * HOUR });
    expect(result).toHaveProperty('dispatched');
    expect(double.workflowRuns('acme', 'models').filter((r) => r.event === 'workflow_dispatch')).toHaveLength(2);
    expect(double.violations).toEqual([]);
  });

  it('counts a run dispatched by someone else (a person retraining by hand) and takes the workflow by id', async () => {
    const id = double.addWorkflow({ ...REPO, file: 'other.yml' });
    const manual = double.addWorkflowRun({ ...REPO, file: 'other.yml', event: 'workflow_dispatch', actor: 'octocat' });
    const result = await dispatchWorkflow(client, { workflow: id, ref: 'main' }, { ...REPO, cooldownMs: HOUR });
    expect(result).toMatchObject({
      skipped: expect.stringContaining(`run ${manual.id} (other.yml #1, workflow_dispatch by octocat, queued)`),
    });
    expect(double.violations).toEqual([]);
  });

  it('a cooldown of 0 does not list runs', async () => {
    await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: 0 });
    await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: 0 });
    expect(double.workflowRuns('acme', 'models')).toHaveLength(2);
    expect(operations('actions/list-workflow-runs')).toHaveLength(0);
  });

  it('a workflow that does not exist: a ServiceError naming it and the repository, nothing dispatched', async () => {
    const error = await dispatchWorkflow(client, { workflow: 'retrian.yml', ref: 'main' }, { ...REPO, cooldownMs: HOUR }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(
      /^GitHub: listing the workflow_dispatch runs of workflow retrian\.yml in acme\/models failed with 404 \(Not Found\): there is no workflow retrian\.yml in acme\/models/,
    );
    // Without a cooldown the dispatch itself says so.
    const direct = await dispatchWorkflow(client, { workflow: 'retrian.yml', ref: 'main' }, { ...REPO, cooldownMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect((direct as Error).message).toMatch(/^GitHub: dispatching workflow retrian\.yml on main in acme\/models failed with 404/);
    expect(double.workflowRuns('acme', 'models')).toHaveLength(0);
  });

  it("a bad ref, an undeclared input, a workflow without workflow_dispatch: 422 with GitHub's own message", async () => {
    const bad = await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'nope' }, { ...REPO, cooldownMs: HOUR }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ServiceError);
    expect((bad as Error).message).toMatch(
      /failed with 422 \(No ref found for: nope\): check that nope is a branch or tag of acme\/models/,
    );
    const input = await dispatchWorkflow(
      client,
      { workflow: 'retrain.yml', ref: 'main', inputs: { epochs: 3 } },
      { ...REPO, cooldownMs: 0 },
    ).catch((e: unknown) => e);
    expect((input as Error).message).toContain('422 (Unexpected inputs provided: ["epochs"])');
    double.addWorkflow({ ...REPO, file: 'ci.yml', events: ['push'] });
    const trigger = await dispatchWorkflow(client, { workflow: 'ci.yml', ref: 'main' }, { ...REPO, cooldownMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect((trigger as Error).message).toContain("422 (Workflow does not have 'workflow_dispatch' trigger)");
    expect(double.workflowRuns('acme', 'models')).toHaveLength(0);
  });

  it('a token without actions: write (403) is named; a 5xx is retried', async () => {
    double.failNext('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', 403);
    const forbidden = await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect((forbidden as Error).message).toMatch(/failed with 403 .*the token needs `actions: write`/);
    double.failNext('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', 502, 2);
    const result = await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: HOUR });
    expect(result).toHaveProperty('dispatched');
  });

  it('when the runs cannot be listed (5xx past the retries), nothing is dispatched', async () => {
    double.failNext('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', 503, 10);
    const error = await dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: HOUR }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/listing the workflow_dispatch runs .* failed with 503 .*after retries/);
    expect(double.workflowRuns('acme', 'models')).toHaveLength(0);
  });

  it('refuses what GitHub would refuse before sending it', async () => {
    const inputs = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, 'x']));
    await expect(dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main', inputs }, { ...REPO, cooldownMs: 0 })).rejects.toThrow(
      InputError,
    );
    await expect(dispatchWorkflow(client, { workflow: 'retrain.yml', ref: ' ' }, { ...REPO, cooldownMs: 0 })).rejects.toThrow(
      /ref " " is not valid/,
    );
    await expect(dispatchWorkflow(client, { workflow: 'retrain.yml', ref: 'main' }, { ...REPO, cooldownMs: -1 })).rejects.toThrow(
      /cooldown -1 ms/,
    );
    await expect(dispatchWorkflow(client, { eventType: 'x'.repeat(101) }, { ...REPO, cooldownMs: 0 })).rejects.toThrow(
      /1 to 100 characters/,
    );
    expect(double.requests).toHaveLength(0);
  });
});

describe('dispatchWorkflow: repository_dispatch', () => {
  beforeEach(() => {
    double.addWorkflow({ ...REPO, file: 'on-dispatch.yml', events: ['repository_dispatch'], repositoryDispatchTypes: ['retrain'] });
  });

  it('sends the event (the listening workflow runs); a second one within the cooldown is skipped', async () => {
    const first = await dispatchWorkflow(
      client,
      { eventType: 'retrain', clientPayload: { reason: 'drift' } },
      { ...REPO, cooldownMs: HOUR },
    );
    expect(first).toEqual({ dispatched: 'repository_dispatch "retrain"' });
    const runs = double.workflowRuns('acme', 'models');
    expect(runs).toMatchObject([{ event: 'repository_dispatch', eventType: 'retrain', clientPayload: { reason: 'drift' } }]);
    const second = await dispatchWorkflow(client, { eventType: 'retrain' }, { ...REPO, cooldownMs: HOUR });
    expect(second).toMatchObject({ skipped: expect.stringContaining(`run ${runs[0]!.id} (on-dispatch.yml #1, repository_dispatch`) });
    expect(operations('repos/create-dispatch-event')).toHaveLength(1);
    expect(operations('actions/list-workflow-runs-for-repo').at(-1)!.path).toMatch(
      /\/actions\/runs\?event=repository_dispatch&per_page=20$/,
    );
    // Narrowed to one workflow, runs of the others do not count.
    const narrowed = await dispatchWorkflow(client, { eventType: 'retrain', workflow: 'retrain.yml' }, { ...REPO, cooldownMs: HOUR });
    expect(narrowed).toHaveProperty('dispatched');
    expect(double.violations).toEqual([]);
  });

  it('a repository the token cannot see: 404 named', async () => {
    const error = await dispatchWorkflow(client, { eventType: 'retrain' }, { owner: 'acme', repo: 'gone', cooldownMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /sending repository_dispatch "retrain" to acme\/gone failed with 404 .*acme\/gone was not found/,
    );
  });
});
