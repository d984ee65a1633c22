/**
 * Bounded waits for every AWS call. The SDK's own default is no timeout at all: an endpoint that
 * accepts the connection and never answers stalls a run forever. Each client (and the STS client
 * of a role) gets a NodeHttpHandler with:
 *
 * - a connection timeout (default 5 s): opening the TCP connection. AWS endpoints connect in
 *   milliseconds; 5 s leaves room for a loaded runner or a proxy (the AWS SDK for Java 2.x uses
 *   2 s, botocore and the AWS CLI 60 s).
 * - a request timeout (default 30 s): how long the socket may stay silent once the request is
 *   sent (`socketTimeout`, idle). AWS's query and JSON APIs send nothing before the whole answer
 *   is ready, so this is the time AWS may take to compute one page; the slowest reads we make
 *   (DescribeInstances, 1000 per page) take a few seconds. 30 s is the AWS SDK for Java 2.x's
 *   read timeout (botocore's is 60 s). Not smithy's `requestTimeout` (+ throwOnRequestTimeout):
 *   its clock starts before a socket is free, so a large plan's calls queued behind the agent's
 *   50 sockets could time out without AWS being slow at all.
 *
 * A timed-out attempt is retried (the SDK counts TimeoutError as transient). Bound for one
 * logical call to a frozen endpoint: maxAttempts × (connect + request timeout + 3 s, the
 * handler's delay before it arms a socket timeout of 6 s or more) + backoff, where backoff (not
 * throttling) is at most 0.1 s × (2 + 4 + 8 + 16) = 3 s for 5 attempts: with the defaults at
 * most 5 × 38 s + 3 s ≈ 3.2 min, usually 5 × 30 s ≈ 2.5 min (the endpoint accepts at once). An
 * answer trickling a byte at a time is bounded only by the run's signal.
 *
 * The signal (a run deadline) aborts every request in flight and every later one; the SDK does
 * not retry an AbortError, so an aborted call fails at once.
 *
 * `AUTOSCALE_GITOPS_CONNECT_TIMEOUT` / `AUTOSCALE_GITOPS_REQUEST_TIMEOUT` (seconds) change the
 * defaults, so the CLI and the Action can be given other bounds without a code path of their own.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, InitializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import { proxyAgentOptions } from './settings.ts';

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const CONNECT_TIMEOUT_ENV = 'AUTOSCALE_GITOPS_CONNECT_TIMEOUT';
export const REQUEST_TIMEOUT_ENV = 'AUTOSCALE_GITOPS_REQUEST_TIMEOUT';

export interface HttpTimeouts {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Explicit options first, then the environment (seconds, e.g. `2.5`), then the defaults. A value
 * that is not a positive number of seconds is ignored (the default applies): a typo must not
 * turn the bound off.
 */
export function resolveTimeouts(
  options: { readonly connectionTimeoutMs?: number; readonly requestTimeoutMs?: number },
  env: NodeJS.ProcessEnv = process.env,
): HttpTimeouts {
  return {
    connectionTimeoutMs:
      positive(options.connectionTimeoutMs) ??
      seconds(env[CONNECT_TIMEOUT_ENV]) ??
      DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs:
      positive(options.requestTimeoutMs) ?? seconds(env[REQUEST_TIMEOUT_ENV]) ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return positive(Math.round(Number(text) * 1000));
}

/** A NodeHttpHandler with these timeouts; with a signal, every request also ends when it aborts. */
export function requestHandler(timeouts: HttpTimeouts, signal?: AbortSignal): NodeHttpHandler {
  // HTTPS_PROXY and the like (settings.ts): the handler spreads these into its agents' options.
  const proxy = proxyAgentOptions();
  const config = {
    connectionTimeout: timeouts.connectionTimeoutMs,
    socketTimeout: timeouts.requestTimeoutMs,
    ...(proxy.proxyEnv === undefined ? {} : { httpAgent: proxy, httpsAgent: proxy }),
  };
  return signal === undefined ? new NodeHttpHandler(config) : new SignalledHandler(config, signal);
}

/** Each request's abortSignal becomes "the run's signal or the caller's", whichever aborts first. */
class SignalledHandler extends NodeHttpHandler {
  readonly #signal: AbortSignal;

  constructor(config: ConstructorParameters<typeof NodeHttpHandler>[0], signal: AbortSignal) {
    super(config);
    this.#signal = signal;
  }

  override handle(
    request: Parameters<NodeHttpHandler['handle']>[0],
    options: HttpHandlerOptions = {},
  ): ReturnType<NodeHttpHandler['handle']> {
    return super.handle(request, { ...options, abortSignal: either(this.#signal, options.abortSignal) });
  }
}

function either(run: AbortSignal, own: HttpHandlerOptions['abortSignal']): AbortSignal {
  if (own === undefined) return run;
  if (own instanceof AbortSignal) return AbortSignal.any([run, own]);
  // The SDK's own signal type (not a DOM AbortSignal): follow it by hand.
  const controller = new AbortController();
  if (own.aborted) controller.abort();
  else {
    const previous = own.onabort;
    own.onabort = function (this: unknown, ...args: unknown[]) {
      controller.abort();
      if (typeof previous === 'function') (previous as (...a: unknown[]) => void).apply(this, args);
    } as typeof own.onabort;
  }
  return AbortSignal.any([run, controller.signal]);
}

/**
 * A timed-out or aborted call, named: `AutoScaling:DescribeAutoScalingGroups: no answer within
 * 30 s (5 attempts)`. The SDK's own message names neither the service nor the operation, and
 * observe/ shows error messages as the reason a read is unknown.
 */
export class AwsWaitError extends Error {
  constructor(name: 'TimeoutError' | 'AbortError', message: string, cause: unknown) {
    super(message, { cause });
    this.name = name;
  }
}

/** Rewrites the final (after retries) timeout or abort error of every call to name the call. */
export function timeoutNamingPlugin<Input extends object, Output extends MetadataBearer>(
  service: string,
  timeouts: HttpTimeouts,
): Pluggable<Input, Output> {
  const naming: InitializeMiddleware<Input, Output> = (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw nameWait(error, `${service}:${operationOf(context)}`, timeouts) ?? error;
    }
  };
  return {
    applyToStack(stack) {
      stack.add(naming, { step: 'initialize', priority: 'low', name: 'autoscaleGitopsTimeoutNames' });
    },
  };
}

function operationOf(context: { commandName?: unknown }): string {
  const name = typeof context.commandName === 'string' ? context.commandName : 'Unknown';
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}

/** The named error, or undefined when the error is neither a timeout nor an abort. */
export function nameWait(error: unknown, call: string, timeouts: HttpTimeouts): AwsWaitError | undefined {
  if (!(error instanceof Error) || error instanceof AwsWaitError) return undefined;
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  const tries = typeof attempts === 'number' && attempts > 1 ? ` (${attempts} attempts)` : '';
  if (error.name === 'TimeoutError') {
    // The handler also names a connection reset (ECONNRESET, EPIPE) TimeoutError, so that it is
    // retried: those keep their own message. Only our two bounds are restated.
    const what = error.message.includes('establish a connection')
      ? `no connection within ${secondsText(timeouts.connectionTimeoutMs)}`
      : /timed out after \d+ ms of inactivity/.test(error.message)
        ? `no answer within ${secondsText(timeouts.requestTimeoutMs)}`
        : undefined;
    return what === undefined
      ? undefined
      : new AwsWaitError('TimeoutError', `${call}: ${what}${tries}`, error);
  }
  if (error.name === 'AbortError') {
    const reason = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new AwsWaitError('AbortError', `${call}: aborted${reason}`, error);
  }
  return undefined;
}

function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
