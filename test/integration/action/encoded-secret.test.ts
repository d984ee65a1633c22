/**
 * A secret leaves in other forms than the one typed: in a URL it is percent-encoded, in JSON
 * escaped, in Basic authorization base64-encoded. Here a token with a space, `<`, `"` and a
 * non-ASCII letter rides in a third_party metric URL whose server answers 500, so the plan's
 * reason for not scaling quotes the URL, percent-encoded. Neither the token nor any of its
 * encodings may reach the CLI's text, JSON or Markdown, or the Action's comment, summary, log,
 * outputs or plan file.
 */

import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretVariants } from '../../../src/secrets.ts';
import { type FakeGitHub, startFakeGitHub } from '../../support/github-server.ts';
import { useMoto } from '../../support/moto.ts';
import { CLI, readText, runNode, workspace } from '../../support/run-bundle.ts';
import { createEcsCluster, createEcsService } from '../../support/seed.ts';
import { PR_NUMBER, pullRequestPayload, REPOSITORY, runAction } from './harness.ts';

const SECRET = 'tok en<"s\u00e9cret-42';
/** The forms a leak would take here: what URL, JSON, HTML and base64 encoders make of it. */
const LEAKS = [
  SECRET,
  encodeURIComponent(SECRET),
  encodeURI(SECRET),
  new URL(`http://h/${SECRET}`).pathname.slice(1),
  JSON.stringify(SECRET).slice(1, -1),
  Buffer.from(SECRET).toString('base64').replace(/=+$/, ''),
];

const moto = useMoto();
let status: Server;
let statusUrl: string;
const requested: string[] = [];
let github: FakeGitHub;
let cwd: string;

beforeAll(async () => {
  // The metric source: every request fails, so the plan quotes the URL in its reason.
  status = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{"error":"down"}');
  });
  await new Promise<void>((resolve) => status.listen(0, '127.0.0.1', resolve));
  statusUrl = `http://127.0.0.1:${(status.address() as AddressInfo).port}`;
});
afterAll(async () => {
  status.closeAllConnections();
  await new Promise<void>((resolve) => status.close(() => resolve()));
});
beforeEach(async () => {
  requested.length = 0;
  github = await startFakeGitHub({ repository: REPOSITORY });
  github.addIssue({ number: PR_NUMBER, title: 'Scale workers', pullRequest: true, login: 'alice' });
  const clients = moto.clients();
  await createEcsCluster(clients, 'my_cluster');
  await createEcsService(clients, 'my_cluster', 'worker', { desired: 1 });
  cwd = await workspace({
    'clusters/my_cluster.yml':
      'services:\n  worker:\n    min: 1\n    max: 3\n    metric_sources:\n      third_party:\n' +
      `        - url: ${statusUrl}/status/\${STATUS_TOKEN}\n` +
      '          statistics: [{ name: depth, alias: depth }]\n' +
      '    events:\n      - { metric: depth, action: 1, min: 5, max: null }\n',
  });
});
afterEach(async () => {
  await github.close();
  await rm(cwd, { recursive: true, force: true });
});

function leaksIn(places: Record<string, string>): { where: string; form: string }[] {
  return Object.entries(places).flatMap(([where, text]) =>
    LEAKS.filter((form) => text.toLowerCase().includes(form.toLowerCase())).map((form) => ({ where, form })),
  );
}

it('the leak forms are among the forms the masker knows', () => {
  const known = secretVariants(SECRET);
  for (const form of LEAKS.slice(0, 5)) expect(known).toContain(form);
});

describe('a secret in a failing metric URL', () => {
  it('is in no form in the CLI plan, as text, JSON or Markdown', async () => {
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json', 'markdown']) {
      const run = await runNode(CLI, ['plan', '--config', 'clusters', '--format', format], {
        cwd,
        env: { ...(moto.env() as Record<string, string>), STATUS_TOKEN: SECRET },
      });
      outputs[`${format} stdout`] = run.stdout;
      outputs[`${format} stderr`] = run.stderr;
      // The URL is quoted with the token masked, so the test would see a leak if there were one.
      expect(run.stdout).toContain(format === 'markdown' ? '/status/\\*\\*\\*' : '/status/***');
    }
    // The server saw the token, percent-encoded in the path: the request was really made with it.
    expect(requested).toContain(`/status/${new URL(`http://h/${SECRET}`).pathname.slice(1)}`);
    expect(leaksIn(outputs)).toEqual([]);
  });

  it("is in no form in the Action's comment, summary, log, outputs or plan file", async () => {
    const run = await runAction({
      cwd,
      event: 'pull_request',
      payload: pullRequestPayload({ sha: '9'.repeat(40) }),
      ref: `refs/pull/${PR_NUMBER}/merge`,
      sha: 'e'.repeat(40),
      githubUrl: github.url,
      env: { ...moto.env({}), STATUS_TOKEN: SECRET },
    });
    const body = github.comments[0]?.body ?? '';
    expect(body).toContain('/status/\\*\\*\\*');
    expect(run.summary).toContain('/status/\\*\\*\\*');
    // Each form is handed to the runner too, which masks its raw log (a command's data escapes `%`).
    for (const form of LEAKS.slice(0, 5)) {
      expect(run.stdout).toContain(`::add-mask::${form.replace(/%/g, '%25')}\n`);
    }
    const places = {
      body,
      summary: run.summary,
      log: run.log,
      stderr: run.stderr,
      outputs: JSON.stringify(run.outputs),
      planFile: await readText(run.outputs['plan-json'] ?? ''),
      requests: JSON.stringify(github.requests.map((r) => r.body)),
    };
    expect(places.planFile).toContain('/status/***');
    expect(leaksIn(places)).toEqual([]);
  });
});
