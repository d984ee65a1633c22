/** AWS shapes → the ECS part of Live, and which groups each scope reads for capacity. */
import { describe, expect, it } from 'vitest';
import { LAST_SCALED_TAG } from '../../../src/model.ts';
import { ecsScopes, parseCpu, parseMemory, toLiveInstance, toLiveService } from '../../../src/observe/ecs.ts';
import { desiredFrom } from './fixtures.ts';

describe('ECS conversions', () => {
  it('reads the cooldown tag and the counts of a service', () => {
    expect(
      toLiveService({
        serviceName: 'web',
        serviceArn: 'arn:svc',
        status: 'ACTIVE',
        desiredCount: 3,
        runningCount: 2,
        pendingCount: 1,
        taskDefinition: 'arn:td:1',
        tags: [
          { key: 'team', value: 'x' },
          { key: LAST_SCALED_TAG, value: '2030-06-01T11:58:00.000Z' },
        ],
      }),
    ).toEqual({
      name: 'web',
      arn: 'arn:svc',
      status: 'ACTIVE',
      desired: 3,
      running: 2,
      pending: 1,
      taskDefinition: 'arn:td:1',
      lastScaled: '2030-06-01T11:58:00.000Z',
    });
    expect(toLiveService({ serviceName: 'web' }).lastScaled).toBeUndefined();
  });

  it('reads registered and remaining CPU and memory of a container instance', () => {
    expect(
      toLiveInstance({
        containerInstanceArn: 'arn:ci',
        ec2InstanceId: 'i-1',
        status: 'DRAINING',
        agentConnected: false,
        runningTasksCount: 2,
        pendingTasksCount: 1,
        registeredResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 7482 },
          { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22'] },
        ],
        remainingResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 3072 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 5000 },
        ],
      }),
    ).toEqual({
      arn: 'arn:ci',
      ec2InstanceId: 'i-1',
      status: 'DRAINING',
      agentConnected: false,
      runningTasks: 2,
      pendingTasks: 1,
      registered: { cpu: 4096, memory: 7482 },
      remaining: { cpu: 3072, memory: 5000 },
    });
  });

  it('parses task-level sizes as AWS writes them', () => {
    expect([
      parseCpu('256'),
      parseCpu('1 vCPU'),
      parseCpu('0.5 vcpu'),
      parseCpu(undefined),
      parseCpu('lots'),
    ]).toEqual([256, 1024, 512, undefined, undefined]);
    expect([parseMemory('512'), parseMemory('2 GB'), parseMemory('0.5gb'), parseMemory(undefined)]).toEqual([
      512,
      2048,
      512,
      undefined,
    ]);
  });
});

describe('ECS scopes', () => {
  it('reads a cluster\u2019s autoscale_group with the scope\u2019s groups, unless the cluster is disabled', () => {
    const enabled = ecsScopes(
      desiredFrom('autoscale_group: ecs-asg\nservices:\n  s: { min: 0, max: 1 }\n').clusters ?? [],
    );
    expect([...enabled.values()].map((s) => [s.scope.region, s.groups, s.clusters.length])).toEqual([
      ['us-east-1', ['ecs-asg'], 1],
    ]);
    const disabled = ecsScopes(desiredFrom('enabled: false\nautoscale_group: ecs-asg\n').clusters ?? []);
    expect([...disabled.values()].map((s) => s.groups)).toEqual([[]]);
  });
});
