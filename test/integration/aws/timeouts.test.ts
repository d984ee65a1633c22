/**
 * An AWS endpoint that accepts the connection and never answers: every call ends with an error
 * naming it, within the configured bounds (the SDK's default is to wait forever). Real sockets:
 * a node:net server that reads requests and writes nothing.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool, createAwsClients } from '../../../src/aws/clients.ts';
import { RunDeadline } from '../../../src/deadline.ts';
import { runPlan } from '../../../src/pipeline.ts';
import { motoEnv, TEST_CREDENTIALS, TEST_REGION } from '../../support/moto-server.ts';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';

interface Frozen {
  readonly endpoint: string;
  /** Connections accepted so far (each SDK attempt opens or reuses one). */
  readonly requests: () => number;
  close(): Promise<void>;
}

const servers: Frozen[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Accepts every connection, reads what comes, never writes a byte. */
async function frozenServer(): Promise<Frozen> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      requests += chunk.toString('latin1').match(/^POST /gm)?.length ?? 0;
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const frozen: Frozen = {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests: () => requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  servers.push(frozen);
  return frozen;
}

describe('AWS calls to an endpoint that never answers', () => {
  it('fail after the request timeout, retried, with an error naming the call', async () => {
    const frozen = await frozenServer();
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: frozen.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 2,
      requestTimeoutMs: 1000,
    });
    try {
      const call = clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      await expect(call).rejects.toMatchObject({
        name: 'TimeoutError',
        message: 'AutoScaling:DescribeAutoScalingGroups: no answer within 1 s (2 attempts)',
      });
      expect(frozen.requests()).toBe(2);
      expect(clients.counter.attemptSnapshot()).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': 2 });
    } finally {
      clients.destroy();
    }
  });

  it("bound the role's STS call too: AssumeRole to a frozen endpoint fails naming it", async () => {
    const frozen = await frozenServer();
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: frozen.endpoint,
      credentials: TEST_CREDENTIALS,
      roleArn: 'arn:aws:iam::123456789012:role/autoscale',
      maxAttempts: 1,
      requestTimeoutMs: 1000,
    });
    try {
      await expect(clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toThrow(
        'STS:AssumeRole: no answer within 1 s',
      );
    } finally {
      clients.destroy();
    }
  });

  it('abort at once, in flight and later, when the signal aborts (not retried)', async () => {
    const frozen = await frozenServer();
    const deadline = new AbortController();
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: frozen.endpoint,
      credentials: TEST_CREDENTIALS,
      // Long: only the signal can end these calls within the test's time.
      requestTimeoutMs: 600_000,
      signal: deadline.signal,
    });
    try {
      const inFlight = clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      while (frozen.requests() === 0) await new Promise((r) => setTimeout(r, 20));
      deadline.abort(new Error('the run took longer than 15 min'));
      await expect(inFlight).rejects.toMatchObject({
        name: 'AbortError',
        message: 'AutoScaling:DescribeAutoScalingGroups: aborted: the run took longer than 15 min',
      });
      await expect(clients.ec2.send(new DescribeAutoScalingGroupsCommand({}) as never)).rejects.toMatchObject(
        {
          name: 'AbortError',
        },
      );
      expect(frozen.requests()).toBe(1);
    } finally {
      clients.destroy();
    }
  });

  it('a plan reading a frozen endpoint ends with errors naming the calls', async () => {
    const frozen = await frozenServer();
    const root = await mkdtemp(join(tmpdir(), 'frozen-aws-'));
    dirs.push(root);
    await writeFile(join(root, 'web.yml'), 'region: us-east-1\ngroups:\n  web:\n    min: 1\n    max: 3\n');
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS, maxAttempts: 1, requestTimeoutMs: 1000 });
    try {
      const run = await runPlan({ configDir: root, cwd: root, env: {}, endpoint: frozen.endpoint, pool });
      const errors = run.plan?.errors.map((e) => JSON.stringify(e)).join('\n') ?? '';
      expect(run.plan?.errors.length).toBeGreaterThan(0);
      expect(errors).toContain('AutoScaling:DescribeAutoScalingGroups: no answer within 1 s');
    } finally {
      pool.destroy();
    }
  });

  it("the run's deadline cuts a request still in flight after its grace, whatever the request timeout", async () => {
    const frozen = await frozenServer();
    const root = await mkdtemp(join(tmpdir(), 'frozen-aws-'));
    dirs.push(root);
    await writeFile(join(root, 'web.yml'), 'region: us-east-1\ngroups:\n  web:\n    min: 1\n    max: 3\n');
    // The pipeline's own pool (the SDK's credential chain: these variables) and the default 30 s
    // request timeout: only the deadline's cutoff (1 s + 1 s of grace) can end this run sooner.
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    try {
      const started = Date.now();
      const run = await runPlan({
        configDir: root,
        cwd: root,
        env: {},
        endpoint: frozen.endpoint,
        deadline: new RunDeadline(1, Date.now, 1),
      });
      expect(Date.now() - started).toBeLessThan(25_000);
      const errors = run.plan?.errors.map((e) => e.message).join('\n') ?? '';
      expect(errors).toContain("the run's timeout (1s) passed, and 1s more for requests in flight");
      expect(errors).toContain("the run's timeout (1s) passed while reading AWS");
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('the bundled CLI exits 1 naming the call; AUTOSCALE_GITOPS_REQUEST_TIMEOUT sets the bound', async () => {
    const frozen = await frozenServer();
    const cwd = await workspace({
      'clusters/web.yml': 'region: us-east-1\ngroups:\n  web:\n    min: 1\n    max: 3\n',
    });
    dirs.push(cwd);
    const env = {
      ...motoEnv(frozen.endpoint, {}),
      AUTOSCALE_GITOPS_REQUEST_TIMEOUT: '1',
    } as Record<string, string>;
    const result = await runNode(CLI, ['plan'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(
      'AutoScaling:DescribeAutoScalingGroups: no answer within 1 s',
    );
  });
});
