/** Where planners put what they find; the plan is assembled from it once they are all done. */
import type {
  AwsScope,
  Change,
  ChangeAction,
  ChangeType,
  Fields,
  Operation,
  Origin,
  PlanMessage,
} from '../model.ts';

export interface PlanSink {
  readonly changes: Change[];
  readonly warnings: PlanMessage[];
  readonly errors: PlanMessage[];
}

export function newSink(): PlanSink {
  return { changes: [], warnings: [], errors: [] };
}

export interface ChangeInit {
  readonly address: string;
  readonly type: ChangeType;
  readonly action: ChangeAction;
  readonly id: string;
  readonly origin?: Origin;
  readonly before: Fields | null;
  readonly after: Fields | null;
  readonly reason: string;
  readonly scope: AwsScope;
  readonly dependsOn?: readonly (string | undefined)[];
  readonly operation: Operation;
  readonly sources?: Change['sources'];
}

export function makeChange(init: ChangeInit): Change {
  const { origin, dependsOn, sources, ...rest } = init;
  return {
    ...rest,
    ...(sources === undefined || Object.keys(sources).length === 0 ? {} : { sources }),
    ...(origin === undefined ? {} : { file: origin.file, line: origin.line }),
    dependsOn: (dependsOn ?? []).filter((a): a is string => a !== undefined),
  };
}

export function message(text: string, at: { address?: string; origin?: Origin } = {}): PlanMessage {
  return {
    ...(at.address === undefined ? {} : { address: at.address }),
    ...(at.origin === undefined ? {} : { file: at.origin.file, line: at.origin.line }),
    message: text,
  };
}
