import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/deadline.ts
var DEFAULT_TIMEOUT_SECONDS = 15 * 60;
var DEFAULT_GRACE_SECONDS = 60;
var DeadlineError = class extends Error {
  name = "DeadlineError";
};
var RunDeadline = class {
  seconds;
  /**
   * Aborts at the deadline, for reads that are safe to cut in flight (HTTP metric sources,
   * registry listings: what they would have read is unknown). Writes never take it.
   */
  signal;
  /** Aborts `graceSeconds` after the deadline: for AWS requests still in flight by then. */
  cutoff;
  #endsAt;
  #now;
  /** `now` (milliseconds) is injectable so tests need not wait; the signals keep real time. */
  constructor(seconds, now = Date.now, graceSeconds = DEFAULT_GRACE_SECONDS) {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new RangeError(`timeout must be positive, not ${seconds}`);
    this.seconds = seconds;
    this.#now = now;
    this.#endsAt = now() + seconds * 1e3;
    this.signal = abortAfter(seconds, new DeadlineError(this.text));
    this.cutoff = abortAfter(
      seconds + graceSeconds,
      new DeadlineError(`${this.text}, and ${formatTimeout(graceSeconds)} more for requests in flight`)
    );
  }
  get passed() {
    return this.#now() >= this.#endsAt;
  }
  /** Milliseconds left before the deadline (0 once passed): how long a wait may last. */
  get remainingMs() {
    return Math.max(0, this.#endsAt - this.#now());
  }
  /** `the run's timeout (15m) passed`: the start of every message about it. */
  get text() {
    return `the run's timeout (${formatTimeout(this.seconds)}) passed`;
  }
  /** Throws a DeadlineError naming `what` (e.g. `AutoScaling:DescribePolicies`) once passed. */
  check(what) {
    if (this.passed) throw new DeadlineError(`${this.text}: ${what} not started`);
  }
};
function abortAfter(seconds, reason) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), seconds * 1e3).unref();
  return controller.signal;
}
function formatTimeout(seconds) {
  const parts = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ]) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join("") || "0s";
}

export {
  DEFAULT_TIMEOUT_SECONDS,
  DeadlineError,
  RunDeadline,
  formatTimeout
};
