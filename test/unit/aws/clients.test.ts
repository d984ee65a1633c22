import { describe, expect, it } from 'vitest';
import { CallCounter, ClientPool, createAwsClients } from '../../../src/aws/clients.ts';

describe('CallCounter', () => {
  it('counts logical calls per Service:Operation, keys sorted', () => {
    const counter = new CallCounter();
    counter.record('EC2', 'DescribeInstances');
    counter.record('AutoScaling', 'DescribeAutoScalingGroups');
    counter.record('EC2', 'DescribeInstances');
    counter.record('CloudWatch', 'DescribeAlarms');
    expect(Object.entries(counter.snapshot())).toEqual([
      ['AutoScaling:DescribeAutoScalingGroups', 1],
      ['CloudWatch:DescribeAlarms', 1],
      ['EC2:DescribeInstances', 2],
    ]);
    expect(counter.total()).toBe(4);
    expect(counter.count('EC2', 'DescribeInstances')).toBe(2);
    expect(counter.count('ECS', 'DescribeServices')).toBe(0);
  });

  it('counts attempts separately from logical calls', () => {
    const counter = new CallCounter();
    counter.record('ECS', 'DescribeServices');
    counter.recordAttempt('ECS', 'DescribeServices');
    counter.recordAttempt('ECS', 'DescribeServices');
    expect(counter.total()).toBe(1);
    expect(counter.attempts).toBe(2);
    expect(counter.attemptSnapshot()).toEqual({ 'ECS:DescribeServices': 2 });
    expect(counter.snapshot()).toEqual({ 'ECS:DescribeServices': 1 });
  });

  it('returns snapshots that later calls do not change, and resets', () => {
    const counter = new CallCounter();
    counter.record('EC2', 'RunInstances');
    const before = counter.snapshot();
    counter.record('EC2', 'RunInstances');
    expect(before).toEqual({ 'EC2:RunInstances': 1 });
    counter.reset();
    expect(counter.snapshot()).toEqual({});
    expect(counter.total()).toBe(0);
    expect(counter.attempts).toBe(0);
  });
});

describe('createAwsClients / ClientPool (no network)', () => {
  it('builds each client once, on first use, with the context region', async () => {
    const clients = createAwsClients({ region: 'eu-central-1' });
    expect(clients.ec2).toBe(clients.ec2);
    expect(clients.elbv2).toBe(clients.elbv2);
    expect(await clients.cloudwatch.config.region()).toBe('eu-central-1');
    expect(await clients.autoscaling.config.maxAttempts()).toBe(5);
    const retryMode = clients.autoscaling.config.retryMode;
    expect(typeof retryMode === 'function' ? await retryMode() : retryMode).toBe('adaptive');
    clients.destroy();
  });

  it('honours maxAttempts and an explicit endpoint', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 2 });
    expect(await clients.ecs.config.maxAttempts()).toBe(2);
    const endpoint = await clients.ecs.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(9);
    expect(clients.context).toEqual({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    clients.destroy();
  });

  it('keys the pool by region, endpoint and role', () => {
    const pool = new ClientPool();
    const a = pool.get({ region: 'us-east-1' });
    expect(pool.get({ region: 'us-east-1' })).toBe(a);
    expect(pool.get({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' })).not.toBe(a);
    expect(pool.get({ region: 'us-east-1', roleArn: 'arn:aws:iam::1:role/r' })).not.toBe(a);
    expect(pool.get({ region: 'us-west-2' })).not.toBe(a);
    expect(pool.size).toBe(4);
    expect(pool.get({ region: 'us-east-1' }).counter).toBe(pool.counter);
    pool.destroy();
    expect(pool.size).toBe(0);
    expect(pool.get({ region: 'us-east-1' })).not.toBe(a);
  });
});
