/**
 * `npm run demo` without its build step (dist/ is built by `npm test`'s pretest): the whole flow
 * on moto and the local services, then nothing left listening.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/demo.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Resolves with the error code of a connection attempt, or 'connected'. */
function probe(port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

describe('npm run demo', () => {
  it('plans changes, applies them all, plans nothing more, and leaves nothing running', async () => {
    const { code, stdout: raw, stderr } = await runDemo();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the headings' bold escape codes
    const stdout = raw.replace(/\u001b\[[0-9;]*m/g, '');
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    const plans = [...stdout.matchAll(/^(Plan: .*|No changes\.)$/gm)].map((m) => m[1]);
    // First plan, apply's own summary, then the second plan.
    expect(plans).toHaveLength(3);
    expect(plans[0]).toMatch(
      // No register: the demo's target groups are instance ones, attached to their groups (AWS registers).
      /^Plan: \d+ to create, \d+ to update, \d+ to delete, \d+ to deregister\.$/,
    );
    expect(plans[1]).toBe(plans[0]);
    expect(plans[2]).toBe('No changes.');
    expect(stdout).toMatch(/^Apply: [1-9]\d* applied, 0 failed, 0 skipped\.$/m);
    expect(stdout).not.toMatch(/=> (FAILED|skipped)/);

    // Every capability left its mark: the ECS decisions, the capacity, and the pruned registries.
    expect(stdout).toMatch(/my_cluster\/services\/worker: 2 → 3 \[scale\]/);
    expect(stdout).toMatch(/my_cluster\/services\/backend: 2 → 3 \[scale\]/);
    expect(stdout).toMatch(/jobs-prod\/services\/consumer: 4 → 6 \[scale\]/);
    expect(stdout).toMatch(/jobs-prod\/capacity\/ecs-jobs-prod-asg: 2 → 3 \[scale\]/);
    expect(stdout).toMatch(/- deregister target i-[0-9a-f]+:80 +=> applied/);
    // The target groups and the Classic Load Balancer attached, each recorded as ours.
    for (const attached of ['target_groups/web', 'target_groups/api', 'load_balancers/web-classic'])
      expect(stdout).toMatch(new RegExp(`# web/groups/\\w+-asg/${attached}: attach `));
    for (const registry of ['chef', 'salt', 'consul', 'consul-web', 'linerate'])
      expect(stdout).toMatch(new RegExp(`^ {2}- ${registry}: \\S+$`, 'm'));
    // An InService instance without a LineRate real server got one, with its IP and port.
    expect(stdout).toMatch(/^ {2}- linerate: rs_i-[0-9a-f]+ at \d+\.\d+\.\d+\.\d+:80$/m);
    expect(stdout).toMatch(/\+ add registry_entry rs_i-[0-9a-f]+ +=> applied/);
    expect(stdout).toMatch(/\n== done: the fleet matches clusters\/\n/);

    // Nothing it started still listens.
    const stopped = /^stopped: (.*)$/m.exec(stdout)?.[1] ?? '';
    const ports = [...stopped.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    expect(ports.length).toBe(7);
    for (const port of ports) expect(await probe(port), `port ${port}`).toBe('ECONNREFUSED');
  }, 120_000);
});
