import {
  DescribeAutoScalingGroupsCommand,
  PutScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type { DeserializeMiddleware, MetadataBearer } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../../../src/aws/clients.ts';
import {
  categoryOf,
  isReadOperation,
  Pacer,
  TokenBucket,
  WRITE_CATEGORIES,
} from '../../../src/aws/pacing.ts';

/** A clock that only moves when a sleep is taken: tests never wait. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe('TokenBucket', () => {
  it('gives the burst at once, then one token per 1/rate seconds, in call order', () => {
    const bucket = new TokenBucket({ burst: 3, perSecond: 3 }, 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0, 0]);
    // Three more at the same instant: they wait 1/3 s, 2/3 s and 1 s (first come, first served).
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([334, 667, 1000]);
    expect(bucket.level(0)).toBe(-3);
  });

  it('refills at its rate and never above its burst', () => {
    const bucket = new TokenBucket({ burst: 5, perSecond: 2 }, 1_000);
    for (let i = 0; i < 5; i++) bucket.reserve(1_000);
    expect(bucket.level(1_000)).toBe(0);
    expect(bucket.level(2_000)).toBe(2);
    expect(bucket.reserve(2_000)).toBe(0);
    expect(bucket.level(60_000)).toBe(5);
    // A clock that goes backwards adds nothing.
    expect(bucket.level(10_000)).toBe(5);
  });

  it('sustains exactly its rate: N requests past the burst take (N - burst) / rate seconds', () => {
    const bucket = new TokenBucket({ burst: 50, perSecond: 5 }, 0);
    let last = 0;
    for (let i = 0; i < 150; i++) last = bucket.reserve(0);
    expect(last).toBe(20_000);
  });

  it('refuses a bucket that could never give a token', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 }, 0)).toThrow(RangeError);
    expect(() => new TokenBucket({ burst: 1, perSecond: 0 }, 0)).toThrow(RangeError);
  });
});

describe('write categories', () => {
  it('classifies reads as unpaced and writes by their documented category', () => {
    expect(isReadOperation('DescribeAlarms')).toBe(true);
    expect(isReadOperation('ListContainerInstances')).toBe(true);
    expect(isReadOperation('GetMetricData')).toBe(true);
    expect(categoryOf('CloudWatch', 'DescribeAlarms')).toBeUndefined();
    expect(categoryOf('CloudWatch', 'PutMetricAlarm')).toMatchObject({ burst: 3, perSecond: 3 });
    expect(categoryOf('CloudWatch', 'DeleteAlarms')?.name).toBe('cloudwatch-delete-alarms');
    expect(categoryOf('CloudWatch', 'PutMetricData')).toBeUndefined();
    expect(categoryOf('ECS', 'UpdateService')).toMatchObject({ burst: 50, perSecond: 5 });
    expect(categoryOf('ECS', 'DeregisterContainerInstance')).toMatchObject({ burst: 100, perSecond: 40 });
    expect(categoryOf('ECS', 'TagResource')?.name).toBe('ecs-tag-modify');
    expect(categoryOf('EC2', 'TerminateInstances')).toMatchObject({ burst: 100, perSecond: 5 });
    expect(categoryOf('EC2', 'RunInstances')?.name).toBe('ec2-mutating');
    expect(categoryOf('ELBv2', 'RegisterTargets')?.name).toBe('elbv2-registration');
    expect(categoryOf('ELBv2', 'ModifyTargetGroup')?.name).toBe('elbv2-mutating');
    for (const op of [
      'UpdateAutoScalingGroup',
      'PutScalingPolicy',
      'DeletePolicy',
      'PutScheduledUpdateGroupAction',
    ]) {
      expect(categoryOf('AutoScaling', op)?.name).toBe('autoscaling-mutating');
    }
    expect(categoryOf('STS', 'AssumeRole')).toBeUndefined();
  });

  it('names every category once', () => {
    const names = WRITE_CATEGORIES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('Pacer', () => {
  it('makes writes beyond the burst wait, per category, and leaves reads alone', async () => {
    const time = fakeTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await pacer.acquire('ctx', 'CloudWatch', 'PutMetricAlarm'));
    expect(waits).toEqual([0, 0, 0, 334, 333]);
    // Another category has its own bucket; reads take no token at all.
    expect(await pacer.acquire('ctx', 'CloudWatch', 'DeleteAlarms')).toBe(0);
    for (let i = 0; i < 100; i++) expect(await pacer.acquire('ctx', 'CloudWatch', 'DescribeAlarms')).toBe(0);
    expect(pacer.stats()).toEqual({
      paced: { 'cloudwatch-put-metric-alarm': 5, 'cloudwatch-delete-alarms': 1 },
      waited: { 'cloudwatch-put-metric-alarm': 2 },
      waitedMs: 667,
    });
  });

  it('keeps separate buckets per context (account and region)', async () => {
    const time = fakeTime();
    const pacer = new Pacer({
      now: time.now,
      sleep: time.sleep,
      rates: { 'ecs-service-modify': { burst: 1, perSecond: 1 } },
    });
    expect(await pacer.acquire('us-east-1', 'ECS', 'UpdateService')).toBe(0);
    expect(await pacer.acquire('eu-west-1', 'ECS', 'UpdateService')).toBe(0);
    expect(await pacer.acquire('us-east-1', 'ECS', 'UpdateService')).toBe(1000);
  });

  it('serves concurrent writers in order, at the rate', async () => {
    // 83 UpdateService arriving at the same instant (the clock stands still while they wait):
    // a burst of 50 serves 50 at once, then one every 200 ms; the last at (83 - 50) / 5 s.
    const pacer = new Pacer({ now: () => 0, sleep: async () => {} });
    const waits = await Promise.all(
      Array.from({ length: 83 }, () => pacer.acquire('ctx', 'ECS', 'UpdateService')),
    );
    expect(waits.slice(0, 50).every((w) => w === 0)).toBe(true);
    expect(waits[50]).toBe(200);
    expect(waits[82]).toBe(6_600);
    expect([...waits].sort((a, b) => a - b)).toEqual(waits);
  });

  it('takes raised quotas, and rejects a category it does not know', () => {
    const pacer = new Pacer({ rates: { 'cloudwatch-put-metric-alarm': { burst: 10, perSecond: 10 } } });
    expect(pacer).toBeInstanceOf(Pacer);
    expect(() => new Pacer({ rates: { 'cloudwatch-put-alarm': { burst: 1, perSecond: 1 } } })).toThrow(
      /unknown pacing category/,
    );
  });
});

describe('pacing in the client factory (no network)', () => {
  /** Answers every command in the deserialize step, before any HTTP: the stack up to signing still runs. */
  function offline(clients: AwsClients): void {
    const answer: DeserializeMiddleware<object, MetadataBearer> = () => async () => ({
      output: { $metadata: {} },
      response: {},
    });
    for (const client of [clients.autoscaling, clients.cloudwatch]) {
      client.middlewareStack.add(answer as never, { step: 'deserialize', priority: 'high', name: 'offline' });
    }
  }

  it('paces each write attempt of a context through its bucket, reads not at all', async () => {
    const time = fakeTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep });
    const clients = createAwsClients({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      pacer,
    });
    offline(clients);
    for (let i = 0; i < 25; i++) {
      await clients.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `g${i}`, MinSize: 1 }),
      );
    }
    await clients.autoscaling.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'p', PolicyType: 'StepScaling' }),
    );
    for (let i = 0; i < 10; i++) {
      await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    }
    await clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'a',
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    // Auto Scaling: a burst of 20, then 5 per second: writes 21..26 wait 200 ms each.
    expect(time.sleeps).toEqual([200, 200, 200, 200, 200, 200]);
    expect(pacer.stats().paced).toEqual({ 'autoscaling-mutating': 26, 'cloudwatch-put-metric-alarm': 1 });
    clients.destroy();
  });

  it('adds nothing to the stack without a pacer', async () => {
    const clients = createAwsClients({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    expect(clients.autoscaling.middlewareStack.identify().join('\n')).not.toContain('autoscaleGitopsPacing');
    const paced = createAwsClients({ region: 'us-east-1', pacer: new Pacer() });
    expect(paced.autoscaling.middlewareStack.identify().join('\n')).toContain('autoscaleGitopsPacing');
    clients.destroy();
    paced.destroy();
  });
});
