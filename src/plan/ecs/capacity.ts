/**
 * A cluster's EC2 capacity (`autoscale_group`, `cpu_buffer`, `mem_buffer`, `min`, `max`) from the
 * tasks the services need. Pure.
 *
 * Tasks waiting for room: for each managed service, its planned desired count minus its running
 * and pending tasks (pending tasks already hold their room on an instance). Scale-ins free room
 * only once their tasks have stopped, so they are not counted as free room in this run.
 *
 * Scale OUT when those tasks plus the buffer (one more item of cpu_buffer × mem_buffer) do not fit
 * on the ACTIVE container instances' remaining resources (those whose agent ECS hears from), nor
 * on instances the group is still launching: by as many instances as first-fit-decreasing bin packing opens. New instances (and
 * those still launching) are assumed the size of the largest registered container instance; with
 * none registered yet, one instance per run. Never above max.
 *
 * Scale IN in two steps, one per run at most each, never below min:
 * 1. an ACTIVE instance of the group is DRAINED (UpdateContainerInstancesState) when its whole
 *    load (registered − remaining, moved as one block) plus the waiting tasks and the buffer fit
 *    on the other active instances; of those that would, the one that holds the least (largest
 *    share of CPU or memory in use, then fewest tasks). Not while the group is launching
 *    instances or another of its instances is still draining;
 * 2. on a later run, a DRAINING instance of the group that runs no tasks is TERMINATED through
 *    the group (TerminateInstanceInAutoScalingGroup, decrementing desired). Drained instances are
 *    kept while the cluster scales out (their room is not counted, they are not terminated).
 *
 * The file's min and max are applied to the group (ecs-autoscale did the same); without them the
 * group's own bounds hold.
 */
import type {
  DesiredCapacity,
  DesiredCluster,
  Fields,
  Known,
  LiveEcsCluster,
  LiveEcsInstance,
  LiveGroup,
  Resources,
  ScalingDecision,
} from '../../model.ts';
import { describeDiff, plural } from '../format.ts';
import { makeChange, message, type PlanSink } from '../sink.ts';
import { type Item, largest, packFirstFitDecreasing } from './packing.ts';
import { tasksWaiting } from './room.ts';
import type { ServicePlan } from './service.ts';
import { resourcesText } from './text.ts';

export interface CapacityInput {
  readonly cluster: DesiredCluster;
  readonly capacity: DesiredCapacity;
  readonly group: Known<LiveGroup | null> | undefined;
  readonly live: LiveEcsCluster;
  readonly services: readonly ServicePlan[];
}

export function planCapacity(input: CapacityInput, sink: PlanSink, decisions: ScalingDecision[]): void {
  const { cluster, capacity, live } = input;
  const at = { address: capacity.address, origin: capacity.origin };
  const decide = (
    outcome: ScalingDecision['outcome'],
    before: number | null,
    after: number | null,
    reason: string,
  ): void => {
    decisions.push({
      kind: 'ecs_capacity',
      address: capacity.address,
      id: capacity.group,
      cluster: cluster.name,
      file: capacity.origin.file,
      line: capacity.origin.line,
      outcome,
      metrics: {},
      events: [],
      before,
      after,
      reason,
    });
  };

  const group = input.group;
  if (group === undefined || !group.known) {
    const why = group === undefined ? 'not read' : group.reason;
    sink.errors.push(
      message(`autoscale_group ${capacity.group} could not be read (${why}); capacity not planned`, at),
    );
    decide('unknown', null, null, `the group could not be read (${why}): capacity not planned`);
    return;
  }
  if (group.value === null) {
    sink.errors.push(
      message(
        `autoscale_group ${capacity.group} of cluster ${cluster.name} does not exist in ${cluster.scope.region}; capacity not planned`,
        at,
      ),
    );
    decide(
      'missing',
      null,
      null,
      `Auto Scaling group ${capacity.group} does not exist: capacity not planned`,
    );
    return;
  }
  const g = group.value;
  if (live.instances === undefined || !live.instances.known) {
    const why = live.instances === undefined ? 'not read' : live.instances.reason;
    sink.errors.push(
      message(
        `container instances of cluster ${cluster.name} could not be read (${why}); capacity not planned`,
        at,
      ),
    );
    decide(
      'unknown',
      g.desired,
      null,
      `container instances could not be read (${why}): capacity not planned`,
    );
    return;
  }

  const min = capacity.min ?? g.min;
  const max = capacity.max ?? g.max;
  // AWS moves desired into new bounds itself; plan from where it will be.
  const base = Math.min(Math.max(g.desired, min), max);
  const tasks = waitingTasks(input);
  if (tasks.unknown.length > 0) {
    sink.errors.push(
      message(`cluster ${cluster.name}: ${tasks.unknown.join('; ')}; instance count not planned`, at),
    );
    groupChange(input, g, min, max, undefined, 'bounds from the YAML', sink);
    decide('unknown', g.desired, null, `${tasks.unknown.join('; ')}: instance count not planned`);
    return;
  }
  const items: Item[] = [...tasks.items];
  if (capacity.cpuBuffer > 0 || capacity.memBuffer > 0) {
    items.push({ label: 'buffer', cpu: capacity.cpuBuffer, memory: capacity.memBuffer });
  }
  const need = needText(tasks.text, capacity);

  const instances = live.instances.value;
  const inGroup = new Map(g.instances.map((i) => [i.id, i]));
  // Room only where ECS can place a task: an ACTIVE instance whose agent is disconnected (its EC2
  // instance terminated a moment ago, or the agent down) has remaining resources nobody can use.
  const active = instances.filter((i) => i.status === 'ACTIVE' && i.agentConnected);
  const registeredInGroup = instances.filter((i) => inGroup.has(i.ec2InstanceId));
  // Instances the group has (or will have once the bounds apply) that are not registered yet.
  const launching = Math.max(0, base - registeredInGroup.length);
  const draining = registeredInGroup.filter((i) => i.status === 'DRAINING');
  const drained = draining.filter(
    (i) =>
      i.runningTasks === 0 &&
      i.pendingTasks === 0 &&
      inGroup.get(i.ec2InstanceId)?.lifecycleState === 'InService',
  );
  const stillDraining = draining.filter((i) => i.runningTasks + i.pendingTasks > 0);
  const newSize = largest(instances.map((i) => i.registered));
  const where = `${plural(active.length, 'active instance')}${launching > 0 ? ` and ${launching} launching` : ''}`;

  // Scale out.
  const bins: Resources[] = [
    ...active.map((i) => i.remaining),
    ...(newSize === undefined ? [] : Array.from({ length: launching }, () => newSize)),
  ];
  const packing = packFirstFitDecreasing(items, bins, newSize);
  for (const item of packing.unplaced) {
    if (newSize === undefined) continue;
    sink.warnings.push(
      message(
        `cluster ${cluster.name}: a ${item.label} (${resourcesText(item)}) is larger than the largest container instance (${resourcesText(newSize)}): more instances of that size cannot place it`,
        at,
      ),
    );
  }
  let needed = packing.opened;
  let sizeNote =
    newSize === undefined
      ? ''
      : ` of ${resourcesText(newSize)} (new instances are assumed the size of the largest registered one)`;
  if (newSize === undefined && items.length > 0) {
    if (launching > 0) {
      groupChange(input, g, min, max, undefined, 'bounds from the YAML', sink);
      decide(
        'unchanged',
        g.desired,
        base,
        `${need} wait for the ${launching} launching instance(s) to register`,
      );
      return;
    }
    needed = 1;
    sizeNote = ' (no container instance is registered to size new ones from: one more per run)';
  }
  if (needed > 0) {
    const target = Math.min(base + needed, max);
    const kept =
      drained.length > 0
        ? `; drained ${drained.map((i) => i.ec2InstanceId).join(', ')} kept while scaling out`
        : '';
    if (target === base) {
      const text = `${need} do not fit on ${where}: ${plural(needed, 'more instance')} needed, but the group is at its max ${max}`;
      sink.warnings.push(message(`cluster ${cluster.name}: ${text}`, at));
      groupChange(input, g, min, max, undefined, 'bounds from the YAML', sink);
      decide('unchanged', g.desired, base, `${text}${kept}`);
      return;
    }
    const capped = target < base + needed ? ` (capped at max ${max}; ${base + needed - target} short)` : '';
    const text = `${need} do not fit on ${where}: ${plural(target - base, 'more instance')}${sizeNote}${capped}`;
    groupChange(input, g, min, max, target, text, sink);
    decide('scale', g.desired, target, `${text}, desired ${g.desired} → ${target}${kept}`);
    return;
  }
  const fitText = items.length === 0 ? `no task waits for room on ${where}` : `${need} fit on ${where}`;

  // Scale in, step 2: terminate drained instances that run nothing.
  const terminate = drained.slice(0, Math.max(0, base - min));
  const held = drained.slice(terminate.length);
  const update = groupChange(input, g, min, max, undefined, 'bounds from the YAML', sink);
  for (const instance of terminate) {
    sink.changes.push(
      makeChange({
        address: `${capacity.address}/instances/${instance.ec2InstanceId}`,
        type: 'instance',
        action: 'delete',
        id: instance.ec2InstanceId,
        origin: capacity.origin,
        before: { status: 'DRAINING', running_tasks: 0, group: capacity.group },
        after: null,
        reason: `drained and running no tasks: terminated in ${capacity.group}, decrementing its desired capacity`,
        scope: cluster.scope,
        dependsOn: [update],
        operation: { kind: 'terminate_instance', group: capacity.group, instanceId: instance.ec2InstanceId },
      }),
    );
  }
  const after = base - terminate.length;
  const notes: string[] = [fitText];
  if (terminate.length > 0)
    notes.push(`terminate drained ${terminate.map((i) => i.ec2InstanceId).join(', ')}`);
  if (held.length > 0)
    notes.push(`drained ${held.map((i) => i.ec2InstanceId).join(', ')} kept: the group is at its min ${min}`);

  // Scale in, step 1: drain the instance whose load fits elsewhere and that holds the least.
  const drain = drainCandidate({ active, inGroup, items, launching, stillDraining, after, min });
  if ('instance' in drain) {
    const instance = drain.instance;
    const reason = `its load (${resourcesText(used(instance))}, ${plural(instance.runningTasks, 'task')}) and ${need} fit on the other active instances: drained, to be terminated on a later run once it runs no tasks`;
    sink.changes.push(
      makeChange({
        address: `${capacity.address}/container_instances/${instance.ec2InstanceId}`,
        type: 'ecs_container_instance',
        action: 'update',
        id: instance.arn,
        origin: capacity.origin,
        before: { status: instance.status, instance: instance.ec2InstanceId },
        after: { status: 'DRAINING', instance: instance.ec2InstanceId },
        reason,
        scope: cluster.scope,
        operation: {
          kind: 'drain_container_instance',
          cluster: cluster.name,
          containerInstance: instance.arn,
          instanceId: instance.ec2InstanceId,
        },
      }),
    );
    notes.push(`drain ${instance.ec2InstanceId}`);
  } else {
    notes.push(`no instance drained: ${drain.why}`);
  }
  const changed = after !== g.desired || terminate.length > 0 || 'instance' in drain;
  decide(changed ? 'scale' : 'unchanged', g.desired, after, notes.join('; '));
}

interface Waiting {
  readonly items: Item[];
  readonly text: string[];
  readonly unknown: string[];
}

/** One item per task a managed service wants but has no room for yet. */
function waitingTasks(input: CapacityInput): Waiting {
  const items: Item[] = [];
  const text: string[] = [];
  const unknownSizes: string[] = [];
  for (const plan of input.services) {
    // The question taskDefinitionsToPlace asks too: the sizes read are exactly those looked up here.
    const waiting = tasksWaiting(plan);
    if (plan.live === undefined || waiting <= 0) continue;
    const size = input.live.taskSizes.get(plan.live.taskDefinition);
    if (size === undefined || !size.known) {
      const why = size === undefined ? 'not read' : size.reason;
      unknownSizes.push(`the task size of service ${plan.service.name} could not be read (${why})`);
      continue;
    }
    for (let i = 0; i < waiting; i++) {
      items.push({ label: `${plan.service.name} task`, cpu: size.value.cpu, memory: size.value.memory });
    }
    const source = size.value.source === 'task' ? 'task-level size' : 'sum of its containers';
    text.push(`${waiting} ${plan.service.name} (${resourcesText(size.value)} each, ${source})`);
  }
  return { items, text, unknown: unknownSizes };
}

function needText(tasks: readonly string[], capacity: DesiredCapacity): string {
  const buffer =
    capacity.cpuBuffer > 0 || capacity.memBuffer > 0
      ? `the buffer (${resourcesText({ cpu: capacity.cpuBuffer, memory: capacity.memBuffer })})`
      : undefined;
  const parts = [
    ...(tasks.length === 0 ? [] : [`waiting tasks ${tasks.join(', ')}`]),
    ...(buffer ? [buffer] : []),
  ];
  return parts.length === 0 ? 'no waiting tasks and no buffer' : parts.join(' and ');
}

function used(instance: LiveEcsInstance): Resources {
  return {
    cpu: Math.max(0, instance.registered.cpu - instance.remaining.cpu),
    memory: Math.max(0, instance.registered.memory - instance.remaining.memory),
  };
}

/** The larger of the CPU and memory shares in use: what "holds the least" compares. */
function load(instance: LiveEcsInstance): number {
  const u = used(instance);
  const share = (n: number, d: number): number => (d > 0 ? n / d : 0);
  return Math.max(share(u.cpu, instance.registered.cpu), share(u.memory, instance.registered.memory));
}

function drainCandidate(state: {
  active: readonly LiveEcsInstance[];
  inGroup: ReadonlyMap<string, { readonly lifecycleState: string }>;
  items: readonly Item[];
  launching: number;
  stillDraining: readonly LiveEcsInstance[];
  after: number;
  min: number;
}): { instance: LiveEcsInstance } | { why: string } {
  if (state.after - 1 < state.min) return { why: `the group is at its min ${state.min}` };
  if (state.launching > 0) return { why: `${state.launching} instance(s) still launching` };
  if (state.stillDraining.length > 0) {
    const busy = state.stillDraining.map(
      (i) => `${i.ec2InstanceId} (${plural(i.runningTasks + i.pendingTasks, 'task')})`,
    );
    return { why: `${busy.join(', ')} still draining` };
  }
  const candidates = state.active
    .filter((i) => state.inGroup.get(i.ec2InstanceId)?.lifecycleState === 'InService')
    .sort(
      (a, b) =>
        load(a) - load(b) ||
        a.runningTasks + a.pendingTasks - (b.runningTasks + b.pendingTasks) ||
        (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0),
    );
  if (candidates.length === 0) return { why: 'no active instance of the group' };
  if (state.active.length < 2) return { why: 'only one active instance' };
  for (const candidate of candidates) {
    const others = state.active.filter((i) => i !== candidate).map((i) => i.remaining);
    const block: Item = { label: `load of ${candidate.ec2InstanceId}`, ...used(candidate) };
    if (packFirstFitDecreasing([block, ...state.items], others).unplaced.length === 0)
      return { instance: candidate };
  }
  return { why: 'no instance\u2019s load fits on the others' };
}

/**
 * The group's update (min and max from the file, desired when given): its address, or undefined
 * when nothing differs.
 */
function groupChange(
  input: CapacityInput,
  g: LiveGroup,
  min: number,
  max: number,
  desired: number | undefined,
  why: string,
  sink: PlanSink,
): string | undefined {
  const { capacity, cluster } = input;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (capacity.min !== undefined && g.min !== min) {
    before.min = g.min;
    after.min = min;
  }
  if (capacity.max !== undefined && g.max !== max) {
    before.max = g.max;
    after.max = max;
  }
  if (desired !== undefined && desired !== g.desired) {
    before.desired = g.desired;
    after.desired = desired;
  }
  if (Object.keys(after).length === 0) return undefined;
  const clamped = Math.min(Math.max(g.desired, min), max);
  const implied =
    desired === undefined && clamped !== g.desired
      ? ` (AWS moves desired ${g.desired} → ${clamped} with it)`
      : '';
  sink.changes.push(
    makeChange({
      address: capacity.address,
      type: 'autoscaling_group',
      action: 'update',
      id: capacity.group,
      origin: capacity.origin,
      before: before as Fields,
      after: after as Fields,
      reason: `${describeDiff(before, after)}${implied}: ${why}`,
      scope: cluster.scope,
      operation: {
        kind: 'update_group',
        group: capacity.group,
        ...('min' in after ? { min } : {}),
        ...('max' in after ? { max } : {}),
        ...('desired' in after && desired !== undefined ? { desired } : {}),
      },
    }),
  );
  return capacity.address;
}
