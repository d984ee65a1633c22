/**
 * The fleets the fault tests run against: one row per capability. Each row builds its state in
 * moto (an earlier YAML applied cleanly, then drift), and gives the YAML of the run under test
 * and what that YAML asks (for the "worse" check). Every test file runs every row.
 *
 * ECS services and capacity (issue 4) and prune (issue 5): add a row here with a `setup` that
 * seeds the cluster, its services and metrics, or the stale entries, and extend `snapshot` /
 * `worse` in harness.ts with what "worse" means for them (e.g. a service's desired count moved
 * outside [before, decided], a container instance deregistered that still runs tasks).
 */
import { PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type { MotoHandle } from '../../support/moto.ts';
import {
  createGroup,
  createLaunchTemplate,
  createTargetGroup,
  groupInstanceIds,
  registerTargets,
  runInstances,
} from '../../support/seed.ts';
import type { Intent, Runner } from './harness.ts';

export interface Setup {
  /** The YAML of the run under test. */
  readonly yaml: string;
  readonly intent: Intent;
}

export interface FaultScenario {
  readonly name: string;
  /** Builds the state before the run under test (moto is empty when it starts). */
  readonly setup: (moto: MotoHandle, runner: Runner) => Promise<Setup>;
}

const TRIGGER = (name: string, upper: number) =>
  `      ${name}: { metric: CPUUtilization, period: 60, breach_duration: 180, upper: { threshold: ${upper}, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }`;

/**
 * Groups: sizes, triggers (alarms and policies), target tracking, schedules, a group to create.
 * The clean plan has creates, updates AND deletes (a trigger and a schedule that left the YAML),
 * so "nothing destructive from unknown data" has something to get wrong.
 */
export const groupsScenario: FaultScenario = {
  name: 'groups',
  async setup(moto, runner) {
    const clients = moto.clients();
    await createLaunchTemplate(clients, 'faults');
    await createGroup(clients, 'drift-asg', { min: 1, max: 4, desired: 1, launchTemplate: 'faults' });
    await createGroup(clients, 'legacy-asg', { min: 1, max: 3, desired: 1, launchTemplate: 'faults' });
    await createGroup(clients, 'steady-asg', { min: 1, max: 2, desired: 1, launchTemplate: 'faults' });
    // Last week's YAML, applied: legacy-asg had a trigger and a schedule; steady-asg is as wanted.
    const previous = `groups:
  legacy-asg:
    min: 1
    max: 3
    triggers:
${TRIGGER('old-cpu', 85)}
    schedules:
      old-nightly: { recurrence: "0 23 * * *", max: 1 }
  steady-asg:
    min: 1
    max: 2
    triggers:
${TRIGGER('cpu', 75)}
    schedules:
      nightly: { recurrence: "0 22 * * *", max: 1 }
`;
    const applied = await runner.apply(previous);
    if (applied.report?.failed !== 0) throw new Error('the previous YAML did not apply cleanly');
    // Not ours: a policy someone made by hand, and an alarm running it. Never touched.
    await clients.autoscaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'drift-asg',
        PolicyName: 'manual-scale-out',
        PolicyType: 'SimpleScaling',
        AdjustmentType: 'ChangeInCapacity',
        ScalingAdjustment: 2,
      }),
    );
    await clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'manual-high-cpu',
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/EC2',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 95,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const yaml = `groups:
  drift-asg:
    min: 2
    max: 6
    triggers:
${TRIGGER('cpu', 80)}
      steady:
        target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }
    schedules:
      nightly: { recurrence: "0 22 * * *", max: 2 }
  legacy-asg:
    min: 1
    max: 3
  steady-asg:
    min: 1
    max: 2
    triggers:
${TRIGGER('cpu', 75)}
    schedules:
      nightly: { recurrence: "0 22 * * *", max: 1 }
  new-asg:
    min: 1
    max: 2
    launch_template: { name: faults, version: $Latest }
    availability_zones: [us-east-1a]
    triggers:
${TRIGGER('cpu', 70)}
`;
    return {
      yaml,
      intent: {
        // The sizes in force (issue 12): each nightly has fired by the planners' clock, and
        // nothing sets max back.
        sizes: {
          'drift-asg': { min: 2, max: 2 },
          'legacy-asg': { min: 1, max: 3 },
          'steady-asg': { min: 1, max: 1 },
          'new-asg': { min: 1, max: 2 },
        },
      },
    };
  },
};

/**
 * Targets: a group behind a target group with one instance missing from it (the plan attaches
 * the target group: AWS registers the group), a stale target (an instance in no listing group,
 * launched long ago) that `prune.target_groups` deregisters, and a group created with the target
 * group attached (a lost answer retried meets AlreadyExists: the adopted group gets it attached).
 */
export const targetsScenario: FaultScenario = {
  name: 'targets',
  async setup(moto) {
    const clients = moto.clients();
    await createLaunchTemplate(clients, 'faults');
    const tg = await createTargetGroup(clients, 'web');
    // Its own target group: a listing group that does not exist yet holds back deregistrations.
    const newTg = await createTargetGroup(clients, 'new');
    // Without TargetGroupARNs: moto would register the instances itself.
    const web = await createGroup(clients, 'web-asg', {
      min: 3,
      max: 4,
      desired: 3,
      launchTemplate: 'faults',
    });
    const [a, b] = groupInstanceIds(web);
    // An instance in no listing group, launched before the grace (the planners' clock is a day
    // ahead): a stale target. (A terminated one would not do: moto drops terminated instances
    // from target groups itself.)
    const [stray] = await runInstances(clients, 1);
    await registerTargets(clients, tg, [a ?? '', b ?? '', stray?.InstanceId ?? '']);
    const yaml = `groups:
  web-asg:
    min: 3
    max: 4
    target_groups: [${tg}]
  new-asg:
    min: 1
    max: 2
    launch_template: { name: faults, version: $Latest }
    availability_zones: [us-east-1a]
    target_groups: [${newTg}]
prune:
  max: 100%
  target_groups: true
`;
    return {
      yaml,
      intent: {
        sizes: { 'web-asg': { min: 3, max: 4 }, 'new-asg': { min: 1, max: 2 } },
        targetGroups: { [tg]: ['web-asg'], [newTg]: ['new-asg'] },
      },
    };
  },
};

export const SCENARIOS: readonly FaultScenario[] = [groupsScenario, targetsScenario];
