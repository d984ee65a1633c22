import {
  DescribeAutoScalingGroupsCommand,
  PutScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { DeserializeMiddleware, MetadataBearer } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../../../src/aws/clients.ts';
import {
  isReadOperation,
  Pacer,
  pacingMargin,
  requestShape,
  START_WAIT_LIMIT_MS,
  TokenBucket,
} from '../../../src/aws/pacing.ts';
import { bucketsOf, RATE_BUCKETS, withRates } from '../../../src/aws/rates.ts';
import { RunDeadline } from '../../../src/deadline.ts';

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

/**
 * A clock with timers: a sleep resolves only when {@link advance} moves the clock past its end
 * (or its signal aborts), so a wait that nothing ends stays pending however far time moves.
 */
function fakeTimers() {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = { at: now + ms, resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            const i = timers.indexOf(timer);
            if (i >= 0) timers.splice(i, 1);
            resolve();
          },
          { once: true },
        );
      }),
    /** Moves the clock `ms` on, firing the timers due on the way, in order. */
    async advance(ms: number) {
      const end = now + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > end) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.resolve();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

/** A promise's outcome so far, without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = {
    state: 'pending',
  };
  promise.then(
    (value) => Object.assign(seen, { state: 'resolved', value }),
    (error: unknown) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
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

describe('the rate table (src/aws/rates.ts)', () => {
  const names = (service: string, operation: string, shape?: { unfilteredUnpaginated?: boolean }) =>
    bucketsOf(service, operation, shape).map((b) => `${b.name} ${b.burst}/${b.perSecond}`);

  it('puts every read of the plan in its documented bucket', () => {
    expect(isReadOperation('DescribeAlarms')).toBe(true);
    expect(isReadOperation('ListContainerInstances')).toBe(true);
    expect(isReadOperation('GetMetricData')).toBe(true);
    expect(isReadOperation('PutMetricAlarm')).toBe(false);
    // EC2 Auto Scaling: one shared limit for every call (AWS publishes no figure: assumed).
    for (const op of ['DescribeAutoScalingGroups', 'DescribePolicies', 'DescribeScheduledActions']) {
      expect(names('AutoScaling', op)).toEqual(['autoscaling-account 40/10']);
    }
    expect(names('CloudWatch', 'DescribeAlarms')).toEqual(['cloudwatch-describe-alarms 9/9']);
    expect(names('CloudWatch', 'GetMetricData')).toEqual(['cloudwatch-get-metric-data 50/50']);
    expect(names('ECS', 'DescribeServices')).toEqual(['ecs-service-read 100/20']);
    expect(names('ECS', 'DescribeTaskDefinition')).toEqual(['ecs-task-definition-read 50/20']);
    expect(names('ECS', 'ListContainerInstances')).toEqual(['ecs-cluster-resource-read 100/20']);
    expect(names('ECS', 'DescribeContainerInstances')).toEqual(['ecs-cluster-resource-read 100/20']);
    expect(names('ECS', 'ListTagsForResource')).toEqual(['ecs-other-read 50/20']);
    // ELB: the category's bucket and the account-level one shared by every ELB call.
    expect(names('ELBv2', 'DescribeTargetGroups')).toEqual([
      'elbv2-non-mutating 40/10',
      'elbv2-account 40/10',
    ]);
    expect(names('ELBv2', 'DescribeTargetHealth')).toEqual([
      'elbv2-non-mutating 40/10',
      'elbv2-account 40/10',
    ]);
    // EC2: a filtered or paged DescribeInstances takes from the larger bucket.
    expect(names('EC2', 'DescribeInstances', { unfilteredUnpaginated: false })).toEqual([
      'ec2-non-mutating 100/20',
    ]);
    expect(names('EC2', 'DescribeInstances', { unfilteredUnpaginated: true })).toEqual([
      'ec2-unfiltered-unpaginated 50/10',
    ]);
    // The shape the client's requests make: a filter or a page moves them; instance ids do not
    // (AWS's page names only pagination and filters).
    expect(requestShape({})).toEqual({ unfilteredUnpaginated: true });
    expect(requestShape({ InstanceIds: ['i-1'] })).toEqual({ unfilteredUnpaginated: true });
    expect(requestShape({ Filters: [{ Name: 'instance-id', Values: ['i-1'] }] })).toEqual({
      unfilteredUnpaginated: false,
    });
    expect(requestShape({ MaxResults: 1000 })).toEqual({ unfilteredUnpaginated: false });
    expect(requestShape({ NextToken: 't' })).toEqual({ unfilteredUnpaginated: false });
    expect(names('EC2', 'DescribeImages', { unfilteredUnpaginated: true })).toEqual([
      'ec2-non-mutating 100/20',
    ]);
    expect(names('STS', 'AssumeRole')).toEqual([]);
  });

  it('puts every write of the apply in its documented bucket', () => {
    expect(names('CloudWatch', 'PutMetricAlarm')).toEqual(['cloudwatch-put-metric-alarm 3/3']);
    expect(names('CloudWatch', 'DeleteAlarms')).toEqual(['cloudwatch-delete-alarms 3/3']);
    expect(names('CloudWatch', 'PutMetricData')).toEqual([]);
    expect(names('ECS', 'UpdateService')).toEqual(['ecs-service-modify 50/5']);
    expect(names('ECS', 'DeregisterContainerInstance')).toEqual(['ecs-cluster-resource-modify 100/40']);
    expect(names('ECS', 'UpdateContainerInstancesState')).toEqual(['ecs-cluster-resource-modify 100/40']);
    expect(names('ECS', 'TagResource')).toEqual(['ecs-tag-modify 20/10']);
    expect(names('EC2', 'CreateTags')).toEqual(['ec2-tags 100/10']);
    expect(names('EC2', 'RunInstances')).toEqual(['ec2-mutating 50/5']);
    expect(names('ELBv2', 'RegisterTargets')).toEqual(['elbv2-registration 20/4', 'elbv2-account 40/10']);
    expect(names('ELBv2', 'DeregisterTargets')).toEqual(['elbv2-registration 20/4', 'elbv2-account 40/10']);
    expect(names('ELBv2', 'ModifyTargetGroup')).toEqual(['elbv2-mutating 20/3', 'elbv2-account 40/10']);
    for (const op of [
      'CreateAutoScalingGroup',
      'UpdateAutoScalingGroup',
      'PutScalingPolicy',
      'DeletePolicy',
      'PutScheduledUpdateGroupAction',
      'DeleteScheduledAction',
      'TerminateInstanceInAutoScalingGroup',
    ]) {
      expect(names('AutoScaling', op)).toEqual(['autoscaling-mutating 20/5', 'autoscaling-account 40/10']);
    }
  });

  it('names every bucket once, says where each figure comes from, and takes overrides by name', () => {
    const all = RATE_BUCKETS.map((b) => b.name);
    expect(new Set(all).size).toBe(all.length);
    for (const b of RATE_BUCKETS) expect(b.source).toMatch(/docs\.aws\.amazon\.com|repost\.aws/);
    const raised = withRates({ 'cloudwatch-describe-alarms': { burst: 20, perSecond: 20 } });
    expect(bucketsOf('CloudWatch', 'DescribeAlarms', {}, raised)[0]).toMatchObject({
      burst: 20,
      perSecond: 20,
    });
    expect(() => withRates({ 'cloudwatch-describe-alarm': { burst: 1, perSecond: 1 } })).toThrow(
      /unknown rate bucket/,
    );
  });
});

describe('Pacer', () => {
  it('makes requests beyond the burst wait, per bucket, writes and reads alike', async () => {
    const time = fakeTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep, refillFrom: 'first-request' });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await pacer.acquire('ctx', 'CloudWatch', 'PutMetricAlarm'));
    // 3 a second, with a quarter second's refill (0.75 token) kept in hand: 2 at once, the third
    // after 1/4 s, then 1/3 s each.
    expect(waits).toEqual([0, 0, 250, 334, 333]);
    // Another bucket is full: DeleteAlarms goes at once; DescribeAlarms has 9 a second.
    expect(await pacer.acquire('ctx', 'CloudWatch', 'DeleteAlarms')).toBe(0);
    const reads: number[] = [];
    for (let i = 0; i < 11; i++) reads.push(await pacer.acquire('ctx', 'CloudWatch', 'DescribeAlarms'));
    expect(reads).toEqual([0, 0, 0, 0, 0, 0, 28, 111, 111, 112, 111]);
    expect(pacer.stats()).toEqual({
      paced: {
        'cloudwatch-put-metric-alarm': 5,
        'cloudwatch-delete-alarms': 1,
        'cloudwatch-describe-alarms': 11,
      },
      waited: { 'cloudwatch-put-metric-alarm': 3, 'cloudwatch-describe-alarms': 5 },
      waitedMs: 917 + 473,
    });
  });

  it("reads a fleet's task definitions at ECS's rate: a burst of 50, then 20 a second", async () => {
    // 500 DescribeTaskDefinition at the same instant (the clock stands still while they wait).
    const pacer = new Pacer({ now: () => 0, sleep: async () => {}, refillFrom: 'first-request' });
    const waits = await Promise.all(
      Array.from({ length: 500 }, () => pacer.acquire('ctx', 'ECS', 'DescribeTaskDefinition')),
    );
    // 45 at once (a quarter second's refill, 5 tokens, in hand), then one every 50 ms: the last at (500 - 45) / 20 s.
    expect(waits.slice(0, 45).every((w) => w === 0)).toBe(true);
    expect(waits.slice(45, 47)).toEqual([50, 100]);
    expect(waits[499]).toBe(22_750);
    expect([...waits].sort((a, b) => a - b)).toEqual(waits);
    // Another bucket of ECS is untouched by them.
    expect(await pacer.acquire('ctx', 'ECS', 'DescribeServices')).toBe(0);
  });

  it('takes a token of every bucket a request needs, and waits for the emptiest', async () => {
    const pacer = new Pacer({ now: () => 0, sleep: async () => {}, refillFrom: 'first-request' });
    // 41 ELB reads empty the account-level bucket shared by every ELB call (37 at once)...
    const reads: number[] = [];
    for (let i = 0; i < 41; i++) reads.push(await pacer.acquire('ctx', 'ELBv2', 'DescribeTargetHealth'));
    expect(reads.slice(36)).toEqual([0, 50, 150, 250, 350]);
    // ...so a registration waits for it (another 1/10 s), though its own bucket (20) is full.
    expect(await pacer.acquire('ctx', 'ELBv2', 'RegisterTargets')).toBe(450);
    expect(pacer.stats().waited).toEqual({ 'elbv2-non-mutating': 4, 'elbv2-account': 1 });
  });

  it('keeps separate buckets per context (account and region)', async () => {
    const time = fakeTime();
    const pacer = new Pacer({
      now: time.now,
      sleep: time.sleep,
      rates: { 'ecs-service-modify': { burst: 1, perSecond: 1 } },
      refillFrom: 'first-request',
    });
    expect(await pacer.acquire('us-east-1', 'ECS', 'UpdateService')).toBe(0);
    expect(await pacer.acquire('eu-west-1', 'ECS', 'UpdateService')).toBe(0);
    expect(await pacer.acquire('us-east-1', 'ECS', 'UpdateService')).toBe(1000);
  });

  it('serves concurrent writers in order, at the rate', async () => {
    // 83 UpdateService arriving at the same instant: a burst of 50 serves 48 at once (1.25
    // tokens in hand), then one every 200 ms; the last at (83 - 48.75) / 5 s.
    const pacer = new Pacer({ now: () => 0, sleep: async () => {}, refillFrom: 'first-request' });
    const waits = await Promise.all(
      Array.from({ length: 83 }, () => pacer.acquire('ctx', 'ECS', 'UpdateService')),
    );
    expect(waits.slice(0, 48).every((w) => w === 0)).toBe(true);
    expect(waits.slice(48, 50)).toEqual([50, 250]);
    expect(waits[82]).toBe(6_850);
  });

  it('never waits past the run deadline: it refuses at once and gives the tokens back', async () => {
    const slept: number[] = [];
    const pacer = new Pacer({
      now: () => 0,
      sleep: async (ms) => {
        slept.push(ms);
      },
      rates: { 'ecs-task-definition-read': { burst: 1, perSecond: 1 } },
      refillFrom: 'first-request',
    });
    const deadline = new RunDeadline(1.5, () => 0);
    expect(await pacer.acquire('ctx', 'ECS', 'DescribeTaskDefinition', { deadline })).toBe(0);
    expect(await pacer.acquire('ctx', 'ECS', 'DescribeTaskDefinition', { deadline })).toBe(1000);
    // The next token is 2 s away, past the deadline (1.5 s): refused without sleeping.
    await expect(pacer.acquire('ctx', 'ECS', 'DescribeTaskDefinition', { deadline })).rejects.toThrow(
      /timeout \(2s\) passed: ECS:DescribeTaskDefinition not started \(AWS's request rate would have it wait 2\.0 s/,
    );
    expect(slept).toEqual([1000]);
    // Its token went back: without a deadline the next caller waits 2 s, not 3 s.
    expect(await pacer.acquire('ctx', 'ECS', 'DescribeTaskDefinition')).toBe(2000);
  });

  it('refills from the first answer: AWS cannot have refilled for us before it saw us', async () => {
    const time = fakeTimers();
    const pacer = new Pacer({
      now: time.now,
      sleep: time.sleep,
      rates: { 'ecs-service-read': { burst: 2, perSecond: 10 } },
    });
    // A burst of 2, one token in hand: the first goes, the second is due 100 ms after the start.
    expect(await pacer.acquire('ctx', 'ECS', 'DescribeServices')).toBe(0);
    const second = watch(pacer.acquire('ctx', 'ECS', 'DescribeServices'));
    // The first answer takes 400 ms (a busy machine); only then does the refill start.
    await time.advance(400);
    expect(second.state).toBe('pending');
    pacer.answered('ctx', 'ECS', 'DescribeServices');
    await time.advance(99);
    expect(second.state).toBe('pending');
    await time.advance(1);
    expect(second).toEqual({ state: 'resolved', value: 500 });
  });

  /**
   * A registration takes the only token of a new bucket (burst 1) and its answer does not come
   * (the request hangs, or is still waiting on another bucket); the next one is due 250 ms after
   * that bucket starts refilling, which nothing starts.
   */
  function heldBucket(deadlineSeconds?: number) {
    const time = fakeTimers();
    const pacer = new Pacer({
      now: time.now,
      sleep: time.sleep,
      rates: { 'elbv2-registration': { burst: 1, perSecond: 4 } },
    });
    const deadline = deadlineSeconds === undefined ? undefined : new RunDeadline(deadlineSeconds, time.now);
    const register = () =>
      pacer.acquire('ctx', 'ELBv2', 'RegisterTargets', deadline === undefined ? {} : { deadline });
    return { time, pacer, register };
  }

  it('waits for a first answer that never comes no longer than the deadline, then refuses', async () => {
    const { time, pacer, register } = heldBucket(10);
    expect(await register()).toBe(0);
    // Due 250 ms after a start: well within the deadline as far as the first check can tell.
    const second = watch(register());
    await time.advance(9_999);
    expect(second.state).toBe('pending');
    await time.advance(1);
    expect(second.state).toBe('rejected');
    expect(String(second.error)).toMatch(
      /DeadlineError: the run's timeout \(10s\) passed: ELBv2:RegisterTargets not started \(AWS's request rate would have it wait 0\.3 s after a first answer that has not come, past the deadline\)$/,
    );
    // Its token went back: once the bucket starts, a caller without a deadline is due 250 ms on
    // (one token owed: the held one's), not 500 ms.
    pacer.answered('ctx', 'ELBv2', 'RegisterTargets');
    const next = watch(pacer.acquire('ctx', 'ELBv2', 'RegisterTargets'));
    await time.advance(250);
    expect(next).toEqual({ state: 'resolved', value: 250 });
  });

  it('without a deadline, refills from START_WAIT_LIMIT_MS on when no first answer comes', async () => {
    const { time, register } = heldBucket();
    expect(await register()).toBe(0);
    const second = watch(register());
    await time.advance(START_WAIT_LIMIT_MS);
    // The bucket refills from now on: the token is due 250 ms later, not never.
    expect(second.state).toBe('pending');
    await time.advance(250);
    expect(second).toEqual({ state: 'resolved', value: START_WAIT_LIMIT_MS + 250 });
  });

  it('checks the deadline again when the first answer comes late, and refuses past it', async () => {
    const { time, pacer, register } = heldBucket(10);
    expect(await register()).toBe(0);
    const second = watch(register());
    // The answer comes 9.9 s later: the token would be due 10.15 s in, past the deadline.
    await time.advance(9_900);
    pacer.answered('ctx', 'ELBv2', 'RegisterTargets');
    await time.advance(0);
    expect(second.state).toBe('rejected');
    expect(String(second.error)).toMatch(/timeout \(10s\) passed: ELBv2:RegisterTargets not started/);
    expect(time.now()).toBe(9_900);
    // The bucket has started now: the next caller's token (250 ms on) is refused at once too.
    const third = watch(register());
    await time.advance(0);
    expect(String(third.error)).toMatch(
      /RegisterTargets not started \(AWS's request rate would have it wait 0\.3 s/,
    );
  });

  it('paces writes only when asked', async () => {
    const pacer = new Pacer({
      now: () => 0,
      sleep: async () => {},
      reads: false,
      refillFrom: 'first-request',
    });
    for (let i = 0; i < 100; i++) expect(await pacer.acquire('ctx', 'CloudWatch', 'DescribeAlarms')).toBe(0);
    for (let i = 0; i < 2; i++) expect(await pacer.acquire('ctx', 'CloudWatch', 'PutMetricAlarm')).toBe(0);
    expect(await pacer.acquire('ctx', 'CloudWatch', 'PutMetricAlarm')).toBe(250);
  });

  it('takes raised quotas, and rejects a bucket it does not know', () => {
    const pacer = new Pacer({ rates: { 'cloudwatch-put-metric-alarm': { burst: 10, perSecond: 10 } } });
    expect(pacer.bucketsOf('CloudWatch', 'PutMetricAlarm')[0]).toMatchObject({ burst: 10 });
    expect(() => new Pacer({ rates: { 'cloudwatch-put-alarm': { burst: 1, perSecond: 1 } } })).toThrow(
      /unknown rate bucket/,
    );
  });
});

describe("TokenBucket on AWS's side (the rate model)", () => {
  it('gives whole tokens or refuses, taking nothing when it refuses', () => {
    const bucket = new TokenBucket({ burst: 2, perSecond: 4 }, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true, false]);
    expect(bucket.level(0)).toBe(0);
    // 3/4 of a token after 187.5 ms is not a token.
    expect(bucket.tryTake(187.5)).toBe(false);
    expect(bucket.tryTake(250)).toBe(true);
    expect(bucket.level(250)).toBe(0);
  });

  it('agrees with the pacer: what the pacer lets go, AWS admits', () => {
    // The pacer's schedule for 30 requests at one instant, replayed against AWS's bucket.
    const rate = { burst: 5, perSecond: 3 };
    const ours = new TokenBucket(rate, 0);
    const aws = new TokenBucket(rate, 0);
    const sendAt = Array.from({ length: 30 }, () => ours.reserve(0));
    expect(sendAt.every((t) => aws.tryTake(t))).toBe(true);
  });

  it("admits the pacer's requests whose trip varies by 200 ms, thanks to the margin in hand", () => {
    // AWS's bucket starts at the first request's arrival, 200 ms after it left us; every later
    // request arrives at once. Without a margin the pacer's last-fraction schedule is refused.
    const rate = { burst: 50, perSecond: 20 };
    const schedule = (margin: number) => {
      const ours = new TokenBucket(rate, 0, margin);
      return Array.from({ length: 300 }, () => ours.reserve(0));
    };
    const admitted = (sendAt: number[]) => {
      const aws = new TokenBucket(rate, 200);
      return sendAt.filter((t) => aws.tryTake(Math.max(t, 200))).length;
    };
    expect(pacingMargin(rate)).toBe(5);
    expect(admitted(schedule(pacingMargin(rate)))).toBe(300);
    expect(admitted(schedule(0))).toBeLessThan(300);
  });
});

describe('pacing in the client factory (no network)', () => {
  /** Answers every command in the deserialize step, before any HTTP: the stack up to signing still runs. */
  function offline(clients: AwsClients): void {
    const answer: DeserializeMiddleware<object, MetadataBearer> = () => async () => ({
      output: { $metadata: {} },
      response: {},
    });
    const stacks = [clients.autoscaling, clients.cloudwatch, clients.ec2].map(
      (c) => c.middlewareStack as unknown as { add(m: unknown, o: object): void },
    );
    for (const stack of stacks) stack.add(answer, { step: 'deserialize', priority: 'high', name: 'offline' });
  }

  it('paces each attempt of a context through its buckets, reads and writes', async () => {
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
    // Auto Scaling writes: a burst of 20 (18 at once, 1.25 tokens in hand), then 5 per second:
    // writes 19..26 wait. The reads share the account-level bucket (40) with them: no wait.
    expect(time.sleeps).toEqual([50, 200, 200, 200, 200, 200, 200, 200]);
    expect(pacer.stats().paced).toEqual({
      'autoscaling-mutating': 26,
      'autoscaling-account': 36,
      'cloudwatch-put-metric-alarm': 1,
    });
    // EC2: an unfiltered, unpaginated DescribeInstances takes from the smaller bucket; with a
    // page size, from the larger.
    await clients.ec2.send(new DescribeInstancesCommand({}));
    await clients.ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
    expect(pacer.stats().paced).toMatchObject({ 'ec2-unfiltered-unpaginated': 1, 'ec2-non-mutating': 1 });
    clients.destroy();
  });

  it('refuses at once a request whose token would come after the run deadline', async () => {
    const pacer = new Pacer({ rates: { 'cloudwatch-describe-alarms': { burst: 1, perSecond: 0.001 } } });
    const clients = createAwsClients({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      pacer,
      deadline: new RunDeadline(60),
      maxAttempts: 1,
    });
    offline(clients);
    await clients.cloudwatch.send(new DescribeAlarmsCommand({}));
    // The next token is 1,000 s away: a DeadlineError now, not a wait of 60 s.
    await expect(clients.cloudwatch.send(new DescribeAlarmsCommand({}))).rejects.toThrow(
      /CloudWatch:DescribeAlarms not started \(AWS's request rate would have it wait 1000\.0 s/,
    );
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
