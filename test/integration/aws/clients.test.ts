import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool, createAwsClients, ROLE_SESSION_NAME } from '../../../src/aws/clients.ts';
import { TEST_CREDENTIALS, TEST_REGION, useMoto } from '../../support/moto.ts';
import { createLaunchTemplate } from '../../support/seed.ts';

const moto = useMoto();

describe('createAwsClients against moto', () => {
  it('counts each logical call per Service:Operation, and each HTTP attempt', async () => {
    await createLaunchTemplate(moto.clients(), 'web');
    const clients = moto.clients();
    await clients.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'web-asg',
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 1,
        AvailabilityZones: ['us-east-1a'],
        LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' },
      }),
    );
    const described = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }),
    );

    expect(described.AutoScalingGroups?.map((g) => [g.AutoScalingGroupName, g.MinSize, g.MaxSize])).toEqual([
      ['web-asg', 1, 3],
    ]);
    expect(clients.counter.snapshot()).toEqual({
      'AutoScaling:CreateAutoScalingGroup': 1,
      'AutoScaling:DescribeAutoScalingGroups': 1,
    });
    expect(clients.counter.total()).toBe(2);
    expect(clients.counter.attempts).toBe(2);
    expect(clients.counter.count('AutoScaling', 'CreateAutoScalingGroup')).toBe(1);
  });

  it('starts each test from an empty moto (reset between tests)', async () => {
    // The previous test created a group and a launch template.
    const clients = moto.clients();
    const groups = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    const templates = await clients.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(groups.AutoScalingGroups).toEqual([]);
    expect(templates.LaunchTemplates ?? []).toEqual([]);
  });

  it('counts calls of every service into one shared counter, sorted by key', async () => {
    const clients = moto.clients();
    await clients.ecs.send(new ListClustersCommand({}));
    await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    await clients.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(Object.entries(clients.counter.snapshot())).toEqual([
      ['AutoScaling:DescribeAutoScalingGroups', 1],
      ['EC2:DescribeLaunchTemplates', 1],
      ['ECS:ListClusters', 1],
    ]);
  });

  describe('endpoint from the environment', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_AUTO_SCALING', 'AWS_ENDPOINT_URL_ECS']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    });

    it('uses AWS_ENDPOINT_URL when no endpoint is given', async () => {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
      const clients = createAwsClients({
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      });
      try {
        const result = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
        expect(result.AutoScalingGroups).toEqual([]);
      } finally {
        clients.destroy();
      }
    });

    it('lets a service-specific AWS_ENDPOINT_URL_<SERVICE> win over AWS_ENDPOINT_URL', async () => {
      const dead = await closedPort();
      process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${dead}`;
      process.env.AWS_ENDPOINT_URL_AUTO_SCALING = moto.endpoint;
      const clients = createAwsClients({
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      });
      try {
        const result = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
        expect(result.AutoScalingGroups).toEqual([]);
        // ECS has no specific variable: it follows the generic one, to a closed port.
        await expect(clients.ecs.send(new ListClustersCommand({}))).rejects.toThrow(/ECONNREFUSED/);
      } finally {
        clients.destroy();
      }
    });
  });
});

describe('ClientPool', () => {
  it('returns the same clients for the same context and shares one counter', async () => {
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const a = pool.get({ region: TEST_REGION, endpoint: moto.endpoint });
      const b = pool.get({ region: TEST_REGION, endpoint: moto.endpoint });
      expect(b).toBe(a);
      expect(b.autoscaling).toBe(a.autoscaling);
      expect(b.ecs).toBe(a.ecs);

      const otherRole = pool.get({
        region: TEST_REGION,
        endpoint: moto.endpoint,
        roleArn: 'arn:aws:iam::1:role/x',
      });
      const otherRegion = pool.get({ region: 'eu-west-1', endpoint: moto.endpoint });
      expect(otherRole).not.toBe(a);
      expect(otherRegion).not.toBe(a);
      expect(otherRegion.autoscaling).not.toBe(a.autoscaling);
      expect(pool.size).toBe(3);

      await a.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      await otherRegion.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      expect(pool.counter.snapshot()).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': 2 });
      expect(a.counter).toBe(pool.counter);
      expect(await a.autoscaling.config.region()).toBe(TEST_REGION);
      expect(await otherRegion.autoscaling.config.region()).toBe('eu-west-1');
    } finally {
      pool.destroy();
    }
    expect(pool.size).toBe(0);
  });

  it('assumes the role once per context against moto STS, counted as STS:AssumeRole', async () => {
    const pool = new ClientPool({ credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const clients = pool.get({
        region: TEST_REGION,
        endpoint: moto.endpoint,
        roleArn: 'arn:aws:iam::123456789012:role/scaler',
      });
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      await clients.ecs.send(new ListClustersCommand({}));
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      const identity = await clients.autoscaling.config.credentials();
      expect(identity.accessKeyId).not.toBe(TEST_CREDENTIALS.accessKeyId);
      expect(identity.sessionToken).toBeTruthy();
      expect(pool.counter.snapshot()).toEqual({
        'AutoScaling:DescribeAutoScalingGroups': 2,
        'ECS:ListClusters': 1,
        'STS:AssumeRole': 1,
      });
    } finally {
      pool.destroy();
    }
  });
});

// ---- A scripted local AWS endpoint, for what moto cannot do (fail on purpose).

interface Recorded {
  readonly action: string | null;
  readonly body: URLSearchParams;
  readonly authorization: string;
}

async function scriptedServer(
  respond: (request: Recorded, index: number) => { status: number; body: string },
): Promise<{ endpoint: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const recorded = { action: body.get('Action'), body, authorization: String(req.headers.authorization) };
    requests.push(recorded);
    const reply = respond(recorded, requests.length - 1);
    res.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const AS_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

function errorXml(code: string, type = 'Receiver'): string {
  return `<ErrorResponse xmlns="${AS_NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>scripted ${code}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`;
}

const DESCRIBE_OK = `<DescribeAutoScalingGroupsResponse xmlns="${AS_NS}">
  <DescribeAutoScalingGroupsResult>
    <AutoScalingGroups>
      <member>
        <AutoScalingGroupName>web-asg</AutoScalingGroupName>
        <MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity>
        <DefaultCooldown>300</DefaultCooldown><HealthCheckType>EC2</HealthCheckType>
        <CreatedTime>2026-01-01T00:00:00Z</CreatedTime>
        <AvailabilityZones><member>us-east-1a</member></AvailabilityZones>
      </member>
    </AutoScalingGroups>
  </DescribeAutoScalingGroupsResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</DescribeAutoScalingGroupsResponse>`;

describe('retries (scripted endpoint)', () => {
  it('retries a 500 twice and counts 3 attempts for 1 logical call', async () => {
    const server = await scriptedServer((_, i) =>
      i < 2 ? { status: 500, body: errorXml('InternalFailure') } : { status: 200, body: DESCRIBE_OK },
    );
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    try {
      const result = await clients.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }),
      );
      expect(result.AutoScalingGroups?.[0]?.DesiredCapacity).toBe(2);
      expect(result.$metadata.attempts).toBe(3);
      expect(server.requests.map((r) => r.action)).toEqual([
        'DescribeAutoScalingGroups',
        'DescribeAutoScalingGroups',
        'DescribeAutoScalingGroups',
      ]);
      expect(clients.counter.snapshot()).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': 1 });
      expect(clients.counter.attemptSnapshot()).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': 3 });
      expect(clients.counter.total()).toBe(1);
      expect(clients.counter.attempts).toBe(3);
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('retries throttling (400 Throttling) too', async () => {
    const server = await scriptedServer((_, i) =>
      i < 1 ? { status: 400, body: errorXml('Throttling', 'Sender') } : { status: 200, body: DESCRIBE_OK },
    );
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    try {
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      expect(clients.counter.total()).toBe(1);
      expect(clients.counter.attempts).toBe(2);
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('gives up after maxAttempts and still counts one logical call', async () => {
    const server = await scriptedServer(() => ({ status: 503, body: errorXml('ServiceUnavailable') }));
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 2,
    });
    try {
      await expect(clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toMatchObject({
        name: 'ServiceUnavailable',
      });
      expect(server.requests).toHaveLength(2);
      expect(clients.counter.snapshot()).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': 1 });
      expect(clients.counter.attempts).toBe(2);
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('does not retry a client error', async () => {
    const server = await scriptedServer(() => ({ status: 400, body: errorXml('ValidationError', 'Sender') }));
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    try {
      await expect(clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toMatchObject({
        name: 'ValidationError',
      });
      expect(server.requests).toHaveLength(1);
      expect(clients.counter.attempts).toBe(1);
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('assumes the role with session name autoscale-gitops and signs with the assumed key', async () => {
    const server = await scriptedServer((request) =>
      request.action === 'AssumeRole'
        ? {
            status: 200,
            body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
              <Credentials><AccessKeyId>ASIASCRIPTED</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>
              <SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
              <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/scaler/autoscale-gitops</Arn>
              <AssumedRoleId>AROA1:autoscale-gitops</AssumedRoleId></AssumedRoleUser>
              </AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
          }
        : { status: 200, body: DESCRIBE_OK },
    );
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      roleArn: 'arn:aws:iam::123456789012:role/scaler',
    });
    try {
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      const [assume, ...rest] = server.requests;
      expect(assume?.action).toBe('AssumeRole');
      expect(assume?.body.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/scaler');
      expect(assume?.body.get('RoleSessionName')).toBe(ROLE_SESSION_NAME);
      expect(assume?.authorization).toContain('Credential=testing/');
      expect(rest.map((r) => r.action)).toEqual(['DescribeAutoScalingGroups', 'DescribeAutoScalingGroups']);
      for (const r of rest) expect(r.authorization).toContain('Credential=ASIASCRIPTED/');
      expect(clients.counter.snapshot()).toEqual({
        'AutoScaling:DescribeAutoScalingGroups': 2,
        'STS:AssumeRole': 1,
      });
    } finally {
      clients.destroy();
      await server.close();
    }
  });
});
