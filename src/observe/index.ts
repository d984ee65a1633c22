/**
 * observe: the only code that reads AWS. One scope (region, role) at a time in parallel; in each,
 * groups, policies, alarms and scheduled actions are read at once. A read that fails is recorded
 * as unknown, never as empty. The result is frozen.
 */
import type { AwsClients } from '../aws/clients.ts';
import {
  type AwsScope,
  type Desired,
  deepFreeze,
  type Known,
  known,
  type Live,
  type LiveGroup,
  type LiveScope,
  scopeKey,
  unknown,
} from '../model.ts';
import { readGroups } from './groups.ts';
import { reasonOf } from './scoped.ts';
import { type GroupSet, readOwnedAlarms, readPolicies, readScheduledActions } from './triggers.ts';

export type ClientsFor = (scope: AwsScope) => AwsClients;

export async function observe(desired: Desired, clientsFor: ClientsFor): Promise<Live> {
  const scopes = new Map<string, { scope: AwsScope; names: string[] }>();
  for (const group of desired.groups) {
    const key = scopeKey(group.scope);
    const entry = scopes.get(key) ?? { scope: group.scope, names: [] };
    entry.names.push(group.name);
    scopes.set(key, entry);
  }
  const observed = await Promise.all(
    [...scopes].map(
      async ([key, { scope, names }]) => [key, await observeScope(clientsFor(scope), scope, names)] as const,
    ),
  );
  return deepFreeze({ scopes: new Map(observed) });
}

export async function observeScope(
  clients: AwsClients,
  scope: AwsScope,
  names: readonly string[],
): Promise<LiveScope> {
  const groupsRead = readGroups(clients, names);
  const groupSet: GroupSet = {
    names,
    mayExist: async () => {
      const groups = await groupsRead;
      return names.filter((n) => !isKnownMissing(groups.get(n)));
    },
  };
  const [groups, policies, scheduledActions, alarms] = await Promise.all([
    groupsRead,
    settle(readPolicies(clients, groupSet)),
    settle(readScheduledActions(clients, groupSet)),
    settle(readOwnedAlarms(clients, groupSet)),
  ]);
  return { scope, groups, policies, scheduledActions, alarms };
}

function isKnownMissing(group: Known<LiveGroup | null> | undefined): boolean {
  return group?.known === true && group.value === null;
}

async function settle<T>(read: Promise<T>): Promise<Known<T>> {
  try {
    return known(await read);
  } catch (error) {
    return unknown(reasonOf(error));
  }
}
