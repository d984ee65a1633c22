/** The example workflows for users stay in step with action.yml and say what the README promises. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly concurrency: Record<string, unknown>;
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

interface ActionYml {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly runs: Record<string, unknown>;
}

const ROOT = join(import.meta.dirname, '../../..');
const read = <T>(path: string) => parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const action = read<ActionYml>('action.yml');

function ourSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.filter((s) => (s.uses ?? '').startsWith('autoscale-gitops/')),
  );
}

describe('example workflows', () => {
  for (const file of ['docs/workflows/plan-on-pr.yml', 'docs/workflows/scheduled-apply.yml']) {
    it(`${file} uses the action once, with inputs action.yml declares`, () => {
      const steps = ourSteps(read<Workflow>(file));
      expect(steps).toHaveLength(1);
      for (const key of Object.keys(steps[0]?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    });
  }

  it('plans pull requests with the permission to comment', () => {
    const wf = read<Workflow>('docs/workflows/plan-on-pr.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    expect(wf.concurrency['cancel-in-progress']).toBe(true);
  });

  it('applies every 15 minutes, one run at a time, never cancelled, with OIDC credentials first', () => {
    const wf = read<Workflow>('docs/workflows/scheduled-apply.yml');
    expect(wf.on.schedule).toEqual([{ cron: '*/15 * * * *' }]);
    expect(wf.concurrency).toEqual({ group: 'autoscale-gitops-apply', 'cancel-in-progress': false });
    expect(wf.permissions['id-token']).toBe('write');
    // After a push, the merged pull request's plan comment is marked applied or failed.
    expect(wf.permissions['pull-requests']).toBe('write');
    const steps = wf.jobs.apply?.steps ?? [];
    const aws = steps.findIndex((s) => (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials'));
    const ours = steps.findIndex((s) => (s.uses ?? '').startsWith('autoscale-gitops/'));
    expect(aws).toBeGreaterThanOrEqual(0);
    expect(aws).toBeLessThan(ours);
  });

  it('action.yml keeps the contract: inputs and outputs, node24', () => {
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['config', 'mode', 'github-token', 'comment', 'region', 'only']),
    );
    expect(Object.keys(action.outputs)).toEqual(['has-changes', 'changes', 'plan-json', 'comment-url']);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
