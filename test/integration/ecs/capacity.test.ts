/** Cluster capacity end to end against moto: scale out by bin packing, drain then terminate. */
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../../src/pipeline.ts';
import { useMoto } from '../../support/moto.ts';
import {
  createEcsCluster,
  createEcsService,
  createGroup,
  groupInstanceIds,
  putMetricData,
  registerContainerInstance,
} from '../../support/seed.ts';
import {
  actions,
  CLUSTER,
  containerInstances,
  describeService,
  groupOf,
  lastCompletePeriod,
  startTask,
  useHarness,
} from './harness.ts';

const moto = useMoto();
const run = useHarness(moto);

/** moto registers every container instance with 4096 CPU / 7482 MiB. */
function yaml(extra = ''): string {
  return `autoscale_group: ecs-asg
min: 1
max: 5
${extra}services:
  worker:
    min: 1
    max: 4
    metric_sources:
      cloudwatch:
        - { namespace: Custom/Queues, metric_name: Ready, period: 60, statistics: [ { name: Maximum, alias: queue } ] }
    events:
      - { metric: queue, action: 3, min: 5, max: null }
`;
}

/** A group of `size` instances, all registered in the cluster. */
async function seedCluster(size: number): Promise<string[]> {
  const clients = moto.clients();
  await createEcsCluster(clients, CLUSTER);
  const group = await createGroup(clients, 'ecs-asg', { min: 1, max: 5, desired: size });
  const ids = groupInstanceIds(group);
  for (const id of ids) await registerContainerInstance(clients, CLUSTER, id);
  return ids;
}

describe('cluster capacity', () => {
  it('scales out by as many instances as the new tasks need, then plans nothing', async () => {
    await seedCluster(1);
    const clients = moto.clients();
    // desired 1: 1 pending task; +3 → 4: three waiting tasks of 3000 CPU. One fits the registered
    // instance (4096 free in moto), the two others need an instance each.
    await createEcsService(clients, CLUSTER, 'worker', { desired: 1, cpu: 3000, memory: 1024 });
    await putMetricData(clients, 'Custom/Queues', 'Ready', [
      { value: 50, timestamp: lastCompletePeriod(60) },
    ]);

    const applied = await run.apply(yaml());
    expect(actions(applied.plan)).toEqual([
      ['ecs_service', 'update', 'worker', { desired: 1 }, { desired: 4 }],
      ['autoscaling_group', 'update', 'ecs-asg', { desired: 1 }, { desired: 3 }],
    ]);
    expect(applyExitCode(applied)).toBe(0);
    expect(applied.counter.count('ECS', 'DescribeTaskDefinition')).toBe(1);
    expect((await groupOf(moto, 'ecs-asg')).DesiredCapacity).toBe(3);
    expect((await describeService(moto, 'worker')).desiredCount).toBe(4);

    // The two new instances are launching (not registered yet) and the service is in its cooldown.
    const again = await run.plan(yaml());
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.decisions?.find((d) => d.kind === 'ecs_capacity')?.reason).toContain('2 launching');
  });

  it('drains the least-loaded instance, terminates it on a later run, then plans nothing', async () => {
    const [busy, idle] = await seedCluster(2);
    const clients = moto.clients();
    await createEcsService(clients, CLUSTER, 'worker', { desired: 1, cpu: 1024, memory: 1024 });
    const before = await containerInstances(moto);
    await startTask(moto, 'worker', before.get(busy ?? '')?.arn ?? '');
    const steady = yaml().replace('min: 5, max: null', 'min: 1000, max: null');

    const drained = await run.apply(steady);
    expect(actions(drained.plan)).toEqual([
      [
        'ecs_container_instance',
        'update',
        before.get(idle ?? '')?.arn,
        { status: 'ACTIVE', instance: idle },
        { status: 'DRAINING', instance: idle },
      ],
    ]);
    expect(applyExitCode(drained)).toBe(0);
    expect((await containerInstances(moto)).get(idle ?? '')?.status).toBe('DRAINING');

    const terminated = await run.apply(steady);
    expect(actions(terminated.plan)).toEqual([
      ['instance', 'delete', idle, { status: 'DRAINING', running_tasks: 0, group: 'ecs-asg' }, null],
    ]);
    expect(applyExitCode(terminated)).toBe(0);
    const group = await groupOf(moto, 'ecs-asg');
    expect(group.DesiredCapacity).toBe(1);
    expect(groupInstanceIds(group)).toEqual([busy]);

    const quiet = await run.plan(steady);
    expect(quiet.plan.changes).toEqual([]);
    expect(quiet.plan.errors).toEqual([]);
  });

  it('does not drain below the file\u2019s min, and applies the file\u2019s bounds to the group', async () => {
    await seedCluster(2);
    await createEcsService(moto.clients(), CLUSTER, 'worker', { desired: 1 });
    const steady = yaml()
      .replace('min: 1\nmax: 5\n', 'min: 2\nmax: 4\n')
      .replace('min: 5, max: null', 'min: 1000, max: null');
    const applied = await run.apply(steady);
    expect(actions(applied.plan)).toEqual([
      ['autoscaling_group', 'update', 'ecs-asg', { min: 1, max: 5 }, { min: 2, max: 4 }],
    ]);
    const group = await groupOf(moto, 'ecs-asg');
    expect([group.MinSize, group.MaxSize, group.DesiredCapacity]).toEqual([2, 4, 2]);
    expect((await run.plan(steady)).plan.changes).toEqual([]);
  });
});

describe('reads shared between capacity and pruning', () => {
  it("reads a cluster's container instances once when both plan with them", async () => {
    await seedCluster(2);
    await createEcsService(moto.clients(), CLUSTER, 'worker', { desired: 1, cpu: 1024, memory: 1024 });
    const both = await run.plan(yaml('prune:\n  ecs_container_instances: true\n'));
    expect(both.plan.errors).toEqual([]);
    expect(both.counter.count('ECS', 'ListContainerInstances')).toBe(1);
    expect(both.counter.count('ECS', 'DescribeContainerInstances')).toBe(1);
  });
});
