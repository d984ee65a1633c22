/**
 * A loopback HTTP proxy in front of moto (or any AWS endpoint) for benchmarks and fault tests:
 * it adds latency to every request and injects faults at given rates, in the shapes AWS really
 * answers with, and counts requests and faults per `Service:Operation` (the CallCounter's keys).
 *
 *   const proxy = await startAwsProxy({ target: moto.endpoint, latencyMs: 20, seed: 7,
 *     faults: { throttle: 0.3, serverError: 0.1, reset: 0.05 }, scope: 'all' });
 *   ... point clients at proxy.endpoint ...
 *   proxy.configure({ faults: {} });      // change anything at run time
 *   proxy.stats();                        // requests and faults per operation
 *   await proxy.close();
 *
 * What AWS answers, per protocol (what the SDK's retry and error classification expect):
 *
 * - query (Auto Scaling, ELBv2, STS): HTTP 400, text/xml,
 *   `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded`;
 *   5xx: `<Type>Receiver</Type>` with InternalFailure (500) or ServiceUnavailable (503).
 * - EC2 (its own query dialect): `<Response><Errors><Error><Code>RequestLimitExceeded</Code>` with
 *   HTTP 503 (EC2 answers throttling with 503, not 400); 5xx: InternalError / Unavailable.
 * - JSON 1.1 (ECS): HTTP 400, `application/x-amz-json-1.1`, `x-amzn-errortype: ThrottlingException`,
 *   `{"__type":"ThrottlingException","message":"Rate exceeded"}`; 5xx: ServerException /
 *   ServiceUnavailableException.
 * - JSON 1.0, query-compatible (CloudWatch: @aws-sdk/client-cloudwatch 3.11xx speaks awsJson1_0
 *   with `X-Amz-Target: GraniteServiceVersion20100801.*` and `x-amzn-query-mode: true`, not the
 *   query protocol any more): HTTP 400, `application/x-amz-json-1.0`,
 *   `x-amzn-query-error: Throttling;Sender` (the query-protocol code, which the SDK reads first)
 *   and `{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}`;
 *   5xx: InternalServiceError;Receiver / ServiceUnavailable;Receiver.
 *
 * Faults: `throttle`, `serverError` (500 or 503, half each), `reset` (the socket is destroyed:
 * before the request reaches the target, or after the target acted on it with the answer lost:
 * `resetPhase`), `slow` (the answer is held `slowMs`). Rates are per request (per HTTP attempt),
 * `scope` picks which requests may get one: `reads` (Describe*, List*, Get*), `writes`, or `all`;
 * `faultyAttempts` limits faults to the first attempts of a request (then its retries pass).
 *
 * `answers: 'record'` keeps the target's answers, `'replay'` serves them again without the target:
 * a bench measures round trips at a given latency without the emulator's own service time.
 *
 * `rateModel`: AWS's request rates. The proxy keeps AWS's token buckets (src/aws/rates.ts, the
 * table the client's pacing reads, with the documentation each figure comes from), shared by all
 * requests since the proxy stands for one account and Region. A request that finds any of its
 * buckets without a whole token is answered with its protocol's throttling error (as above) and
 * takes no token, as AWS refuses it; `stats().throttled` counts them per operation.
 *
 * Determinism: the draw for a request is a hash of the seed, the operation, the request body and
 * how many identical requests came before (an SDK retry resends the same body). So a run gets
 * the same faults on the same calls whatever the interleaving of concurrent requests.
 */
import {
  createServer,
  Agent as HttpAgent,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { TokenBucket } from '../../src/aws/pacing.ts';
import { bucketsOf, type Rate, type RateBucket, withRates } from '../../src/aws/rates.ts';

export type FaultScope = 'reads' | 'writes' | 'all';
export type FaultKind = 'throttle' | 'serverError' | 'reset' | 'slow';
export type ResetPhase = 'before' | 'after' | 'either';

/** Probabilities per request, each in [0, 1]; together at most 1. */
export interface FaultRates {
  readonly throttle?: number;
  readonly serverError?: number;
  readonly reset?: number;
  readonly slow?: number;
}

export interface AwsProxyOptions {
  /** Where requests go, e.g. moto's endpoint. */
  readonly target: string;
  /** Added to every request before it is forwarded. Default 0. */
  readonly latencyMs?: number;
  /** Latency varies uniformly within ±jitterMs (never below 0). Default 0. */
  readonly jitterMs?: number;
  readonly faults?: FaultRates;
  /** Which requests may get a fault. Default `all`. */
  readonly scope?: FaultScope;
  /** How long a `slow` answer is held. Default 1500 ms. */
  readonly slowMs?: number;
  /** Default `either` (each reset picks a side). */
  readonly resetPhase?: ResetPhase;
  /** Default 1. */
  readonly seed?: number;
  /**
   * Only the first N attempts of identical requests may get a fault (an SDK retry resends the
   * same request): 1 makes every retry go through. Default: no limit.
   */
  readonly faultyAttempts?: number;
  /**
   * `record`: keep the target's answer to each distinct request; `replay`: answer a request seen
   * while recording from that record, without asking the target (benches: round trips without
   * the emulator's own service time). Default `off`.
   */
  readonly answers?: 'off' | 'record' | 'replay';
  /**
   * Operations (`DescribeInstances`, `DescribePolicies`, ...) refused every time with the
   * protocol's access-denied error, which the SDK does not retry: one read fails for sure while
   * every other call reaches the target. Default none.
   */
  readonly deny?: readonly string[];
  /**
   * Answer a CreateAutoScalingGroup for a name this proxy already saw created with AWS's
   * AlreadyExists error, as AWS does; moto instead replaces the group silently. With
   * `resetPhase: 'after'`, this is what an SDK retry meets after the first answer was lost.
   * The names are forgotten by resetStats(). Default off.
   */
  readonly awsDuplicateCreates?: boolean;
  /**
   * AWS's request rates (see the file comment): `{}` for the documented figures, `{ rates }` to
   * override buckets by name (tests: small buckets). Default `false`: no rate limits.
   */
  readonly rateModel?: false | { readonly rates?: Readonly<Record<string, Rate>> };
}

export type Protocol = 'query' | 'ec2' | 'json-1.1' | 'json-1.0-query-compatible';

export interface ClassifiedRequest {
  /** CallCounter labels: AutoScaling, EC2, ECS, CloudWatch, ELBv2, STS, or the SigV4 name. */
  readonly service: string;
  readonly operation: string;
  readonly protocol: Protocol;
  readonly read: boolean;
}

export interface ProxyStats {
  /** Requests (HTTP attempts) per `Service:Operation`, keys sorted. */
  readonly requests: Record<string, number>;
  /** Faults injected per `Service:Operation`, then per kind. */
  readonly faults: Record<string, Partial<Record<FaultKind, number>>>;
  readonly totalRequests: number;
  readonly totalFaults: number;
  /** Requests that reached the target. */
  readonly forwarded: number;
  /** Milliseconds the target took to answer, summed per `Service:Operation` (latency excluded). */
  readonly upstreamMs: Record<string, number>;
  /** Requests answered from the record (`answers: 'replay'`). */
  readonly replayed: number;
  /** Requests the rate model refused with a throttling error, per `Service:Operation`. */
  readonly throttled: Record<string, number>;
  readonly totalThrottled: number;
}

/** Recorded answers by request identity, in a JSON-safe form (bodies base64). */
export type RecordedAnswers = readonly {
  readonly identity: number;
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}[];

export interface AwsProxy {
  /** e.g. `http://127.0.0.1:40123`: give it to the clients as their endpoint. */
  readonly endpoint: string;
  /** Changes latency, faults, scope, seed... for the requests that follow. */
  configure(options: Partial<Omit<AwsProxyOptions, 'target'>>): void;
  stats(): ProxyStats;
  resetStats(): void;
  /** The answers kept while recording, to save and {@link AwsProxy.importAnswers} later (benches). */
  exportAnswers(): RecordedAnswers;
  /** Answers recorded by another proxy: replay them without the target. */
  importAnswers(answers: RecordedAnswers): void;
  close(): Promise<void>;
}

const SIGV4_SERVICES: Readonly<Record<string, string>> = {
  autoscaling: 'AutoScaling',
  ec2: 'EC2',
  ecs: 'ECS',
  monitoring: 'CloudWatch',
  elasticloadbalancing: 'ELBv2',
  sts: 'STS',
};

const TARGET_PREFIXES: Readonly<Record<string, string>> = {
  GraniteServiceVersion20100801: 'CloudWatch',
  AmazonEC2ContainerServiceV20141113: 'ECS',
};

const XML_NAMESPACES: Readonly<Record<string, string>> = {
  AutoScaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  ELBv2: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  CloudWatch: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  STS: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** Reads: what AWS's throttling documentation calls non-mutating actions. */
export function isRead(operation: string): boolean {
  return /^(Describe|List|Get)/.test(operation);
}

/** Which service, operation and protocol a request is (SigV4 scope, X-Amz-Target, Action). */
export function classifyRequest(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  url = '/',
): ClassifiedRequest {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const target = header('x-amz-target');
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(
    header('authorization') ?? '',
  )?.[1];
  let service = scope === undefined ? undefined : (SIGV4_SERVICES[scope] ?? scope);
  if (target !== undefined) {
    const [prefix = '', operation = 'Unknown'] = target.split('.');
    service ??= TARGET_PREFIXES[prefix] ?? prefix;
    const protocol =
      service === 'CloudWatch' || header('x-amzn-query-mode') === 'true'
        ? 'json-1.0-query-compatible'
        : 'json-1.1';
    return { service, operation, protocol, read: isRead(operation) };
  }
  const form = new URLSearchParams(body);
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const operation = form.get('Action') ?? query.get('Action') ?? 'Unknown';
  const version = form.get('Version') ?? query.get('Version');
  service ??= version === '2016-11-15' ? 'EC2' : version === '2011-01-01' ? 'AutoScaling' : 'Unknown';
  return { service, operation, protocol: service === 'EC2' ? 'ec2' : 'query', read: isRead(operation) };
}

/** An AWS-shaped error answer. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const MESSAGES = {
  throttle: 'Rate exceeded',
  500: 'We encountered an internal error. Please try again.',
  503: 'Service is unavailable. Please try again.',
};

/** The answer AWS gives for a throttle or a 5xx, in the request's protocol. */
export function errorAnswer(
  request: ClassifiedRequest,
  fault: 'throttle' | 500 | 503,
  requestId: string,
): ErrorAnswer {
  const message = MESSAGES[fault];
  switch (request.protocol) {
    case 'ec2': {
      const code =
        fault === 'throttle' ? 'RequestLimitExceeded' : fault === 500 ? 'InternalError' : 'Unavailable';
      const status = fault === 500 ? 500 : 503;
      const text = fault === 'throttle' ? 'Request limit exceeded.' : message;
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${text}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    }
    case 'json-1.1': {
      const type =
        fault === 'throttle'
          ? 'ThrottlingException'
          : fault === 500
            ? 'ServerException'
            : 'ServiceUnavailableException';
      return {
        status: fault === 'throttle' ? 400 : fault,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${type}:` },
        body: JSON.stringify({ __type: type, message }),
      };
    }
    case 'json-1.0-query-compatible': {
      const [queryCode, type] =
        fault === 'throttle'
          ? ['Throttling;Sender', 'com.amazon.coral.availability#ThrottlingException']
          : fault === 500
            ? ['InternalServiceError;Receiver', 'com.amazonaws.cloudwatch#InternalServiceFault']
            : ['ServiceUnavailable;Receiver', 'com.amazon.coral.availability#ServiceUnavailableException'];
      return {
        status: fault === 'throttle' ? 400 : fault,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': queryCode },
        body: JSON.stringify({ __type: type, message }),
      };
    }
    case 'query': {
      const [type, code] =
        fault === 'throttle'
          ? ['Sender', 'Throttling']
          : fault === 500
            ? ['Receiver', 'InternalFailure']
            : ['Receiver', 'ServiceUnavailable'];
      const ns = XML_NAMESPACES[request.service];
      return {
        status: fault === 'throttle' ? 400 : fault,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse${ns === undefined ? '' : ` xmlns="${ns}"`}><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
  }
}

/** The answer AWS gives a caller without permission for the operation, in the request's protocol. */
export function deniedAnswer(request: ClassifiedRequest, requestId: string): ErrorAnswer {
  const message = `User is not authorized to perform: ${request.operation}`;
  switch (request.protocol) {
    case 'ec2':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'json-1.1':
      return {
        status: 400,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'AccessDeniedException:',
        },
        body: JSON.stringify({ __type: 'AccessDeniedException', message }),
      };
    case 'json-1.0-query-compatible':
      return {
        status: 400,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': 'AccessDenied;Sender',
        },
        body: JSON.stringify({ __type: 'AccessDenied', message }),
      };
    case 'query': {
      const ns = XML_NAMESPACES[request.service];
      return {
        status: 403,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse${ns === undefined ? '' : ` xmlns="${ns}"`}><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
  }
}

/** Auto Scaling's answer to creating a group that exists (Query protocol, HTTP 400). */
export function alreadyExistsAnswer(group: string, requestId: string): ErrorAnswer {
  const ns = XML_NAMESPACES.AutoScaling;
  return {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse${ns === undefined ? '' : ` xmlns="${ns}"`}><Error><Type>Sender</Type><Code>AlreadyExists</Code><Message>AutoScalingGroup by this name already exists - A group with the name ${group} already exists</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * EC2's unfiltered, unpaginated reads take from a smaller bucket (src/aws/rates.ts): a request
 * with no `Filter.N` and no MaxResults / NextToken.
 */
function ec2Shape(call: ClassifiedRequest, body: string): { unfilteredUnpaginated?: boolean } {
  if (call.service !== 'EC2') return {};
  const form = new URLSearchParams(body);
  const keys = [...form.keys()];
  const filtered = keys.some((k) => k.startsWith('Filter.'));
  const paged = form.has('MaxResults') || form.has('NextToken');
  return { unfilteredUnpaginated: !filtered && !paged };
}

/** FNV-1a, 32 bits. */
function hash(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small seeded PRNG; each call gives the next number in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRates(faults: FaultRates): void {
  const values = [faults.throttle, faults.serverError, faults.reset, faults.slow].map((v) => v ?? 0);
  if (values.some((v) => !(v >= 0 && v <= 1)) || values.reduce((a, b) => a + b, 0) > 1 + 1e-9) {
    throw new RangeError(`fault rates must be in [0, 1] and sum to at most 1: ${JSON.stringify(faults)}`);
  }
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const upstream = new URL(options.target);
  let settings: Required<Omit<AwsProxyOptions, 'target'>> = {
    latencyMs: 0,
    jitterMs: 0,
    faults: {},
    scope: 'all',
    slowMs: 1_500,
    resetPhase: 'either',
    seed: 1,
    faultyAttempts: Number.POSITIVE_INFINITY,
    answers: 'off',
    deny: [],
    awsDuplicateCreates: false,
    rateModel: false,
  };
  // The rate model's table and AWS's side of its buckets (by bucket name: one account).
  let table: readonly RateBucket[] = [];
  let buckets = new Map<string, TokenBucket>();
  let throttled = new Map<string, number>();
  const configure = (next: Partial<Omit<AwsProxyOptions, 'target'>>): void => {
    const merged = { ...settings, ...next };
    checkRates(merged.faults);
    if (next.rateModel !== undefined) {
      table = merged.rateModel === false ? [] : withRates(merged.rateModel.rates ?? {});
      buckets = new Map();
    }
    settings = merged;
  };
  /** AWS's verdict on one request: false when a bucket it takes from has no whole token. */
  const admit = (call: ClassifiedRequest, body: string): boolean => {
    if (table.length === 0) return true;
    const rated = bucketsOf(call.service, call.operation, ec2Shape(call, body), table);
    const now = performance.now();
    const mine = rated.map((rate) => {
      let bucket = buckets.get(rate.name);
      if (bucket === undefined) {
        bucket = new TokenBucket(rate, now);
        buckets.set(rate.name, bucket);
      }
      return bucket;
    });
    if (!mine.every((bucket) => bucket.hasToken(now))) return false;
    for (const bucket of mine) bucket.tryTake(now);
    return true;
  };
  const { target: _target, ...initial } = options;
  configure(initial);

  const agent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const seen = new Map<number, number>();
  const recorded = new Map<number, { status: number; headers: IncomingMessage['headers']; body: Buffer }>();
  let replayed = 0;
  let createdGroups = new Set<string>();
  let requests = new Map<string, number>();
  let faults = new Map<string, Partial<Record<FaultKind, number>>>();
  let forwarded = 0;
  let upstreamMs = new Map<string, number>();
  let sequence = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const delay = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });

  const countFault = (key: string, kind: FaultKind) => {
    const entry = faults.get(key) ?? {};
    entry[kind] = (entry[kind] ?? 0) + 1;
    faults.set(key, entry);
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: Buffer.concat(chunks),
            }),
          );
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const text = body.toString('utf8');
    const call = classifyRequest(req.headers, text, req.url);
    const key = `${call.service}:${call.operation}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const s = settings;
    // Identical requests (an SDK retry resends the same body) are told apart by their rank.
    const identity = hash(`${key}\u0000${req.url ?? ''}\u0000${text}`);
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    // AWS's buckets are checked as the request arrives; the refusal travels back at the latency.
    const admitted = admit(call, text);
    const draw = prng(hash(`${occurrence}`, hash(String(s.seed), identity)));
    const roll = draw();
    const jitter = s.jitterMs > 0 ? (draw() * 2 - 1) * s.jitterMs : 0;
    const side = draw();
    const status = draw() < 0.5 ? 500 : 503;
    const inScope =
      (s.scope === 'all' || (s.scope === 'reads') === call.read) && occurrence <= s.faultyAttempts;
    const rates = inScope ? s.faults : {};
    let fault: FaultKind | undefined;
    let edge = 0;
    for (const kind of ['throttle', 'serverError', 'reset', 'slow'] as const) {
      edge += rates[kind] ?? 0;
      if (fault === undefined && roll < edge) fault = kind;
    }

    await delay(Math.max(0, s.latencyMs + jitter));
    const requestId = `proxy-${++sequence}`;
    if (!admitted) {
      throttled.set(key, (throttled.get(key) ?? 0) + 1);
      const answer = errorAnswer(call, 'throttle', requestId);
      res.writeHead(answer.status, {
        ...answer.headers,
        'content-length': Buffer.byteLength(answer.body),
        'x-amzn-requestid': requestId,
      });
      res.end(answer.body);
      return;
    }
    if (s.deny.includes(call.operation)) {
      const answer = deniedAnswer(call, requestId);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return;
    }
    const creating =
      call.operation === 'CreateAutoScalingGroup'
        ? (new URLSearchParams(text).get('AutoScalingGroupName') ?? undefined)
        : undefined;
    if (s.awsDuplicateCreates && creating !== undefined && createdGroups.has(creating)) {
      const answer = alreadyExistsAnswer(creating, requestId);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return;
    }
    if (fault === 'throttle' || fault === 'serverError') {
      countFault(key, fault);
      const answer = errorAnswer(call, fault === 'throttle' ? 'throttle' : status, requestId);
      res.writeHead(answer.status, {
        ...answer.headers,
        'content-length': Buffer.byteLength(answer.body),
        'x-amzn-requestid': requestId,
      });
      res.end(answer.body);
      return;
    }
    const resetAfter =
      fault === 'reset' && (s.resetPhase === 'after' || (s.resetPhase === 'either' && side < 0.5));
    if (fault === 'reset' && !resetAfter) {
      countFault(key, 'reset');
      req.socket.destroy();
      return;
    }
    let answer = s.answers === 'replay' && !resetAfter ? recorded.get(identity) : undefined;
    if (answer !== undefined) {
      replayed++;
    } else {
      try {
        const sent = performance.now();
        answer = await forward(req, body);
        upstreamMs.set(key, (upstreamMs.get(key) ?? 0) + performance.now() - sent);
        forwarded++;
        if (s.answers === 'record' && answer.status < 500) recorded.set(identity, answer);
        if (creating !== undefined && answer.status === 200) createdGroups.add(creating);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${String(error)}`);
        return;
      }
    }
    if (resetAfter) {
      // The target acted on the request; its answer is lost on the way back.
      countFault(key, 'reset');
      req.socket.destroy();
      return;
    }
    if (fault === 'slow') {
      countFault(key, 'slow');
      await delay(s.slowMs);
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    delete headers['keep-alive'];
    res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`proxy failure: ${String(error)}`);
      });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A reset closes sockets mid-request; that is the point, not an error.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const sorted = <T>(map: Map<string, T>): Record<string, T> =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  return {
    endpoint: `http://127.0.0.1:${port}`,
    configure,
    stats() {
      let totalFaults = 0;
      for (const entry of faults.values()) for (const n of Object.values(entry)) totalFaults += n ?? 0;
      let totalRequests = 0;
      for (const n of requests.values()) totalRequests += n;
      let totalThrottled = 0;
      for (const n of throttled.values()) totalThrottled += n;
      return {
        requests: sorted(requests),
        faults: sorted(new Map([...faults].map(([k, v]) => [k, { ...v }]))),
        totalRequests,
        totalFaults,
        forwarded,
        upstreamMs: sorted(new Map([...upstreamMs].map(([k, v]) => [k, Math.round(v)]))),
        replayed,
        throttled: sorted(throttled),
        totalThrottled,
      };
    },
    exportAnswers() {
      return [...recorded].map(([identity, a]) => ({
        identity,
        status: a.status,
        headers: a.headers,
        body: a.body.toString('base64'),
      }));
    },
    importAnswers(answers) {
      for (const a of answers) {
        recorded.set(a.identity, {
          status: a.status,
          headers: a.headers,
          body: Buffer.from(a.body, 'base64'),
        });
      }
    },
    resetStats() {
      createdGroups = new Set();
      // Full buckets again: each measured run starts on an idle account.
      buckets = new Map();
      throttled = new Map();
      requests = new Map();
      faults = new Map();
      upstreamMs = new Map();
      forwarded = 0;
      replayed = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          agent.destroy();
          resolve();
        });
      }),
  };
}
