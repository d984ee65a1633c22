/**
 * The run's deadline (CLI `--timeout`, the Action's `timeout` input; default 15 minutes).
 *
 * Past it the run starts no new work: no AWS request, metric read, registry command or change of
 * the plan is begun, and what was not done is reported as such (exit 1). Work already in flight
 * ends within its own bound (an AWS request's timeout, a source's timeout, a command's), so the
 * run ends shortly after the deadline rather than when the CI job is killed, and still writes its
 * report, summary and failure issue. Level-triggered: the next run picks up what was left.
 *
 * AWS requests in flight, writes included, are let finish for a grace period rather than cut at
 * once: a write cut half way leaves its outcome unknown, one let finish is reported as applied or
 * failed. Past the grace (`cutoff`) whatever is still in flight is aborted, so even an answer
 * trickling in a byte at a time (which no socket timeout catches) cannot hold the run.
 */

export const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
/** How long AWS requests in flight at the deadline may still take before they are cut. */
export const DEFAULT_GRACE_SECONDS = 60;

/** Why work was not started: carries the deadline in its message. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export class RunDeadline {
  readonly seconds: number;
  /**
   * Aborts at the deadline, for reads that are safe to cut in flight (HTTP metric sources,
   * registry listings: what they would have read is unknown). Writes never take it.
   */
  readonly signal: AbortSignal;
  /** Aborts `graceSeconds` after the deadline: for AWS requests still in flight by then. */
  readonly cutoff: AbortSignal;
  readonly #endsAt: number;
  readonly #now: () => number;

  /** `now` (milliseconds) is injectable so tests need not wait; the signals keep real time. */
  constructor(seconds: number, now: () => number = Date.now, graceSeconds = DEFAULT_GRACE_SECONDS) {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new RangeError(`timeout must be positive, not ${seconds}`);
    this.seconds = seconds;
    this.#now = now;
    this.#endsAt = now() + seconds * 1000;
    this.signal = abortAfter(seconds, new DeadlineError(this.text));
    this.cutoff = abortAfter(
      seconds + graceSeconds,
      new DeadlineError(`${this.text}, and ${formatTimeout(graceSeconds)} more for requests in flight`),
    );
  }

  get passed(): boolean {
    return this.#now() >= this.#endsAt;
  }

  /** Milliseconds left before the deadline (0 once passed): how long a wait may last. */
  get remainingMs(): number {
    return Math.max(0, this.#endsAt - this.#now());
  }

  /** `the run's timeout (15m) passed`: the start of every message about it. */
  get text(): string {
    return `the run's timeout (${formatTimeout(this.seconds)}) passed`;
  }

  /** Throws a DeadlineError naming `what` (e.g. `AutoScaling:DescribePolicies`) once passed. */
  check(what: string): void {
    if (this.passed) throw new DeadlineError(`${this.text}: ${what} not started`);
  }
}

function abortAfter(seconds: number, reason: Error): AbortSignal {
  const controller = new AbortController();
  // unref: the timer never keeps the process alive once the run's work is done.
  setTimeout(() => controller.abort(reason), seconds * 1000).unref();
  return controller.signal;
}

/** `15m`, `1h30m`, `90s`: how the CLI and the Action write a timeout back. */
export function formatTimeout(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join('') || '0s';
}
