/**
 * `apply` without --auto-approve at a terminal: shows the plan, asks, and applies exactly that
 * plan only on "yes". A plan with errors is still offered (what the errors concern is left alone),
 * as with --auto-approve, and exits 1. A real pseudo-terminal comes from util-linux's `script`.
 */
import { spawn } from 'node:child_process';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { useMoto } from '../../support/moto.ts';
import { CLI, workspace } from '../../support/run-bundle.ts';
import { createGroup } from '../../support/seed.ts';

const moto = useMoto();

const YAML = 'region: us-east-1\ngroups:\n  web:\n    min: 2\n    max: 5\n';

/** Runs the CLI under a pseudo-terminal, typing `answer` once the question is shown. */
function applyAtTerminal(cwd: string, answer: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} apply`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd,
      env: { ...moto.env(), TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let answered = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('Only "yes" is accepted')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function sizes() {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }));
  const group = out.AutoScalingGroups?.[0];
  return { min: group?.MinSize, max: group?.MaxSize };
}

describe('apply at a terminal', () => {
  it('changes nothing unless the answer is "yes"', async () => {
    await createGroup(moto.clients(), 'web', { min: 1, max: 3 });
    const cwd = await workspace({ 'clusters/web.yml': YAML });
    const refused = await applyAtTerminal(cwd, 'y');
    expect(refused.output).toContain('min: 1 → 2');
    expect(refused.output).toContain('Apply cancelled.');
    expect(refused.code).toBe(1);
    expect(await sizes()).toEqual({ min: 1, max: 3 });
  });

  it('applies the plan it showed when the answer is "yes"', async () => {
    await createGroup(moto.clients(), 'web', { min: 1, max: 3 });
    const cwd = await workspace({ 'clusters/web.yml': YAML });
    const accepted = await applyAtTerminal(cwd, 'yes');
    expect(accepted.output).toContain('Apply: 1 applied, 0 failed');
    expect(accepted.code).toBe(0);
    expect(await sizes()).toEqual({ min: 2, max: 5 });
  });

  it('a plan with an error: shows it, still asks, applies the rest on "yes", then exits 1', async () => {
    await createGroup(moto.clients(), 'web', { min: 1, max: 3 });
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef';
    const cwd = await workspace({ 'clusters/web.yml': `${YAML}    target_groups: [${missing}]\n` });
    const accepted = await applyAtTerminal(cwd, 'yes');
    expect(accepted.output).toContain(`target group gone does not exist (${missing})`);
    expect(accepted.output).toContain('The plan has an error (above)');
    expect(accepted.output).toContain('Apply: 1 applied, 0 failed');
    expect(accepted.code).toBe(1);
    expect(await sizes()).toEqual({ min: 2, max: 5 });
  });
});
