/** Cluster capacity: bin packing, scale out by as many as needed, drain then terminate, bounds. */

import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { unknown } from '../../../src/model.ts';
import { taskSize } from '../../../src/observe/ecs.ts';
import { fits, packFirstFitDecreasing } from '../../../src/plan/ecs/packing.ts';
import { asg, CLUSTER, decision, instance, planFor, service } from './fixtures.ts';

const CAPACITY = `${CLUSTER}/capacity/ecs-asg`;

/** One service, scaled out by one by a metric, on a cluster sized by ecs-asg. */
function yaml(extra = ''): string {
  return `autoscale_group: ecs-asg
${extra}services:
  worker:
    min: 0
    max: 20
    metric_sources:
      cloudwatch:
        - { namespace: Custom, metric_name: Queue, statistics: [ { name: Maximum, alias: queue } ] }
    events:
      - { metric: queue, action: 1, min: 5, max: null }
      - { metric: queue, action: -1, min: null, max: 0 }
`;
}

const TASK = { cpu: 1024, memory: 2048, source: 'task' as const };

describe('ecs-autoscale bug: task sizes ignored the task-level cpu and memory', () => {
  const definition = (fields: Partial<TaskDefinition>): TaskDefinition => ({
    containerDefinitions: [
      { name: 'a', cpu: 128, memory: 256 },
      { name: 'b', cpu: 64, memoryReservation: 128, memory: 1024 },
    ],
    ...fields,
  });

  it('uses the task-level cpu and memory when the task definition sets them', () => {
    expect(taskSize(definition({ cpu: '1024', memory: '3072' }))).toEqual({
      cpu: 1024,
      memory: 3072,
      source: 'task',
    });
    expect(taskSize(definition({ cpu: '1 vCPU', memory: '2 GB' }))).toMatchObject({
      cpu: 1024,
      memory: 2048,
    });
  });

  it('else sums the containers (memoryReservation before memory: what placement reserves)', () => {
    expect(taskSize(definition({}))).toEqual({ cpu: 192, memory: 384, source: 'containers' });
  });

  it('takes each resource from the task level where set, from the containers where not', () => {
    expect(taskSize(definition({ memory: '4096' }))).toMatchObject({ cpu: 192, memory: 4096 });
  });

  it('sizes a capacity plan with the task-level size (a container sum would fit, the task does not)', () => {
    // Task level 3072 CPU: a second task does not fit on 4096 with 1024 in use; containers (192) would.
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 1, running: 1 }) },
      metrics: { queue: 9 },
      taskSizes: { worker: taskSize(definition({ cpu: '3072', memory: '2048' })) },
      instances: [instance('i-1', { used: { cpu: 3072, memory: 2048 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 4, desired: 1 }, ['i-1']) },
    });
    expect(decision(result, CAPACITY)).toMatchObject({ outcome: 'scale', before: 1, after: 2 });
  });
});

describe('ecs-autoscale bug: a task that exactly fits was counted as not fitting', () => {
  it('fits exactly (≥, not >)', () => {
    expect(fits({ cpu: 1024, memory: 2048 }, { cpu: 1024, memory: 2048 })).toBe(true);
    expect(fits({ cpu: 1025, memory: 2048 }, { cpu: 1024, memory: 2048 })).toBe(false);
    expect(fits({ cpu: 1024, memory: 2049 }, { cpu: 1024, memory: 2048 })).toBe(false);
  });

  it('does not scale out for a task that exactly fills what is left', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 3, running: 3 }) },
      metrics: { queue: 9 },
      taskSizes: { worker: TASK },
      instances: [instance('i-1', { used: { cpu: 3072, memory: 6144 }, tasks: 3 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 4, desired: 1 }, ['i-1']) },
    });
    expect(result.changes.map((c) => c.type)).toEqual(['ecs_service']);
    expect(decision(result, CAPACITY)).toMatchObject({ outcome: 'unchanged', before: 1, after: 1 });
  });
});

describe('first-fit decreasing', () => {
  it('places the largest items first and opens as few new instances as it needs', () => {
    const item = (label: string, cpu: number, memory: number) => ({ label, cpu, memory });
    const packing = packFirstFitDecreasing(
      [item('a', 1000, 1000), item('b', 3000, 3000), item('c', 2000, 2000), item('d', 2000, 2000)],
      [{ cpu: 1000, memory: 1000 }],
      { cpu: 4000, memory: 4000 },
    );
    // b (3000) opens one, c (2000) opens another, d (2000) joins c, a (1000) fills the given bin.
    expect(packing.opened).toBe(2);
    expect(packing.unplaced).toEqual([]);
    expect(packing.left).toEqual([
      { cpu: 0, memory: 0 },
      { cpu: 1000, memory: 1000 },
      { cpu: 0, memory: 0 },
    ]);
  });

  it('leaves an item larger than a new instance unplaced', () => {
    const packing = packFirstFitDecreasing([{ label: 'huge', cpu: 9000, memory: 1 }], [], {
      cpu: 4096,
      memory: 8192,
    });
    expect(packing).toMatchObject({ opened: 0, unplaced: [{ label: 'huge' }] });
  });

  it('needs both resources: memory alone can make an item not fit', () => {
    const packing = packFirstFitDecreasing(
      [{ label: 't', cpu: 10, memory: 5000 }],
      [{ cpu: 4096, memory: 4000 }],
    );
    expect(packing.unplaced).toHaveLength(1);
  });
});

describe('scale out', () => {
  it('adds as many instances as the bin packing needs, not one per run', () => {
    // 5 waiting tasks of 2048 CPU: none fits on i-1 (1024 free); 2 per new 4096 instance → 3 more.
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 6, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 2048, memory: 1024, source: 'containers' } },
      instances: [instance('i-1', { used: { cpu: 3072, memory: 1024 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    });
    expect(result.changes.map((c) => [c.address, c.before, c.after])).toEqual([
      [CAPACITY, { desired: 1 }, { desired: 4 }],
    ]);
    expect(result.changes[0]?.operation).toEqual({ kind: 'update_group', group: 'ecs-asg', desired: 4 });
    const reason = decision(result, CAPACITY).reason;
    expect(reason).toContain('waiting tasks 5 worker (2048 CPU / 1024 MiB each, sum of its containers)');
    expect(reason).toContain(
      '3 more instances of 4096 CPU / 8192 MiB (new instances are assumed the size of the largest registered one)',
    );
  });

  it('counts no room on an ACTIVE instance whose agent is disconnected (its EC2 instance gone)', () => {
    // i-gone is empty but ECS cannot place on it: the waiting task needs a new instance.
    const init = {
      services: { worker: service('worker', { desired: 2, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 2048, memory: 1024, source: 'containers' as const } },
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    };
    const full = instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 });
    const gone = instance('i-gone', { agentConnected: false });
    expect(planFor(yaml(), { ...init, instances: [full, gone] }).changes.map((c) => c.after)).toEqual([
      { desired: 2 },
    ]);
    // The same instance heard from: its room takes the task, nothing to add.
    const heard = instance('i-gone');
    expect(planFor(yaml(), { ...init, instances: [full, heard] }).changes).toEqual([]);
  });

  it('counts the tasks a service scales out by in this plan', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 2, running: 2 }) },
      metrics: { queue: 9 },
      taskSizes: { worker: { cpu: 2048, memory: 1024, source: 'task' } },
      instances: [instance('i-1', { used: { cpu: 4096, memory: 2048 }, tasks: 2 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    });
    expect(result.changes.map((c) => [c.type, c.after])).toEqual([
      ['ecs_service', { desired: 3 }],
      ['autoscaling_group', { desired: 2 }],
    ]);
  });

  it('keeps room for the buffer like one more task', () => {
    const live = {
      services: { worker: service('worker', { desired: 1, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: TASK },
      instances: [instance('i-1', { used: { cpu: 3072, memory: 1024 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    };
    expect(planFor(yaml('cpu_buffer: 1024\nmem_buffer: 512\n'), live).changes).toEqual([]);
    const tight = planFor(yaml('cpu_buffer: 1025\n'), live);
    expect(tight.changes.map((c) => c.after)).toEqual([{ desired: 2 }]);
    expect(decision(tight, CAPACITY).reason).toContain('the buffer (1025 CPU / 0 MiB)');
  });

  it('counts instances the group is still launching as room of the assumed size', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 3, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 2048, memory: 1024, source: 'task' } },
      instances: [instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 })],
      // desired 2, one registered: the second is on its way and takes both waiting tasks.
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 2 }, ['i-1', 'i-2']) },
    });
    expect(result.changes).toEqual([]);
    expect(decision(result, CAPACITY).reason).toContain('fit on 1 active instance and 1 launching');
  });

  it('counts the instances a raised min will launch', () => {
    const result = planFor(yaml('min: 3\n'), {
      services: { worker: service('worker', { desired: 3, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 4096, memory: 1024, source: 'task' } },
      instances: [instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    });
    // min 1 → 3 brings desired to 3: the two new instances take the two waiting tasks.
    expect(result.changes.map((c) => [c.before, c.after])).toEqual([[{ min: 1 }, { min: 3 }]]);
    expect(decision(result, CAPACITY).reason).toContain('fit on 1 active instance and 2 launching');
  });

  it('never goes above max, and warns when it is short', () => {
    const result = planFor(yaml('max: 2\n'), {
      services: { worker: service('worker', { desired: 9, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 4096, memory: 1024, source: 'task' } },
      instances: [instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    });
    expect(result.changes.map((c) => [c.before, c.after])).toEqual([
      [
        { max: 10, desired: 1 },
        { max: 2, desired: 2 },
      ],
    ]);
    expect(decision(result, CAPACITY).reason).toContain('capped at max 2; 7 short');
    const atMax = planFor(yaml(), {
      services: { worker: service('worker', { desired: 9, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 4096, memory: 1024, source: 'task' } },
      instances: [instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 })],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 1, desired: 1 }, ['i-1']) },
    });
    expect(atMax.changes).toEqual([]);
    expect(atMax.warnings.map((w) => w.message)).toEqual([
      'cluster my_cluster: waiting tasks 8 worker (4096 CPU / 1024 MiB each, task-level size) do not fit on 1 active instance: 8 more instances needed, but the group is at its max 1',
    ]);
  });

  it('warns about a task larger than any instance instead of adding instances for it', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 2, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 8192, memory: 1024, source: 'task' } },
      instances: [instance('i-1')],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 1 }, ['i-1']) },
    });
    expect(result.changes.filter((c) => c.type === 'autoscaling_group')).toEqual([]);
    expect(result.warnings[0]?.message).toContain('is larger than the largest container instance');
  });

  it('adds one instance per run when no container instance is registered to size new ones', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 2, running: 0 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: TASK },
      instances: [],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 0, max: 10, desired: 0 }) },
    });
    expect(result.changes.map((c) => c.after)).toEqual([{ desired: 1 }]);
    expect(decision(result, CAPACITY).reason).toContain('no container instance is registered');
  });

  it('keeps drained instances (neither terminated nor counted) while scaling out', () => {
    const result = planFor(yaml(), {
      services: { worker: service('worker', { desired: 3, running: 1 }) },
      metrics: { queue: 1 },
      taskSizes: { worker: { cpu: 4096, memory: 1024, source: 'task' } },
      instances: [
        instance('i-1', { used: { cpu: 4096, memory: 1024 }, tasks: 1 }),
        instance('i-2', { status: 'DRAINING' }),
      ],
      groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 10, desired: 2 }, ['i-1', 'i-2']) },
    });
    expect(result.changes.map((c) => [c.type, c.after])).toEqual([['autoscaling_group', { desired: 4 }]]);
    expect(decision(result, CAPACITY).reason).toContain('drained i-2 kept while scaling out');
  });
});

describe('scale in', () => {
  const idle = (ids: string[], groupSize: { min: number; max: number; desired: number }, extra = {}) => ({
    services: { worker: service('worker', { desired: 1, running: 1 }) },
    metrics: { queue: 1 },
    taskSizes: { worker: TASK },
    groups: { 'ecs-asg': asg('ecs-asg', groupSize, ids) },
    ...extra,
  });

  it('drains the instance that holds the least when its load fits on the others', () => {
    const result = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2', 'i-3'],
        { min: 1, max: 4, desired: 3 },
        {
          instances: [
            instance('i-1', { used: { cpu: 2048, memory: 2048 }, tasks: 2 }),
            instance('i-2', { used: { cpu: 512, memory: 512 }, tasks: 1 }),
            instance('i-3', { used: { cpu: 1024, memory: 1024 }, tasks: 1 }),
          ],
        },
      ),
    );
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      address: `${CAPACITY}/container_instances/i-2`,
      type: 'ecs_container_instance',
      action: 'update',
      id: 'arn:aws:ecs:us-east-1:123456789012:container-instance/my_cluster/i-2',
      before: { status: 'ACTIVE', instance: 'i-2' },
      after: { status: 'DRAINING', instance: 'i-2' },
      operation: { kind: 'drain_container_instance', cluster: CLUSTER, instanceId: 'i-2' },
    });
    expect(decision(result, CAPACITY)).toMatchObject({ outcome: 'scale', before: 3, after: 3 });
  });

  it('skips an instance whose load does not fit elsewhere and drains the next', () => {
    const result = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2'],
        { min: 1, max: 4, desired: 2 },
        {
          instances: [
            // The smaller share (24%) but a block of 4000 CPU: i-2 has 2596 left.
            instance('i-1', {
              size: { cpu: 16384, memory: 32768 },
              used: { cpu: 4000, memory: 8000 },
              tasks: 4,
            }),
            // 37%: its 1500 CPU / 3000 MiB fit on i-1.
            instance('i-2', { used: { cpu: 1500, memory: 3000 }, tasks: 2 }),
          ],
        },
      ),
    );
    expect(result.changes.map((c) => c.address)).toEqual([`${CAPACITY}/container_instances/i-2`]);
  });

  it('drains nothing when no instance\u2019s load fits on the others', () => {
    const result = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2'],
        { min: 1, max: 4, desired: 2 },
        {
          instances: [
            instance('i-1', { used: { cpu: 100, memory: 3000 }, tasks: 1 }),
            instance('i-2', { used: { cpu: 2000, memory: 6192 }, tasks: 3 }),
          ],
        },
      ),
    );
    expect(result.changes).toEqual([]);
    expect(decision(result, CAPACITY).reason).toContain(
      'no instance drained: no instance\u2019s load fits on the others',
    );
  });

  it('does not drain below min, nor while instances launch or another drains', () => {
    const two = [instance('i-1'), instance('i-2')];
    const atMin = planFor(yaml(), idle(['i-1', 'i-2'], { min: 2, max: 4, desired: 2 }, { instances: two }));
    expect(atMin.changes).toEqual([]);
    expect(decision(atMin, CAPACITY).reason).toContain('the group is at its min 2');
    const launching = planFor(
      yaml(),
      idle(['i-1', 'i-2', 'i-3'], { min: 1, max: 4, desired: 3 }, { instances: two }),
    );
    expect(launching.changes).toEqual([]);
    expect(decision(launching, CAPACITY).reason).toContain('1 instance(s) still launching');
    const draining = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2', 'i-3'],
        { min: 1, max: 4, desired: 3 },
        {
          instances: [...two, instance('i-3', { status: 'DRAINING', tasks: 2 })],
        },
      ),
    );
    expect(draining.changes).toEqual([]);
    expect(decision(draining, CAPACITY).reason).toContain('i-3 (2 tasks) still draining');
  });

  it('terminates a drained instance that runs no tasks, decrementing desired', () => {
    const result = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2'],
        { min: 1, max: 4, desired: 2 },
        {
          instances: [
            instance('i-1', { used: { cpu: 1024, memory: 2048 }, tasks: 1 }),
            instance('i-2', { status: 'DRAINING' }),
          ],
        },
      ),
    );
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      address: `${CAPACITY}/instances/i-2`,
      type: 'instance',
      action: 'delete',
      id: 'i-2',
      after: null,
      operation: { kind: 'terminate_instance', group: 'ecs-asg', instanceId: 'i-2' },
    });
    expect(decision(result, CAPACITY)).toMatchObject({ outcome: 'scale', before: 2, after: 1 });
  });

  it('keeps drained instances the group cannot lose (min), and ignores instances not in the group', () => {
    const result = planFor(
      yaml(),
      idle(
        ['i-1', 'i-2'],
        { min: 2, max: 4, desired: 2 },
        {
          instances: [
            instance('i-1'),
            instance('i-2', { status: 'DRAINING' }),
            instance('i-9', { status: 'DRAINING' }),
          ],
        },
      ),
    );
    expect(result.changes).toEqual([]);
    expect(decision(result, CAPACITY).reason).toContain('drained i-2 kept: the group is at its min 2');
  });

  it('orders a termination after the group update that changes its bounds', () => {
    const result = planFor(
      yaml('min: 1\n'),
      idle(
        ['i-1', 'i-2'],
        { min: 2, max: 4, desired: 2 },
        {
          instances: [instance('i-1'), instance('i-2', { status: 'DRAINING' })],
        },
      ),
    );
    expect(result.changes.map((c) => [c.type, c.dependsOn])).toEqual([
      ['autoscaling_group', []],
      ['instance', [CAPACITY]],
    ]);
  });
});

describe('capacity that cannot be planned', () => {
  const base = {
    services: { worker: service('worker', { desired: 1, running: 0 }) },
    metrics: { queue: 1 },
    taskSizes: { worker: TASK },
    instances: [instance('i-1')],
    groups: { 'ecs-asg': asg('ecs-asg', { min: 1, max: 4, desired: 1 }, ['i-1']) },
  };

  it('stops at an unknown task size, an unknown instance list, a missing or unread group', () => {
    const size = planFor(yaml(), { ...base, taskSizes: { worker: unknown('AccessDeniedException: no') } });
    expect(size.errors[0]?.message).toContain('the task size of service worker could not be read');
    expect(decision(size, CAPACITY).outcome).toBe('unknown');
    const instances = planFor(yaml(), { ...base, instances: unknown('ThrottlingException') });
    expect(instances.errors[0]?.message).toContain(
      'container instances of cluster my_cluster could not be read',
    );
    const missing = planFor(yaml(), { ...base, groups: { 'ecs-asg': null } });
    expect(missing.errors[0]?.message).toContain(
      'autoscale_group ecs-asg of cluster my_cluster does not exist',
    );
    const unread = planFor(yaml(), { ...base, groups: { 'ecs-asg': unknown('Throttling') } });
    expect(decision(unread, CAPACITY).outcome).toBe('unknown');
    for (const r of [size, instances, missing, unread]) {
      expect(r.changes.filter((c) => c.type !== 'ecs_service')).toEqual([]);
    }
  });

  it('does not need a task size for a service with no waiting task', () => {
    const result = planFor(yaml(), {
      ...base,
      services: { worker: service('worker', { desired: 1, running: 1 }) },
      taskSizes: { worker: unknown('AccessDeniedException') },
    });
    expect(result.errors).toEqual([]);
    expect(decision(result, CAPACITY).outcome).toBe('unchanged');
  });

  it('applies the file min and max to the group and says where AWS moves desired', () => {
    const result = planFor(yaml('min: 2\nmax: 3\n'), base);
    expect(result.changes.map((c) => [c.before, c.after, c.reason])).toEqual([
      [
        { min: 1, max: 4 },
        { min: 2, max: 3 },
        'min 1 → 2, max 4 → 3 (AWS moves desired 1 → 2 with it): bounds from the YAML',
      ],
    ]);
  });
});
