/**
 * What a registry request's placeholders become for one instance, from what observe read: the
 * instance id, its group and zone (the group's listing, else EC2's tag and placement), its IPs
 * (EC2), `{entry}` (the registry's `entry` filled with those) and, for a delete, `{id}`. A value
 * that is not known is left out, never set to '': the request that needs it does not run.
 */
import type { DesiredRegistry, LiveInstance, PlaceholderName, PlaceholderValues } from '../../model.ts';
import {
  fillText,
  missingOf,
  PLACEHOLDER_MEANING,
  PlaceholderError,
  placeholdersOfRequest,
} from '../../registries/placeholders.ts';

export interface InstanceFacts {
  readonly instanceId: string;
  /** EC2's view, when it was read (null: EC2 does not know the id). */
  readonly instance?: LiveInstance | null | undefined;
  /** The group it is in now (the group's listing), when known. */
  readonly group?: string;
  readonly availabilityZone?: string;
}

export function instanceValues(facts: InstanceFacts, registry: DesiredRegistry): PlaceholderValues {
  const instance = facts.instance ?? undefined;
  const group = facts.group ?? instance?.autoScalingGroup;
  const az = facts.availabilityZone ?? instance?.availabilityZone;
  const base: Partial<Record<PlaceholderName, string>> = {
    instance: facts.instanceId,
    ...(group === undefined ? {} : { group }),
    ...(az === undefined ? {} : { az }),
    ...(instance?.privateIp === undefined ? {} : { private_ip: instance.privateIp }),
    ...(instance?.publicIp === undefined ? {} : { public_ip: instance.publicIp }),
  };
  try {
    base.entry = fillText(registry.entry, base);
  } catch (error) {
    if (!(error instanceof PlaceholderError)) throw error;
  }
  return base;
}

/** Why `values` cannot fill the request, or undefined when they can. */
export function missingText(
  request: Parameters<typeof placeholdersOfRequest>[0],
  values: PlaceholderValues,
  registry: DesiredRegistry,
): string | undefined {
  const missing = missingOf(placeholdersOfRequest(request), values);
  if (missing.length === 0) return undefined;
  return missing
    .map((name) =>
      name === 'entry'
        ? `{entry} (entry ${registry.entry} needs ${missingOf(entryNames(registry), values)
            .map((n) => `{${n}}`)
            .join(', ')})`
        : `{${name}} (${PLACEHOLDER_MEANING[name]})`,
    )
    .join(', ');
}

function entryNames(registry: DesiredRegistry): PlaceholderName[] {
  return [...placeholdersOfRequest({ kind: 'command', command: registry.entry })];
}

/** The fields a change shows of an instance's values (unknown ones as null). */
export function valueFields(values: PlaceholderValues): Record<string, string | null> {
  return {
    group: values.group ?? null,
    az: values.az ?? null,
    private_ip: values.private_ip ?? null,
    public_ip: values.public_ip ?? null,
  };
}
