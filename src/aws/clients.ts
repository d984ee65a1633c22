/**
 * The one place SDK clients are built. Every client shares: the region, the endpoint (explicit
 * option, else the SDK's own `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` handling), the
 * SDK's retry and user agent settings with our defaults (settings.ts), a silent logger, optional
 * role assumption, a {@link CallCounter}, and bounded waits (timeouts.ts: connection and request
 * timeouts, HTTPS_PROXY, an optional signal aborting every request).
 *
 * Counting: a middleware at the `initialize` step records each LOGICAL operation once (whatever
 * the retries), and a second one at the `deserialize` step (inside the retry loop) records each
 * HTTP attempt. Keys are `Service:Operation`, e.g. `AutoScaling:DescribeAutoScalingGroups`, with
 * the service labels of {@link ServiceLabel}; an AssumeRole made for a role is `STS:AssumeRole`.
 */
import { AutoScalingClient, type AutoScalingClientConfig } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
// Type-only: @smithy/types is what every v3 client's middleware stack is typed with.
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  DeserializeMiddleware,
  InitializeMiddleware,
  Logger,
  MetadataBearer,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types';
import type { RunDeadline } from '../deadline.ts';
import { deadlinePlugin } from './deadline.ts';
import { type PacedService, type Pacer, pacingPlugin } from './pacing.ts';
import { sdkSettings } from './settings.ts';
import { type HttpTimeouts, requestHandler, resolveTimeouts, timeoutNamingPlugin } from './timeouts.ts';

/** Labels used in counter keys. */
export type ServiceLabel = 'AutoScaling' | 'EC2' | 'ECS' | 'CloudWatch' | 'ELBv2' | 'STS';

/** The role session name every AssumeRole uses, so CloudTrail shows who acted. */
export const ROLE_SESSION_NAME = 'autoscale-gitops';

/**
 * The session name of a run: in GitHub Actions `autoscale-gitops-<run id>-<attempt>`, so a
 * CloudTrail entry leads back to the workflow run that made it (as configure-aws-credentials'
 * `GitHubActions` session does for its own role); elsewhere `autoscale-gitops`. AWS allows 2 to
 * 64 characters of `[\w+=,.@-]`: anything else in the variables is dropped.
 */
export function roleSessionName(env: Readonly<Record<string, string | undefined>>): string {
  const clean = (value: string | undefined) => (value ?? '').replace(/[^\w+=,.@-]/g, '');
  const run = clean(env.GITHUB_RUN_ID);
  if (run === '') return ROLE_SESSION_NAME;
  const attempt = clean(env.GITHUB_RUN_ATTEMPT);
  return `${ROLE_SESSION_NAME}-${run}${attempt === '' ? '' : `-${attempt}`}`.slice(0, 64);
}

/** What identifies a set of clients: the pool's key. */
export interface AwsContext {
  readonly region: string;
  /** e.g. `http://127.0.0.1:5000` for moto; absent: the SDK's own resolution (env included). */
  readonly endpoint?: string;
  /** Assumed through STS for every client of this context. */
  readonly roleArn?: string;
}

export type CredentialsOption = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface CreateAwsClientsOptions extends AwsContext {
  /** Shared counter; default a new one (readable as `clients.counter`). */
  readonly counter?: CallCounter;
  /** Total HTTP attempts per logical call, first try included. Default 5. */
  readonly maxAttempts?: number;
  /** AssumeRole's session name (see {@link roleSessionName}); default `autoscale-gitops`. */
  readonly roleSessionName?: string;
  /** Base credentials (the source credentials for AssumeRole when `roleArn` is set). Default: the SDK chain. */
  readonly credentials?: CredentialsOption;
  /** Paces requests to AWS's documented rates (pacing.ts, rates.ts); default none. The pipeline's own pools have one. */
  readonly pacer?: Pacer;
  /** Past it no request is sent (deadline.ts); default none. */
  readonly deadline?: RunDeadline;
  /**
   * Most time to open a TCP connection to AWS, per attempt. Default 5 s, or
   * `AUTOSCALE_GITOPS_CONNECT_TIMEOUT` (seconds) when set (timeouts.ts says why).
   */
  readonly connectionTimeoutMs?: number;
  /**
   * Most time an attempt's socket may stay silent: waiting for AWS's answer, then between two
   * pieces of it. Default 30 s, or `AUTOSCALE_GITOPS_REQUEST_TIMEOUT` (seconds) when set.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Aborts every request of these clients, those in flight and those to come (e.g. a run
   * deadline). An aborted call fails at once and is not retried.
   */
  readonly signal?: AbortSignal;
}

export interface AwsClients {
  readonly context: AwsContext;
  readonly counter: CallCounter;
  readonly autoscaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** Closes the sockets of the clients built so far. */
  destroy(): void;
}

/**
 * Counts AWS calls per `Service:Operation`: logical operations (one per `send`, whatever the
 * retries) and, separately, HTTP attempts (retries included).
 */
export class CallCounter {
  readonly #calls = new Map<string, number>();
  readonly #attempts = new Map<string, number>();

  /** One logical operation. */
  record(service: string, operation: string): void {
    increment(this.#calls, `${service}:${operation}`);
  }

  /** One HTTP attempt (the first try or a retry). */
  recordAttempt(service: string, operation: string): void {
    increment(this.#attempts, `${service}:${operation}`);
  }

  /** Logical operations per `Service:Operation`, keys sorted. */
  snapshot(): Record<string, number> {
    return sortedRecord(this.#calls);
  }

  /** HTTP attempts per `Service:Operation`, keys sorted. */
  attemptSnapshot(): Record<string, number> {
    return sortedRecord(this.#attempts);
  }

  /** Logical operations of one key (0 when never called). */
  count(service: string, operation: string): number {
    return this.#calls.get(`${service}:${operation}`) ?? 0;
  }

  /** All logical operations. */
  total(): number {
    return sum(this.#calls);
  }

  /** All HTTP attempts, retries included. */
  get attempts(): number {
    return sum(this.#attempts);
  }

  reset(): void {
    this.#calls.clear();
    this.#attempts.clear();
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key) ?? 0;
  return out;
}

const noop = (): void => {};
/** The SDK logs nothing of its own; errors surface as rejections. */
export const silentLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

function operationName(context: { commandName?: unknown }): string {
  const name = typeof context.commandName === 'string' ? context.commandName : 'Unknown';
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}

/** The counting middleware pair, as a plugin for any v3 client. */
export function countingPlugin<Input extends object, Output extends MetadataBearer>(
  service: ServiceLabel,
  counter: CallCounter,
): Pluggable<Input, Output> {
  const logical: InitializeMiddleware<Input, Output> = (next, context) => (args) => {
    counter.record(service, operationName(context));
    return next(args);
  };
  // The deserialize step runs inside the retry middleware (finalizeRequest): once per HTTP attempt.
  const attempt: DeserializeMiddleware<Input, Output> = (next, context) => (args) => {
    counter.recordAttempt(service, operationName(context));
    return next(args);
  };
  return {
    applyToStack(stack) {
      stack.add(logical, { step: 'initialize', priority: 'high', name: 'autoscaleGitopsCallCounter' });
      stack.add(attempt, { step: 'deserialize', priority: 'high', name: 'autoscaleGitopsAttemptCounter' });
    },
  };
}

/**
 * AssumeRole credentials shared by the clients of one context: one STS call, then again only
 * when the credentials are within five minutes of expiry. (Each SDK client memoizes its own
 * provider; without this wrapper every service client would assume the role separately.)
 */
export function assumeRoleCredentials(options: {
  readonly roleArn: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts?: number;
  readonly roleSessionName?: string;
  readonly credentials?: CredentialsOption;
  readonly counter?: CallCounter;
  /** The STS client's waits, as every other client's (default: the defaults of timeouts.ts). */
  readonly timeouts?: HttpTimeouts;
  readonly signal?: AbortSignal;
}): AwsCredentialIdentityProvider {
  const timeouts = options.timeouts ?? resolveTimeouts({});
  const provider = fromTemporaryCredentials({
    params: { RoleArn: options.roleArn, RoleSessionName: options.roleSessionName ?? ROLE_SESSION_NAME },
    ...(options.credentials === undefined ? {} : { masterCredentials: options.credentials }),
    clientConfig: {
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...sdkSettings(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      logger: silentLogger,
      // Without it, an STS endpoint that never answers would stall every client of the context.
      requestHandler: requestHandler(timeouts, options.signal),
    },
    clientPlugins: [timeoutNamingPlugin('STS', timeouts)],
    logger: silentLogger,
  });
  let cached: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  const REFRESH_MARGIN_MS = 5 * 60_000;
  return async () => {
    if (cached === undefined || Date.now() >= expiresAt - REFRESH_MARGIN_MS) {
      options.counter?.record('STS', 'AssumeRole');
      const pending = provider();
      cached = pending;
      expiresAt = Number.POSITIVE_INFINITY;
      try {
        const identity = await pending;
        expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
      } catch (error) {
        if (cached === pending) cached = undefined;
        throw error;
      }
    }
    // A copy per caller: the SDK writes bookkeeping onto the identity it is given.
    return { ...(await cached) };
  };
}

/** Builds the five service clients of one context, each only when first used. */
export function createAwsClients(options: CreateAwsClientsOptions): AwsClients {
  const counter = options.counter ?? new CallCounter();
  const timeouts = resolveTimeouts(options);
  // AWS's buckets are per account and region: one set per context.
  const pacingKey = JSON.stringify([options.region, options.endpoint ?? null, options.roleArn ?? null]);
  const context: AwsContext = {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
  };
  // The SDK writes bookkeeping ($source) onto static credentials: give it a copy of ours.
  const base: CredentialsOption | undefined =
    options.credentials === undefined || typeof options.credentials === 'function'
      ? options.credentials
      : { ...options.credentials };
  const credentials: CredentialsOption | undefined =
    options.roleArn === undefined
      ? base
      : assumeRoleCredentials({
          roleArn: options.roleArn,
          region: options.region,
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
          ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
          ...(options.roleSessionName === undefined ? {} : { roleSessionName: options.roleSessionName }),
          ...(base === undefined ? {} : { credentials: base }),
          counter,
          timeouts,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });

  // Every client config type accepts these fields; AutoScaling's stands for all five. A function:
  // each client gets its own request handler (its own sockets, closed by its own destroy()).
  // The SDK's retry and app id settings (env, profile) with our defaults (settings.ts).
  const settings = sdkSettings(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts });
  const config = () =>
    ({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
      ...settings,
      logger: silentLogger,
      requestHandler: requestHandler(timeouts, options.signal),
    }) satisfies AutoScalingClientConfig;

  const built: { destroy(): void }[] = [];
  function lazy<C extends { destroy(): void }>(make: () => C): () => C {
    let client: C | undefined;
    return () => {
      if (client === undefined) {
        client = make();
        built.push(client);
      }
      return client;
    };
  }
  /** Our middleware on a new client: counting, pacing, and no logging work we would throw away. */
  function prepare<
    I extends object,
    O extends MetadataBearer,
    C extends { middlewareStack: MiddlewareStack<I, O> },
  >(client: C, service: PacedService): C {
    client.middlewareStack.use(countingPlugin(service, counter));
    client.middlewareStack.use(timeoutNamingPlugin(service, timeouts));
    if (options.pacer !== undefined)
      client.middlewareStack.use(pacingPlugin(service, options.pacer, pacingKey, options.deadline));
    if (options.deadline !== undefined) client.middlewareStack.use(deadlinePlugin(service, options.deadline));
    // The SDK's logger middleware builds a sensitive-data-filtered copy of every answer before
    // handing it to the logger, even a silent one: a fifth of the CPU of a large plan's reads.
    client.middlewareStack.remove('loggerMiddleware');
    return client;
  }
  const autoscaling = lazy(() => prepare(new AutoScalingClient(config()), 'AutoScaling'));
  const ec2 = lazy(() => prepare(new EC2Client(config()), 'EC2'));
  const ecs = lazy(() => prepare(new ECSClient(config()), 'ECS'));
  const cloudwatch = lazy(() => prepare(new CloudWatchClient(config()), 'CloudWatch'));
  const elbv2 = lazy(() => prepare(new ElasticLoadBalancingV2Client(config()), 'ELBv2'));

  return {
    context,
    counter,
    get autoscaling() {
      return autoscaling();
    },
    get ec2() {
      return ec2();
    },
    get ecs() {
      return ecs();
    },
    get cloudwatch() {
      return cloudwatch();
    },
    get elbv2() {
      return elbv2();
    },
    destroy() {
      for (const client of built.splice(0)) client.destroy();
    },
  };
}

/** Options every context of a pool shares. */
export type PoolOptions = Omit<CreateAwsClientsOptions, keyof AwsContext>;

/**
 * One {@link AwsClients} per (region, endpoint, roleArn), all sharing one counter. A config with
 * several files for the same account and region thus reuses the same clients (and sockets).
 * Contexts without an explicit endpoint follow the environment as it was when first built.
 */
export class ClientPool {
  readonly counter: CallCounter;
  readonly #options: PoolOptions;
  readonly #clients = new Map<string, AwsClients>();

  constructor(options: PoolOptions = {}) {
    this.counter = options.counter ?? new CallCounter();
    this.#options = options;
  }

  get(context: AwsContext): AwsClients {
    const key = JSON.stringify([context.region, context.endpoint ?? null, context.roleArn ?? null]);
    let clients = this.#clients.get(key);
    if (clients === undefined) {
      clients = createAwsClients({
        ...this.#options,
        counter: this.counter,
        region: context.region,
        ...(context.endpoint === undefined ? {} : { endpoint: context.endpoint }),
        ...(context.roleArn === undefined ? {} : { roleArn: context.roleArn }),
      });
      this.#clients.set(key, clients);
    }
    return clients;
  }

  get size(): number {
    return this.#clients.size;
  }

  destroy(): void {
    for (const clients of this.#clients.values()) clients.destroy();
    this.#clients.clear();
  }
}
