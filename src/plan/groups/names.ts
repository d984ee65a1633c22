/**
 * Names of the objects a group's triggers and schedules own. Deterministic, so each run finds
 * what the previous one made; prefixed, so ownership shows in the name (CONTRACT.md).
 */
import { OWNED_PREFIX, type ThresholdSideName } from '../../model.ts';

const SIDE_SUFFIX: Readonly<Record<ThresholdSideName, string>> = { upper: 'up', lower: 'down' };

/** Policy and alarm of one side of a threshold trigger share this name. */
export function thresholdName(group: string, trigger: string, side: ThresholdSideName): string {
  return `${OWNED_PREFIX}${group}-${trigger}-${SIDE_SUFFIX[side]}`;
}

export function targetTrackingName(group: string, trigger: string): string {
  return `${OWNED_PREFIX}${group}-${trigger}`;
}

export function scheduleName(group: string, schedule: string): string {
  return `${OWNED_PREFIX}${group}-${schedule}`;
}

/** What every owned name of a group starts with. */
export function groupPrefix(group: string): string {
  return `${OWNED_PREFIX}${group}-`;
}

export function isOwnedName(name: string): boolean {
  return name.startsWith(OWNED_PREFIX);
}

/** The group a scaling policy ARN belongs to (`...:autoScalingGroupName/<group>:policyName/<name>`). */
export function groupOfPolicyArn(arn: string): string | undefined {
  const match =
    /^arn:[^:]+:autoscaling:[^:]*:[^:]*:scalingPolicy:[^:]*:autoScalingGroupName\/(.+):policyName\/.+$/.exec(
      arn,
    );
  return match?.[1];
}
