/** The ECS decisions in the text, Markdown and JSON renderings. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/render/index.ts';
import { asg, instance, NOW, planFor, service } from './fixtures.ts';

const YAML = `autoscale_group: ecs-asg
services:
  worker:
    min: 1
    max: 3
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Queue, statistics: [ { name: Maximum, alias: queue_length } ] }
    events:
      - { metric: queue_length, action: 1, min: 5, max: null }
  backend:
    min: 1
    max: 3
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Cpu, statistics: [ { name: Average, alias: cpu } ] }
    events:
      - { metric: cpu, action: -1, min: null, max: 10 }
`;

function samplePlan() {
  return planFor(YAML, {
    services: {
      worker: service('worker', { desired: 1 }),
      backend: service('backend', { desired: 2, lastScaled: new Date(NOW.getTime() - 60_000).toISOString() }),
    },
    metrics: { queue_length: 12, cpu: 'no complete datapoint' },
    taskSizes: { worker: { cpu: 256, memory: 512, source: 'containers' } },
    instances: [instance('i-1')],
    groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 2, desired: 1 }, ['i-1']) },
  });
}

describe('decisions', () => {
  it('are listed in the text rendering, each with its count, outcome, metrics and reason', () => {
    const text = render('text', samplePlan());
    expect(text).toContain(`ECS decisions:
  my_cluster/services/worker: 1 → 2 [scale]  (clusters/my_cluster.yml:3)
      metrics: queue_length = 12
      # events[0] queue_length = 12 (≥ 5, +1): desired 1 → 2
  my_cluster/services/backend: 2 [no data]  (clusters/my_cluster.yml:11)
      metrics: cpu = ?
      # not scaled this run: cpu: no complete datapoint
  my_cluster/capacity/ecs-asg: 1 [unchanged]  (clusters/my_cluster.yml:1)
      # waiting tasks 1 worker (256 CPU / 512 MiB each, sum of its containers) fit on 1 active instance; no instance drained: the group is at its min 1
`);
  });

  it('are a folded table in Markdown (the comment), the scale named by its direction', () => {
    const markdown = render('markdown', samplePlan());
    expect(markdown).toContain(
      '<summary><b>my_cluster</b> · ECS decisions · 1 ⬆️ scale out, 1 ⚠️ no data, 1 unchanged</summary>',
    );
    expect(markdown).toContain(
      '| `worker` | service | ⬆️ scale out | 1 → 2 | queue_length = 12 | queue_length = 12: x ≥ 5 → +1 task (line 10) | events\\[0\\] queue_length = 12 (≥ 5, +1): desired 1 → 2 |',
    );
    expect(markdown).toContain('```diff\n~ scale out ecs_service worker\n!   desired: 1 → 2\n```');
  });

  it('are data in the JSON plan', () => {
    const doc = JSON.parse(render('json', samplePlan()));
    expect(doc.decisions).toHaveLength(3);
    expect(doc.decisions[0]).toEqual({
      kind: 'ecs_service',
      address: 'my_cluster/services/worker',
      id: 'worker',
      cluster: 'my_cluster',
      file: 'clusters/my_cluster.yml',
      line: 3,
      outcome: 'scale',
      metrics: { queue_length: 12 },
      events: [
        { index: 0, metric: 'queue_length', value: 12, min: 5, max: null, action: 1, result: 'fired' },
      ],
      before: 1,
      after: 2,
      reason: 'events[0] queue_length = 12 (≥ 5, +1): desired 1 → 2',
    });
    expect(doc.decisions[1]).toMatchObject({
      outcome: 'no_data',
      metrics: { cpu: null },
      before: 2,
      after: 2,
    });
  });

  it('are absent from a plan without ECS', () => {
    const doc = JSON.parse(render('json', planFor('groups:\n  web: { min: 1 }\n', {})));
    expect(doc.decisions).toBeUndefined();
    expect(render('text', planFor('groups:\n  web: { min: 1 }\n', {}))).not.toContain('ECS decisions');
  });
});
