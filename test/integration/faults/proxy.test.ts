/**
 * The fault proxy itself (test/support/aws-proxy.ts): AWS's own error shapes, which the SDK must
 * read as the errors AWS sends and retry; scopes; determinism; latency and slow answers.
 */
import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { RATE_BUCKETS } from '../../../src/aws/rates.ts';
import { type AwsProxy, classifyRequest, errorAnswer, startAwsProxy } from '../../support/aws-proxy.ts';
import { useMoto } from '../../support/moto.ts';
import { createGroup } from '../../support/seed.ts';

const moto = useMoto();
const proxies: AwsProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

async function proxy(options: Omit<Parameters<typeof startAwsProxy>[0], 'target'> = {}): Promise<AwsProxy> {
  const p = await startAwsProxy({ target: moto.endpoint, ...options });
  proxies.push(p);
  return p;
}

/** One cheap read per service, and the name each protocol's throttle must have for the SDK. */
const READS: readonly {
  key: string;
  read: (c: AwsClients) => Promise<unknown>;
  name: string;
  status: number;
}[] = [
  {
    key: 'AutoScaling:DescribeAutoScalingGroups',
    read: (c) => c.autoscaling.send(new DescribeAutoScalingGroupsCommand({})),
    name: 'Throttling',
    status: 400,
  },
  {
    key: 'EC2:DescribeInstances',
    read: (c) => c.ec2.send(new DescribeInstancesCommand({})),
    name: 'RequestLimitExceeded',
    status: 503,
  },
  {
    key: 'ECS:ListClusters',
    read: (c) => c.ecs.send(new ListClustersCommand({})),
    name: 'ThrottlingException',
    status: 400,
  },
  {
    key: 'CloudWatch:DescribeAlarms',
    read: (c) => c.cloudwatch.send(new DescribeAlarmsCommand({})),
    name: 'Throttling',
    status: 400,
  },
  {
    key: 'ELBv2:DescribeTargetGroups',
    read: (c) => c.elbv2.send(new DescribeTargetGroupsCommand({})),
    name: 'Throttling',
    status: 400,
  },
];

async function failure(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

describe('the fault proxy', () => {
  it.each(READS)(
    '$key: a throttle in the protocol AWS uses is read by the SDK as $name, and retried',
    async ({ key, read, name, status }) => {
      const p = await proxy({ faults: { throttle: 1 } });
      const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 2 });
      const error = await failure(read(clients));
      expect(error.name).toBe(name);
      expect(error.$metadata?.httpStatusCode).toBe(status);
      expect(clients.counter.attemptSnapshot()).toEqual({ [key]: 2 });
      expect(p.stats().faults).toEqual({ [key]: { throttle: 2 } });
    },
  );

  it.each(READS)(
    '$key: past its bucket, the rate model answers the throttle AWS sends ($name) and takes no token',
    async ({ key, read, name, status }) => {
      const tiny = Object.fromEntries(RATE_BUCKETS.map((b) => [b.name, { burst: 1, perSecond: 0.001 }]));
      const p = await proxy({ rateModel: { rates: tiny } });
      const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 1 });
      await read(clients);
      for (let i = 0; i < 2; i++) {
        const error = await failure(read(clients));
        expect(error.name).toBe(name);
        expect(error.$metadata?.httpStatusCode).toBe(status);
      }
      expect(p.stats().throttled).toEqual({ [key]: 2 });
      expect(p.stats().totalThrottled).toBe(2);
    },
  );

  it("takes EC2's unfiltered, unpaginated reads from EC2's smaller bucket", async () => {
    const p = await proxy({
      rateModel: { rates: { 'ec2-unfiltered-unpaginated': { burst: 1, perSecond: 0.001 } } },
    });
    const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 1 });
    await clients.ec2.send(new DescribeInstancesCommand({}));
    expect((await failure(clients.ec2.send(new DescribeInstancesCommand({})))).name).toBe(
      'RequestLimitExceeded',
    );
    // Paged or filtered: the larger bucket (100 tokens), which these do not empty.
    for (let i = 0; i < 5; i++) await clients.ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    await clients.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }),
    );
    expect(p.stats().throttled).toEqual({ 'EC2:DescribeInstances': 1 });
  });

  it.each(READS)('$key: 5xx answers and connection resets are retried', async ({ key, read }) => {
    for (const faults of [{ serverError: 1 }, { reset: 1 }]) {
      const p = await proxy({ faults, seed: 4 });
      const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 3 });
      const error = await failure(read(clients));
      if ('serverError' in faults) expect([500, 503]).toContain(error.$metadata?.httpStatusCode);
      else expect(error.message).toMatch(/ECONNRESET|socket hang up/);
      expect(clients.counter.attemptSnapshot()).toEqual({ [key]: 3 });
      expect(p.stats().totalFaults).toBe(3);
    }
  });

  it('answers 5xx in each protocol with a body the SDK can parse', () => {
    const call = (service: string, protocol: Parameters<typeof errorAnswer>[0]['protocol']) => ({
      service,
      operation: 'DescribeX',
      protocol,
      read: true,
    });
    expect(errorAnswer(call('AutoScaling', 'query'), 500, 'r').body).toContain(
      '<Code>InternalFailure</Code>',
    );
    expect(errorAnswer(call('EC2', 'ec2'), 503, 'r').body).toContain('<Code>Unavailable</Code>');
    expect(JSON.parse(errorAnswer(call('ECS', 'json-1.1'), 500, 'r').body).__type).toBe('ServerException');
    expect(
      errorAnswer(call('CloudWatch', 'json-1.0-query-compatible'), 500, 'r').headers['x-amzn-query-error'],
    ).toBe('InternalServiceError;Receiver');
  });

  it('classifies by the signing scope, X-Amz-Target and Action', () => {
    const auth = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20301201/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
    });
    expect(classifyRequest(auth('autoscaling'), 'Action=UpdateAutoScalingGroup&Version=2011-01-01')).toEqual({
      service: 'AutoScaling',
      operation: 'UpdateAutoScalingGroup',
      protocol: 'query',
      read: false,
    });
    expect(
      classifyRequest(
        { ...auth('monitoring'), 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
        '{}',
      ),
    ).toMatchObject({
      service: 'CloudWatch',
      operation: 'GetMetricData',
      protocol: 'json-1.0-query-compatible',
      read: true,
    });
    expect(
      classifyRequest({ 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService' }, '{}'),
    ).toMatchObject({ service: 'ECS', protocol: 'json-1.1', read: false });
    expect(classifyRequest(auth('ec2'), 'Action=DescribeInstances&Version=2016-11-15')).toMatchObject({
      service: 'EC2',
      protocol: 'ec2',
    });
  });

  it('faults only reads, or only writes, as told', async () => {
    await createGroup(moto.clients(), 'g', { min: 0, max: 2 });
    const reads = await proxy({ faults: { serverError: 1 }, scope: 'reads' });
    const r = moto.clients({ endpoint: reads.endpoint, maxAttempts: 1 });
    await r.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MaxSize: 3 }));
    await failure(r.autoscaling.send(new DescribeAutoScalingGroupsCommand({})));
    const writes = await proxy({ faults: { serverError: 1 }, scope: 'writes' });
    const w = moto.clients({ endpoint: writes.endpoint, maxAttempts: 1 });
    await w.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    await failure(
      w.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MaxSize: 4 })),
    );
    expect(Object.keys(reads.stats().faults)).toEqual(['AutoScaling:DescribeAutoScalingGroups']);
    expect(Object.keys(writes.stats().faults)).toEqual(['AutoScaling:UpdateAutoScalingGroup']);
  });

  it('is deterministic: the same seed faults the same calls, another seed others', async () => {
    const outcomes = async (seed: number): Promise<string[]> => {
      const p = await proxy({ faults: { throttle: 0.3, serverError: 0.1, reset: 0.05 }, seed });
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        const names = [`group-${i}`];
        // A client per call: after a throttle, adaptive retry slows its own client down.
        const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 1 });
        out.push(
          await clients.autoscaling
            .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names }))
            .then(
              () => 'ok',
              (error: Error) => error.name,
            ),
        );
      }
      return out;
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);
    expect(first.filter((o) => o !== 'ok').length).toBeGreaterThan(5);
  });

  it('limits faults to the first attempts when told: the retry goes through', async () => {
    const p = await proxy({ faults: { throttle: 1 }, faultyAttempts: 1 });
    const clients = moto.clients({ endpoint: p.endpoint, maxAttempts: 2 });
    await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(p.stats()).toMatchObject({ totalRequests: 2, totalFaults: 1, forwarded: 1 });
  });

  it('adds its latency to every request, and holds slow answers', async () => {
    const p = await proxy({ latencyMs: 150 });
    const clients = moto.clients({ endpoint: p.endpoint });
    let started = performance.now();
    await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    p.configure({ latencyMs: 0, faults: { slow: 1 }, slowMs: 400 });
    started = performance.now();
    await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
    expect(p.stats().faults).toEqual({ 'AutoScaling:DescribeAutoScalingGroups': { slow: 1 } });
  });
});
