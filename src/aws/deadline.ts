/**
 * The run's deadline on every SDK client: each HTTP attempt (first try or retry) checks it just
 * before it is sent, so past the deadline no AWS request starts. It sits in the deserialize step,
 * inside the retry loop and after pacing and signing: a write that waited for its pacing token
 * past the deadline is not sent either. The DeadlineError it throws is not retryable (no AWS
 * error code, no HTTP status), so the call fails at once and names itself.
 */
import type { DeserializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import type { RunDeadline } from '../deadline.ts';

export function deadlinePlugin<Input extends object, Output extends MetadataBearer>(
  service: string,
  deadline: RunDeadline,
): Pluggable<Input, Output> {
  const check: DeserializeMiddleware<Input, Output> = (next, context) => (args) => {
    const name =
      typeof context.commandName === 'string' ? context.commandName.replace(/Command$/, '') : 'Unknown';
    deadline.check(`${service}:${name}`);
    return next(args);
  };
  return {
    applyToStack(stack) {
      stack.add(check, { step: 'deserialize', priority: 'low', name: 'autoscaleGitopsDeadline' });
    },
  };
}
