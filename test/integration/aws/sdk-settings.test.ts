/**
 * The SDK's own settings reach our clients (aws/settings.ts): retries from AWS_MAX_ATTEMPTS /
 * AWS_RETRY_MODE or the profile, the user agent's app id as a local endpoint sees it, the run id
 * in the role session name, HTTP(S)_PROXY with NO_PROXY, and the region from a shared config
 * file in a temporary HOME (through the bundled CLI against moto).
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, roleSessionName } from '../../../src/aws/clients.ts';
import { defaultRegion } from '../../../src/aws/settings.ts';
import { TEST_CREDENTIALS, TEST_REGION, useMoto } from '../../support/moto.ts';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';

const moto = useMoto();

interface Seen {
  readonly url: string;
  readonly userAgent: string;
  readonly body: URLSearchParams;
}

/**
 * A local HTTP server that records every request; it answers itself (`answer`) or forwards to
 * `target` (as a proxy does with an absolute URL, or as an endpoint in front of moto).
 */
async function recorder(options: {
  answer?: (seen: Seen) => { status: number; body: string };
  target?: string;
}): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const entry = {
      url: req.url ?? '',
      userAgent: String(req.headers['user-agent']),
      body: new URLSearchParams(raw.toString('utf8')),
    };
    seen.push(entry);
    if (options.answer !== undefined) {
      const reply = options.answer(entry);
      res.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body);
      return;
    }
    const to = new URL(entry.url, options.target);
    const forwarded = request(to, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.end(raw);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const failing = () => ({
  status: 500,
  body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>scripted</Message></Error><RequestId>r</RequestId></ErrorResponse>',
});

// The variables these tests set in this process, restored after each test.
const TOUCHED = [
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'AWS_CONFIG_FILE',
  'AWS_PROFILE',
  'AWS_SDK_UA_APP_ID',
  'HTTP_PROXY',
  'NO_PROXY',
];
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(TOUCHED.map((name) => [name, process.env[name]]));
  for (const name of TOUCHED) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aws-config-'));
  const path = join(dir, 'config');
  await writeFile(path, text);
  return path;
}

async function attemptsAgainstFailing(): Promise<{ attempts: number; mode: string }> {
  const server = await recorder({ answer: failing });
  const clients = createAwsClients({
    region: TEST_REGION,
    endpoint: server.url,
    credentials: TEST_CREDENTIALS,
  });
  try {
    await expect(clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toMatchObject({
      name: 'InternalFailure',
    });
    const strategy = (await clients.autoscaling.config.retryStrategy()) as { mode?: string };
    return { attempts: server.seen.length, mode: String(strategy.mode) };
  } finally {
    clients.destroy();
    await server.close();
  }
}

describe('retries', () => {
  it('default to 5 adaptive attempts', async () => {
    expect(await attemptsAgainstFailing()).toEqual({ attempts: 5, mode: 'adaptive' });
  });

  it('follow AWS_MAX_ATTEMPTS and AWS_RETRY_MODE', async () => {
    process.env.AWS_MAX_ATTEMPTS = '2';
    process.env.AWS_RETRY_MODE = 'standard';
    expect(await attemptsAgainstFailing()).toEqual({ attempts: 2, mode: 'standard' });
  });

  it("follow the profile's max_attempts and retry_mode", async () => {
    process.env.AWS_CONFIG_FILE = await configFile(
      '[default]\nmax_attempts = 1\n[profile ci]\nmax_attempts = 3\nretry_mode = standard\n',
    );
    process.env.AWS_PROFILE = 'ci';
    expect(await attemptsAgainstFailing()).toEqual({ attempts: 3, mode: 'standard' });
  });
});

describe('user agent', () => {
  it('carries app/autoscale-gitops, or the app id the environment sets', async () => {
    const server = await recorder({ answer: failing });
    // Clients are built, and read their settings, on first use: one after the other.
    const ours = createAwsClients({
      region: TEST_REGION,
      endpoint: server.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const theirs = createAwsClients({
      region: TEST_REGION,
      endpoint: server.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await expect(ours.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toThrow();
      process.env.AWS_SDK_UA_APP_ID = 'their-app';
      await expect(theirs.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toThrow();
      expect(server.seen[0]?.userAgent).toMatch(/(^| )app\/autoscale-gitops( |$)/);
      expect(server.seen[1]?.userAgent).toMatch(/(^| )app\/their-app( |$)/);
      expect(server.seen[1]?.userAgent).not.toContain('autoscale-gitops');
    } finally {
      ours.destroy();
      theirs.destroy();
      await server.close();
    }
  });
});

describe('role session name', () => {
  it('carries the GitHub run id and attempt, and stays within what AWS accepts', async () => {
    expect(roleSessionName({})).toBe('autoscale-gitops');
    expect(roleSessionName({ GITHUB_RUN_ID: '12345678901', GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'autoscale-gitops-12345678901-2',
    );
    expect(roleSessionName({ GITHUB_RUN_ID: `9 ${'x'.repeat(80)}` })).toMatch(/^autoscale-gitops-9x+$/);
    expect(roleSessionName({ GITHUB_RUN_ID: '1'.repeat(80) })).toHaveLength(64);
  });

  it('is the one moto STS receives', async () => {
    const sts = await recorder({ target: moto.endpoint });
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: sts.url,
      credentials: TEST_CREDENTIALS,
      roleArn: 'arn:aws:iam::123456789012:role/scaler',
      roleSessionName: roleSessionName({ GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' }),
    });
    try {
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      const assume = sts.seen.find((s) => s.body.get('Action') === 'AssumeRole');
      expect(assume?.body.get('RoleSessionName')).toBe('autoscale-gitops-4242-1');
    } finally {
      clients.destroy();
      await sts.close();
    }
  });
});

describe('proxy', () => {
  it('sends AWS calls through HTTP_PROXY, except to hosts NO_PROXY names', async () => {
    const proxy = await recorder({});
    const through = createAwsClients({
      region: TEST_REGION,
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const direct = createAwsClients({
      region: TEST_REGION,
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    try {
      // Clients are built, and read the environment, on first use.
      process.env.HTTP_PROXY = proxy.url;
      const answer = await through.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      expect(answer.AutoScalingGroups).toEqual([]);
      // A proxy is asked for the absolute URL.
      expect(proxy.seen.map((s) => s.url)).toEqual([`${moto.endpoint}/`]);
      process.env.NO_PROXY = '127.0.0.1';
      await direct.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      expect(proxy.seen).toHaveLength(1);
    } finally {
      through.destroy();
      direct.destroy();
      await proxy.close();
    }
  });
});

describe('region', () => {
  it('comes from the profile in the shared config file when nothing else names one', async () => {
    const config = await configFile('[default]\nregion = eu-west-3\n[profile other]\nregion = ap-south-1\n');
    expect(await defaultRegion(undefined, { AWS_CONFIG_FILE: config })).toBe('eu-west-3');
    expect(await defaultRegion(undefined, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'other' })).toBe(
      'ap-south-1',
    );
    expect(await defaultRegion(undefined, { AWS_CONFIG_FILE: config, AWS_DEFAULT_REGION: 'us-west-1' })).toBe(
      'us-west-1',
    );
    expect(await defaultRegion(undefined, { AWS_CONFIG_FILE: config, AWS_REGION: 'us-west-2' })).toBe(
      'us-west-2',
    );
    expect(await defaultRegion('sa-east-1', { AWS_CONFIG_FILE: config, AWS_REGION: 'us-west-2' })).toBe(
      'sa-east-1',
    );
    expect(await defaultRegion(undefined, { AWS_CONFIG_FILE: join(tmpdir(), 'no-such-aws-config') })).toBe(
      undefined,
    );
  });

  it('the CLI plans in the region of ~/.aws/config (a temporary HOME), with no AWS_REGION', async () => {
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    await mkdir(join(home, '.aws'));
    await writeFile(join(home, '.aws', 'config'), '[default]\nregion = eu-west-3\n');
    const cwd = await workspace({ 'clusters/web.yml': 'groups:\n  web-missing:\n    min: 1\n    max: 2\n' });
    const env = moto.env() as Record<string, string>;
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    const result = await runNode(CLI, ['plan'], { cwd, env: { ...env, HOME: home } });
    expect(result.stderr).toContain('group web-missing does not exist in eu-west-3');
    expect(result.code).toBe(1);

    const without = await runNode(CLI, ['plan'], {
      cwd,
      env: { ...env, HOME: await mkdtemp(join(tmpdir(), 'home-')) },
    });
    expect(without.stderr).toContain('no AWS region for these groups');
    expect(without.code).toBe(1);
  });
});
