/** Planning one service's count through plan(): bounds, events, missing data, cooldown, decisions. */
import { describe, expect, it } from 'vitest';
import { LAST_SCALED_TAG, unknown } from '../../../src/model.ts';
import { CLUSTER, decision, FILE, NOW, planFor, service } from './fixtures.ts';

const YAML = `
services:
  worker:
    min: 1
    max: 3
    metric_sources:
      third_party:
        - url: https://user:secret@rabbit.example/api/queues/celery
          statistics:
            - { name: messages_ready, alias: queue_length }
      cloudwatch:
        - namespace: AWS/ECS
          metric_name: CPUUtilization
          statistics: [ { name: Average, alias: cpu_usage } ]
    events:
      - { metric: queue_length, action: 1, min: 5, max: null }
      - { metric: "max(queue_length / 10, cpu_usage / 80)", action: -1, min: null, max: 0.2 }
`;
const ADDRESS = `${CLUSTER}/services/worker`;

describe('a service scaled by its events', () => {
  it('charts an expression event: its value computed at every time all its inputs have a datapoint', () => {
    const at = (m: number) => `2030-01-01T00:0${m}:00.000Z`;
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: {
        queue_length: {
          value: 1,
          at: at(3),
          series: [1, 2, 3, 1].map((value, m) => ({ at: at(m), value })),
        },
        // No datapoint at minute 1: the expression has none there either.
        cpu_usage: {
          value: 8,
          at: at(3),
          series: [
            { at: at(0), value: 40 },
            { at: at(2), value: 16 },
            { at: at(3), value: 8 },
          ],
        },
      },
    });
    const change = result.changes.find((c) => c.address === ADDRESS);
    const expression = change?.decisions?.find((d) => d.metric.startsWith('max('));
    expect(expression?.series).toEqual([
      { at: at(0), value: 0.5 },
      { at: at(2), value: 0.3 },
      { at: at(3), value: 0.1 },
    ]);
    // The decision keeps each event metric's series too (charts of services left as they are).
    expect(decision(result, ADDRESS).series).toEqual({
      queue_length: [1, 2, 3, 1].map((value, m) => ({ at: at(m), value })),
      'max(queue_length / 10, cpu_usage / 80)': expression?.series,
    });
  });

  it('scales out when the first event matches, with the metric values and the event in the plan', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(result.changes).toHaveLength(1);
    const change = result.changes[0];
    expect(change).toMatchObject({
      address: ADDRESS,
      type: 'ecs_service',
      action: 'update',
      id: 'worker',
      file: FILE,
      line: 3,
      before: { desired: 2 },
      after: { desired: 3 },
      operation: {
        kind: 'update_service',
        cluster: CLUSTER,
        service: 'worker',
        desired: 3,
        scaledAt: NOW.toISOString(),
      },
    });
    expect(change?.reason).toContain('events[0] queue_length = 12 (≥ 5, +1)');
    expect(change?.reason).toContain('desired 2 → 3');
    expect(change?.decisions).toEqual([
      { metric: 'queue_length', value: 12, rule: { min: 5, max: null, action: 1 } },
    ]);
    expect(decision(result, ADDRESS)).toMatchObject({
      kind: 'ecs_service',
      outcome: 'scale',
      metrics: { queue_length: 12, cpu_usage: 50 },
      before: 2,
      after: 3,
      events: [{ index: 0, result: 'fired', value: 12 }],
    });
    expect(result.summary.update).toBe(1);
  });

  it('scales in on the second event when the first does not match', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 3 }) },
      metrics: { queue_length: 1, cpu_usage: 8 },
    });
    expect(result.changes.map((c) => [c.before, c.after])).toEqual([[{ desired: 3 }, { desired: 2 }]]);
    expect(decision(result, ADDRESS).events.map((e) => e.result)).toEqual(['no_match', 'fired']);
  });

  it('changes nothing, and says why, when no event matches', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: { queue_length: 3, cpu_usage: 50 },
    });
    expect(result.changes).toEqual([]);
    const d = decision(result, ADDRESS);
    expect(d).toMatchObject({ outcome: 'unchanged', before: 2, after: 2 });
    expect(d.reason).toBe(
      'no event matched (max(queue_length / 10, cpu_usage / 80) = 0.625; queue_length = 3, cpu_usage = 50): desired stays 2',
    );
  });

  it('says the event was skipped at the bound', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 3 }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(result.changes).toEqual([]);
    expect(decision(result, ADDRESS).reason).toContain(
      'events[0] queue_length = 12 (≥ 5, +1) skipped: already at the bound',
    );
  });
});

describe('ecs-autoscale bug: it started from the RUNNING count', () => {
  it('starts from the desired count: +1 with desired 5 and 3 running gives 6, not 4', () => {
    const yaml = YAML.replace('max: 3', 'max: 8');
    const result = planFor(yaml, {
      services: { worker: service('worker', { desired: 5, running: 3, pending: 0 }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(result.changes.map((c) => c.after)).toEqual([{ desired: 6 }]);
  });

  it('does not scale a service whose running count lags below min when desired is within bounds', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2, running: 0 }) },
      metrics: { queue_length: 3, cpu_usage: 50 },
    });
    expect(result.changes).toEqual([]);
  });
});

describe('ecs-autoscale bug: a count above max (or below min) was not brought back from desired', () => {
  it('scales a desired count above max down to max though no event matches', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 7, running: 2 }) },
      metrics: { queue_length: 3, cpu_usage: 50 },
    });
    expect(result.changes.map((c) => [c.before, c.after])).toEqual([[{ desired: 7 }, { desired: 3 }]]);
    expect(result.changes[0]?.reason).toContain('desired 7 is above max 3: set to 3');
  });

  it('scales a desired count below min up to min, even with no metric readable and in cooldown', () => {
    const result = planFor(YAML, {
      services: {
        worker: service('worker', { desired: 0, lastScaled: new Date(NOW.getTime() - 10_000).toISOString() }),
      },
      metrics: { queue_length: 'HTTP 503', cpu_usage: 'no data' },
    });
    expect(result.changes.map((c) => c.after)).toEqual([{ desired: 1 }]);
    expect(decision(result, ADDRESS).outcome).toBe('scale');
  });
});

describe('a metric that cannot be read', () => {
  it('leaves the service as it is (no scale-in on missing data), with a warning saying why', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 3 }) },
      metrics: { queue_length: 1, cpu_usage: 'no complete datapoint in the last 3 periods' },
    });
    expect(result.changes).toEqual([]);
    const d = decision(result, ADDRESS);
    expect(d).toMatchObject({
      outcome: 'no_data',
      before: 3,
      after: 3,
      metrics: { queue_length: 1, cpu_usage: null },
    });
    expect(d.reason).toContain('cpu_usage: no complete datapoint');
    expect(result.warnings.map((w) => w.message)).toEqual([
      'service worker: metric not read, not scaled this run (cpu_usage: no complete datapoint in the last 3 periods)',
    ]);
    expect(result.errors).toEqual([]);
  });

  it('does not stop the service when the unreadable metric is read by no event', () => {
    const yaml = YAML.replace(
      '      - { metric: "max(queue_length / 10, cpu_usage / 80)", action: -1, min: null, max: 0.2 }\n',
      '',
    );
    const result = planFor(yaml, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: { queue_length: 9, cpu_usage: 'no data' },
    });
    expect(result.changes.map((c) => c.after)).toEqual([{ desired: 3 }]);
  });

  it('does not hold up other services', () => {
    const yaml = `${YAML}
  other:
    min: 1
    max: 4
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Jobs, statistics: [ { name: Sum, alias: jobs } ] }
    events:
      - { metric: jobs, action: 2, min: 100, max: null }
`;
    const result = planFor(yaml, {
      services: { worker: service('worker', { desired: 2 }), other: service('other', { desired: 1 }) },
      metrics: { queue_length: 'HTTP 500', cpu_usage: 'HTTP 500', jobs: 250 },
    });
    expect(result.changes.map((c) => [c.id, c.after])).toEqual([['other', { desired: 3 }]]);
  });

  it('treats an event whose arithmetic fails as no data', () => {
    const yaml = YAML.replace('max(queue_length / 10, cpu_usage / 80)', 'queue_length / cpu_usage');
    const result = planFor(yaml, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: { queue_length: 1, cpu_usage: 0 },
    });
    expect(result.changes).toEqual([]);
    expect(decision(result, ADDRESS).outcome).toBe('no_data');
    expect(result.warnings[0]?.message).toContain('events[1] queue_length / cpu_usage');
  });
});

describe('cooldown', () => {
  const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000).toISOString();

  it(`holds a metric-driven change until cooldown seconds after the ${LAST_SCALED_TAG} tag`, () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2, lastScaled: at(120) }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(result.changes).toEqual([]);
    const d = decision(result, ADDRESS);
    expect(d).toMatchObject({ outcome: 'cooldown', before: 2, after: 2 });
    expect(d.reason).toContain('would set desired 2 → 3');
    expect(d.reason).toContain('last set 2 min ago');
    expect(d.reason).toContain('cooldown 300 s, 3 min left');
  });

  it('acts once the cooldown has run out (default 300 s)', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2, lastScaled: at(300) }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(result.changes.map((c) => c.after)).toEqual([{ desired: 3 }]);
  });

  it('uses the service cooldown from the YAML', () => {
    const yaml = YAML.replace('    max: 3\n', '    max: 3\n    cooldown: 60\n');
    const live = (ago: number) => ({
      services: { worker: service('worker', { desired: 2, lastScaled: at(ago) }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(planFor(yaml, live(59)).changes).toEqual([]);
    expect(planFor(yaml, live(60)).changes).toHaveLength(1);
  });

  it('counts a tag in the future as just set, and ignores one that is not a time', () => {
    const future = planFor(YAML, {
      services: { worker: service('worker', { desired: 2, lastScaled: at(-600) }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(future.changes).toEqual([]);
    const garbage = planFor(YAML, {
      services: { worker: service('worker', { desired: 2, lastScaled: 'yesterday' }) },
      metrics: { queue_length: 12, cpu_usage: 50 },
    });
    expect(garbage.changes).toHaveLength(1);
  });
});

describe('services that are not scaled', () => {
  it('notes a disabled service and a disabled cluster without planning them', () => {
    const disabledService = planFor(
      YAML.replace('    min: 1\n    max: 3\n', '    enabled: false\n    min: 1\n    max: 3\n'),
      {
        services: {},
      },
    );
    expect(disabledService.changes).toEqual([]);
    expect(decision(disabledService, ADDRESS)).toMatchObject({ outcome: 'disabled' });
    const disabledCluster = planFor(`enabled: false\n${YAML}`, { services: {} });
    expect(decision(disabledCluster, ADDRESS)).toMatchObject({
      outcome: 'disabled',
      reason: 'cluster has enabled: false: not managed',
    });
    expect(disabledCluster.errors).toEqual([]);
  });

  it('reports a missing service, a deleted one and one that could not be read as errors', () => {
    const missing = planFor(YAML, {
      services: { worker: null },
      metrics: { queue_length: 12, cpu_usage: 1 },
    });
    expect(missing.errors.map((e) => e.message)).toEqual([
      'service worker does not exist in cluster my_cluster (us-east-1); not scaled',
    ]);
    expect(decision(missing, ADDRESS).outcome).toBe('missing');
    const inactive = planFor(YAML, { services: { worker: service('worker', { status: 'INACTIVE' }) } });
    expect(inactive.errors[0]?.message).toContain('is INACTIVE');
    const unread = planFor(YAML, { services: { worker: unknown('ThrottlingException: Rate exceeded') } });
    expect(unread.changes).toEqual([]);
    expect(unread.errors[0]?.message).toContain('could not be read (ThrottlingException: Rate exceeded)');
    expect(decision(unread, ADDRESS).outcome).toBe('unknown');
  });

  it('reports a missing cluster once', () => {
    const result = planFor(YAML, { exists: false, services: { worker: null } });
    expect(result.errors.map((e) => e.message)).toEqual([
      'ECS cluster my_cluster does not exist in us-east-1; nothing of it is planned',
    ]);
    expect(result.changes).toEqual([]);
  });
});

describe('the decision of every service', () => {
  it('never holds the credentials of a third-party URL', () => {
    const result = planFor(YAML, {
      services: { worker: service('worker', { desired: 2 }) },
      metrics: { queue_length: 'GET https://rabbit.example/api/queues/celery: HTTP 503', cpu_usage: 1 },
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
