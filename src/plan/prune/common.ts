/** Small pieces every prune planner shares. */
import type { Desired, DesiredPrune, Live, LiveRegistrations, LiveScope } from '../../model.ts';
import { scopeKey } from '../../model.ts';

/** The prune section of a file, if it has one. */
export function pruneOfFile(desired: Desired, file: string): DesiredPrune | undefined {
  return (desired.prune ?? []).find((p) => p.origin.file === file);
}

/** The first of `ids` that prune.protect lists. */
export function protectedId(prune: DesiredPrune, ...ids: (string | undefined)[]): string | undefined {
  return ids.find((id): id is string => id !== undefined && prune.protect.includes(id));
}

export function registrationsOf(
  live: Live,
  scope: DesiredPrune['scope'],
): {
  scope?: LiveScope;
  registrations?: LiveRegistrations;
} {
  const found = live.scopes.get(scopeKey(scope));
  return {
    ...(found === undefined ? {} : { scope: found }),
    ...(found?.registrations === undefined ? {} : { registrations: found.registrations }),
  };
}

export function where(scope: DesiredPrune['scope']): string {
  return scope.region + (scope.roleArn === undefined ? '' : ` as ${scope.roleArn}`);
}

/** `targetgroup/web/0123…` → `web`. */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}
