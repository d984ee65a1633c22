/**
 * planTargets: the target groups the YAML's groups list, kept in step with the groups' InService
 * instances. Pure.
 *
 * - Register: every InService instance of a listing group that the target group lacks, by
 *   instance id (instance target groups) or by its private IP (ip target groups), on the target
 *   group's port. Not guarded: adding capacity behind a load balancer is never the dangerous side.
 *   Not for a group that has the target group attached in AWS, or gets it attached by this plan
 *   (plan/groups/attachments.ts): AWS registers that group's instances itself, as they launch, and
 *   a RegisterTargets of ours would only race it. In practice that is every instance target group
 *   of a group that exists; ours remains for ip target groups, which AWS cannot attach.
 * - Deregister (with `prune.target_groups: true` in the file of the first group listing the
 *   target group; its grace, max and protect apply): targets whose instance is gone, or is alive
 *   but in none of the listing groups and was launched longer ago than grace. Targets of
 *   instances still in a listing group (Pending, Standby, Terminating, ...) are the group's
 *   lifecycle's business and are left alone. Deregistrations of a target group wait for its
 *   registrations and its attachments (apply skips them if those fail): capacity comes first.
 * - A target group, or (when a decision needs them) the instances, that could not be read is a
 *   plan error: nothing of that target group is done, and the run fails after the rest.
 */
import {
  type Change,
  type Desired,
  type DesiredGroup,
  type DesiredPrune,
  type Known,
  type Live,
  type LiveInstances,
  type LiveTarget,
  type LiveTargetGroup,
  type Origin,
  scopeKey,
  type TargetSpec,
} from '../../model.ts';
import { plural } from '../format.ts';
import { attachmentAddress } from '../groups/attachments.ts';
import { attachmentKey } from '../groups/index.ts';
import type { PruneBook } from '../prune/book.ts';
import { protectedId, pruneOfFile, targetGroupName, where } from '../prune/common.ts';
import { ageSeconds, type Fate, fateOf, formatAge, judge, UNKNOWN_TO_EC2 } from '../prune/evidence.ts';
import { makeChange } from '../sink.ts';

interface Use {
  readonly arn: string;
  readonly listers: DesiredGroup[];
}

interface Member {
  readonly group: DesiredGroup;
  readonly lifecycle: string;
}

interface Wanted {
  readonly target: TargetSpec;
  readonly instanceId: string;
  readonly group: DesiredGroup;
}

export function planTargets(
  desired: Desired,
  live: Live,
  now: Date,
  book: PruneBook,
  /** Target groups the plan attaches to groups ({@link attachmentKey}). */
  attaching: ReadonlySet<string> = new Set(),
): void {
  const uses = new Map<string, Use>();
  for (const group of desired.groups) {
    for (const arn of group.targetGroups) {
      const key = `${scopeKey(group.scope)}\u0000${arn}`;
      const use = uses.get(key);
      if (use === undefined) uses.set(key, { arn, listers: [group] });
      else if (!use.listers.includes(group)) use.listers.push(group);
    }
  }
  for (const use of uses.values()) planTargetGroup(desired, live, now, use, book, attaching);
}

function planTargetGroup(
  desired: Desired,
  live: Live,
  now: Date,
  use: Use,
  book: PruneBook,
  attaching: ReadonlySet<string>,
): void {
  const owner = use.listers[0] as DesiredGroup;
  const tgName = targetGroupName(use.arn);
  const address = `${owner.address}/target_groups/${tgName}`;
  const at = { address, origin: owner.origin };
  const scope = live.scopes.get(scopeKey(owner.scope));
  const read: Known<LiveTargetGroup | null> = scope?.registrations?.targetGroups.get(use.arn) ?? {
    known: false,
    reason: 'not read',
  };
  if (!read.known) {
    book.error(
      `target group ${tgName} could not be read (${read.reason}); it is not attached to a group, and its targets are neither registered nor deregistered this run`,
      at,
    );
    return;
  }
  if (read.value === null) {
    book.error(
      `target group ${tgName} does not exist (${use.arn}): it cannot be attached to a group, and no target is registered in it`,
      at,
    );
    return;
  }
  const tg = read.value;
  if (tg.targetType !== 'instance' && tg.targetType !== 'ip') {
    book.error(
      `target group ${tgName} has ${tg.targetType} targets: only instance and ip target groups are kept in step`,
      at,
    );
    return;
  }
  const members = new Map<string, Member>();
  // Groups whose instances AWS registers in this target group: it is attached, or being attached.
  const awsRegisters = new Set<string>();
  // The attach changes of this plan for it: they register instances, so removals wait for them.
  const attachChanges: string[] = [];
  // Listing groups AWS does not return (a typo, deleted by hand, not created yet). Their members
  // are not known to be none: a group that is not there is unknown, never empty. Its instances
  // (if the name is a typo, the real group's) would look like strays, so nothing is deregistered.
  const absent: string[] = [];
  for (const lister of use.listers) {
    const group = scope?.groups.get(lister.name);
    if (group === undefined || !group.known) {
      book.warn(
        `group ${lister.name} could not be read; the targets of ${tgName} are neither registered nor deregistered this run`,
        at,
      );
      return;
    }
    if (group.value === null) {
      absent.push(lister.name);
      continue;
    }
    for (const i of group.value.instances) members.set(i.id, { group: lister, lifecycle: i.lifecycleState });
    const scopeName = scopeKey(lister.scope);
    if (attaching.has(attachmentKey(scopeName, lister.name, use.arn))) {
      awsRegisters.add(lister.name);
      attachChanges.push(attachmentAddress(lister, 'target_group', tgName));
    } else if (group.value.targetGroupArns.includes(use.arn)) awsRegisters.add(lister.name);
  }
  const instances = scope?.registrations?.instances ?? { known: false as const, reason: 'not read' };
  const ip = tg.targetType === 'ip';
  const key = (id: string, port: number | undefined): string => `${id}:${port ?? tg.port ?? ''}`;

  // What should be registered: the listing groups' InService instances.
  const wanted = new Map<string, Wanted>();
  let missingIps = 0;
  for (const [instanceId, member] of members) {
    if (member.lifecycle !== 'InService') continue;
    let id = instanceId;
    if (ip) {
      const privateIp = instances.known ? instances.value.byId.get(instanceId)?.privateIp : undefined;
      if (privateIp === undefined) {
        missingIps++;
        continue;
      }
      id = privateIp;
    }
    const target = { id, ...(tg.port === undefined ? {} : { port: tg.port }) };
    wanted.set(key(target.id, target.port), { target, instanceId, group: member.group });
  }
  if (missingIps > 0) {
    if (instances.known)
      book.warn(
        `${missingIps} InService instance(s) of the groups listing ${tgName} have no private IP EC2 reports: not registered`,
        at,
      );
    else
      book.error(
        `instances in ${where(owner.scope)} could not be read (${instances.reason}); ${missingIps} InService instance(s) are not registered in ip target group ${tgName}`,
        at,
      );
  }

  const existing = new Set(tg.targets.map((t) => key(t.id, t.port)));
  const registrations: string[] = [...attachChanges];
  for (const [k, w] of wanted) {
    if (existing.has(k) || awsRegisters.has(w.group.name)) continue;
    const change = makeChange({
      address: `${address}/${k}`,
      type: 'target',
      action: 'register',
      id: k,
      origin: w.group.origin,
      before: null,
      after: {
        target_group: tgName,
        target: w.target.id,
        port: w.target.port ?? null,
        instance: w.instanceId,
        group: w.group.name,
        lifecycle: 'InService',
      },
      reason: `${w.instanceId} is InService in ${w.group.name} but not registered in ${tgName}`,
      scope: owner.scope,
      operation: { kind: 'register_targets', targetGroupArn: tg.arn, targets: [w.target] },
    });
    registrations.push(change.address);
    book.changes.push(change);
  }

  const prune = pruneOfFile(desired, owner.origin.file);
  if (prune === undefined || !prune.targetGroups) return;
  const unit = {
    address: `${prune.address}/target_groups`,
    origin: prune.origin,
    noun: 'target registrations',
    limit: prune.max,
    limitOrigin: prune.maxOrigin,
  };
  book.entries(unit, tg.targets.length);
  const stale = tg.targets.filter((t) => !wanted.has(key(t.id, t.port)));
  if (stale.length === 0) return;
  if (absent.length > 0) {
    const groups = absent.map((name) => `group ${name}`).join(', ');
    book.warn(
      `${groups} ${absent.length === 1 ? 'does' : 'do'} not exist in ${where(owner.scope)}; no target of ${tgName} is deregistered this run (its members are unknown, so ${plural(stale.length, 'target')} outside the other listing groups cannot be judged)`,
      at,
    );
    return;
  }
  if (!instances.known) {
    book.error(
      `instances in ${where(owner.scope)} could not be read (${instances.reason}); no target of ${tgName} is deregistered this run`,
      at,
    );
    return;
  }
  for (const target of stale) {
    const k = key(target.id, target.port);
    const decision = decide(target, ip, members, instances.value, prune, now);
    if (decision === undefined) continue;
    const targetAt = { address: `${address}/${k}`, origin: owner.origin };
    const guarded = protectedId(prune, decision.instanceId, target.id, k);
    if (guarded !== undefined) {
      if (decision.remove)
        book.warn(`${guarded} is protected (prune.protect): target ${k} of ${tgName} is kept`, targetAt);
      continue;
    }
    if (!decision.remove) {
      book.warn(`target ${k} of ${tgName}: ${decision.why}`, targetAt);
      continue;
    }
    book.remove(
      unit,
      targetChange(tgName, tg, target, k, decision, {
        address: targetAt.address,
        origin: owner.origin,
        scope: owner.scope,
        dependsOn: registrations,
      }),
    );
  }
}

type Decision =
  | {
      readonly remove: true;
      readonly instanceId?: string;
      readonly evidence: string;
      readonly fields: Record<string, unknown>;
    }
  | { readonly remove: false; readonly instanceId?: string; readonly why: string };

/** Undefined: the target is not this planner's to judge (still in a group, or its instance not looked up). */
function decide(
  target: LiveTarget,
  ip: boolean,
  members: ReadonlyMap<string, Member>,
  instances: LiveInstances,
  prune: DesiredPrune,
  now: Date,
): Decision | undefined {
  const holders = ip ? instances.byIp.get(target.id) : [target.id];
  if (holders === undefined) return undefined;
  if (holders.some((id) => members.has(id))) return undefined;
  const fates = holders.map((id) => [id, fateOf(instances, id)] as const);
  if (fates.some(([, fate]) => fate === undefined)) return undefined;
  const alive = fates.find(
    (f): f is readonly [string, Extract<Fate, { gone: false }>] => f[1]?.gone === false,
  );
  if (alive !== undefined) {
    const [instanceId, fate] = alive;
    const launched = fate.instance.launchTime;
    const subject = `instance ${instanceId} is ${fate.instance.state} but in none of the groups listing this target group`;
    if (launched === undefined)
      return { remove: false, instanceId, why: `${subject}; its launch time is not known, so it is kept` };
    const age = ageSeconds(new Date(launched), now);
    if (age < prune.graceSeconds) {
      return {
        remove: false,
        instanceId,
        why: `${subject}, launched ${formatAge(age)} ago: kept until grace (${formatAge(prune.graceSeconds)}) has passed`,
      };
    }
    return {
      remove: true,
      instanceId,
      evidence: `${subject} (launched ${formatAge(age)} ago, grace ${formatAge(prune.graceSeconds)})`,
      fields: { instance: instanceId, instance_state: fate.instance.state, launched },
    };
  }
  const [first] = fates;
  const instanceId = first?.[0];
  const fate: Extract<Fate, { gone: true }> =
    first?.[1]?.gone === true ? first[1] : { gone: true, state: UNKNOWN_TO_EC2 };
  const subject = instanceId === undefined ? `the instance with IP ${target.id}` : `instance ${instanceId}`;
  const verdict = judge(subject, fate, undefined, prune.graceSeconds, now);
  const base = instanceId === undefined ? {} : { instanceId };
  if (!verdict.prune) return { remove: false, ...base, why: verdict.why };
  return {
    remove: true,
    ...base,
    evidence: verdict.evidence,
    fields: { instance: instanceId ?? null, ...verdict.fields },
  };
}

function targetChange(
  tgName: string,
  tg: LiveTargetGroup,
  target: LiveTarget,
  id: string,
  decision: Extract<Decision, { remove: true }>,
  at: { address: string; origin: Origin; scope: DesiredGroup['scope']; dependsOn: readonly string[] },
): Change {
  const port = target.port ?? tg.port;
  return makeChange({
    address: at.address,
    type: 'target',
    action: 'deregister',
    id,
    origin: at.origin,
    before: {
      target_group: tgName,
      target: target.id,
      port: port ?? null,
      health: target.health ?? null,
      ...decision.fields,
    },
    after: null,
    reason: decision.evidence,
    scope: at.scope,
    dependsOn: at.dependsOn,
    operation: {
      kind: 'deregister_targets',
      targetGroupArn: tg.arn,
      targets: [{ id: target.id, ...(port === undefined ? {} : { port }) }],
    },
  });
}
