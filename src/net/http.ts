/**
 * The one HTTP exchange of metric sources and registries: what the YAML points at is outside our
 * control, so every rule that keeps a hostile or broken server from hurting a run lives here.
 *
 * - http: and https: only. Redirects are followed by hand, at most `maxRedirects` (default 5), to
 *   http(s) only; a redirect to another origin drops every header the YAML gave (Authorization
 *   included): credentials go only where the YAML sent them. 301/302 after a POST and 303 become a
 *   GET without body, as browsers do.
 * - A redirect into a link-local or cloud metadata address (169.254.0.0/16, fe80::/10,
 *   fd00:ec2::254, metadata.google.internal, ...: {@link isMetadataAddress}) is refused, the host
 *   name resolved first (a name resolving there is refused too), unless the YAML's own URL is
 *   that host: a redirect must not turn a metric source into a reader of the runner's cloud
 *   credentials. (The check resolves before fetch resolves again: a name whose DNS answer changes
 *   between the two is not caught; a literal address or fixed name always is.)
 * - One timeout covers the whole exchange, redirects, name lookups and body included; a caller's
 *   signal (a run deadline) ends it too.
 * - The answer is read up to `maxBytes`; beyond that the request is aborted and the read fails.
 * - Credentials in the URL (`https://user:pass@host/...`) are taken out of it and sent as HTTP
 *   Basic authorization (unless the YAML gives an Authorization header).
 * - Every failure is an {@link HttpExchangeError} whose message names the method and the URL as
 *   the caller shows it (never its credentials) and never quotes a header value.
 *
 * Layering: this module knows no AWS, no observe/ and no plan/; it is a client, nothing more.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { redact } from '../secrets.ts';

export const HTTP_DEFAULTS = Object.freeze({
  maxRedirects: 5,
});

export interface ExchangeRequest {
  readonly method: string;
  /** http(s); may carry `user:pass@`. */
  readonly url: string;
  /** The YAML's headers (dropped on a redirect to another origin). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is (with POST/PUT); dropped when a redirect turns the request into a GET. */
  readonly body?: string;
  /** Covers the whole exchange. */
  readonly timeoutMs: number;
  /** Largest answer read; larger fails the exchange. */
  readonly maxBytes: number;
  readonly maxRedirects?: number;
  /** Ends the exchange early (e.g. the run's deadline). */
  readonly signal?: AbortSignal;
  /** false: the body is thrown away unread (a delete's answer). Default true. */
  readonly readBody?: boolean;
  /** How messages show a URL (default {@link displayUrl}). */
  readonly show?: (url: string | URL) => string;
}

export interface ExchangeOptions {
  /** Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
  /** Host name resolution for the redirect check (default dns.promises.lookup, all addresses). */
  readonly lookup?: (host: string) => Promise<readonly string[]>;
}

export interface ExchangeAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  /** Where the answer came from, after redirects. */
  readonly url: URL;
  /** The body as UTF-8 ('' when not read, and for an answer that is not 2xx). */
  readonly text: string;
}

/** A failure whose message is safe to show: no credentials, no header values. */
export class HttpExchangeError extends Error {
  override readonly name = 'HttpExchangeError';
}

/** The URL as messages show it by default: without `user:pass@`. */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Not a URL, yet it may hold one with credentials (`not a url https://u:p@h`): mask those.
    return redact(String(url), []);
  }
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Sends the request, follows redirects by the rules above, reads the (capped) answer. */
export async function exchange(
  request: ExchangeRequest,
  options: ExchangeOptions = {},
): Promise<ExchangeAnswer> {
  const send = options.fetch ?? fetch;
  const resolve = options.lookup ?? lookupAll;
  const show = request.show ?? displayUrl;
  const maxRedirects = request.maxRedirects ?? HTTP_DEFAULTS.maxRedirects;
  let method = request.method;
  const first = parseHttpUrl(request.url, (what) => `${method} ${show(request.url)}: ${what}`);
  let url = first;
  const fail = (what: string): never => {
    throw new HttpExchangeError(`${method} ${show(url)}: ${what}`);
  };
  const authorization = basicAuthorization(url);
  url.username = '';
  url.password = '';
  let body = request.body;
  let headers = buildHeaders(request.headers ?? {}, fail);
  if (authorization !== undefined && !headers.has('authorization'))
    headers.set('authorization', authorization);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
  const why = (error: unknown): string => fetchErrorText(error, request.timeoutMs, signal);

  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await send(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      return fail(why(error));
    }
    if (REDIRECTS.has(response.status)) {
      await discard(response);
      if (redirects >= maxRedirects) return fail(`more than ${maxRedirects} redirects`);
      const location = response.headers.get('location');
      if (location === null) return fail(`HTTP ${response.status} without a Location`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return fail(`HTTP ${response.status} to an invalid Location`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return fail(`redirected to ${next.protocol} (only http and https are followed)`);
      }
      next.username = '';
      next.password = '';
      // The YAML's own host may be a metadata address on purpose: redirects to it are followed.
      let refused: string | undefined;
      try {
        refused = await abortable(metadataTarget(next.hostname, first.hostname, resolve), signal);
      } catch (error) {
        return fail(why(error));
      }
      if (refused !== undefined) {
        return fail(
          `redirected to ${show(next)}, a link-local or cloud metadata address (${refused}): not followed`,
        );
      }
      if (next.origin !== url.origin) headers = neutralHeaders(headers);
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      url = next;
      continue;
    }
    const answer = { status: response.status, statusText: response.statusText, ok: response.ok, url };
    if (!response.ok || request.readBody === false) {
      await discard(response);
      return { ...answer, text: '' };
    }
    try {
      return { ...answer, text: await readCapped(response, request.maxBytes) };
    } catch (error) {
      if (error instanceof HttpExchangeError) return fail(error.message);
      return fail(why(error));
    }
  }
}

function parseHttpUrl(text: string, where: (what: string) => string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpExchangeError(where('not a valid URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpExchangeError(where('only http and https URLs are read'));
  }
  return url;
}

/** `user:pass@` as a Basic authorization value (percent-decoded, as RFC 3986 writes them). */
function basicAuthorization(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const pair = `${decode(url.username)}:${decode(url.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function buildHeaders(given: Readonly<Record<string, string>>, fail: (what: string) => never): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(given)) {
    try {
      headers.set(name, value);
    } catch {
      // The error would quote the value: name the header only.
      fail(`header ${JSON.stringify(name)} cannot be sent (invalid name or value)`);
    }
  }
  return headers;
}

/** What may follow a redirect to another origin: nothing the YAML gave, only content negotiation. */
function neutralHeaders(headers: Headers): Headers {
  const out = new Headers({ accept: 'application/json' });
  const type = headers.get('content-type');
  if (type !== null) out.set('content-type', type);
  return out;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    throw new HttpExchangeError(`the answer is larger than ${sizeText(maxBytes)}`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpExchangeError(`the answer is larger than ${sizeText(maxBytes)}`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

export function sizeText(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

function fetchErrorText(error: unknown, timeoutMs: number, signal: AbortSignal): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'TimeoutError') return `no answer within ${Number((timeoutMs / 1000).toFixed(3))} s`;
  if (name === 'AbortError') {
    const reason: unknown = signal.reason;
    return reason instanceof Error && reason.name !== 'AbortError' ? `aborted: ${reason.message}` : 'aborted';
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && cause !== null) {
    if (typeof cause.code === 'string') return cause.code;
    if (typeof cause.message === 'string') return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Waits for the promise unless the signal aborts first (a DNS lookup cannot be cancelled). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// ─── Link-local and metadata addresses ──────────────────────────────────────────────────────────

const METADATA_NETWORKS = new BlockList();
// IPv4 link-local: AWS/GCP/Azure/OCI instance metadata (169.254.169.254), ECS task metadata
// (169.254.170.2), the Amazon DNS and time servers. IPv4-mapped IPv6 forms are matched too.
METADATA_NETWORKS.addSubnet('169.254.0.0', 16, 'ipv4');
// IPv6 link-local.
METADATA_NETWORKS.addSubnet('fe80::', 10, 'ipv6');
// AWS's IPv6 instance metadata endpoint.
METADATA_NETWORKS.addAddress('fd00:ec2::254', 'ipv6');
// Alibaba Cloud's instance metadata (not link-local, same purpose).
METADATA_NETWORKS.addAddress('100.100.100.200', 'ipv4');

/** Names of metadata services that resolve only inside their cloud. */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** A URL host name (IPv6 in brackets, maybe a trailing dot) as compared here. */
function bare(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True for a link-local or metadata IP address or a metadata service's name. */
export function isMetadataAddress(host: string): boolean {
  const name = bare(host);
  if (METADATA_NAMES.has(name)) return true;
  const family = isIP(name);
  if (family === 0) return false;
  return METADATA_NETWORKS.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

async function lookupAll(host: string): Promise<readonly string[]> {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** The YAML URL's host and the addresses it resolves to (none when it does not resolve). */
async function addressesOf(
  hostname: string,
  resolve: (host: string) => Promise<readonly string[]>,
): Promise<ReadonlySet<string>> {
  const host = bare(hostname);
  if (isIP(host) !== 0) return new Set([host]);
  const addresses = await resolve(host).catch(() => [] as readonly string[]);
  return new Set([host, ...addresses.map(bare)]);
}

/**
 * Why a redirect target is refused (the address or name it hits), or undefined when it may be
 * followed. A name that does not resolve is let through: the fetch then fails on its own. Only
 * a target that hits a metadata address costs a look at the YAML's own host.
 */
async function metadataTarget(
  hostname: string,
  yamlHost: string,
  resolve: (host: string) => Promise<readonly string[]>,
): Promise<string | undefined> {
  const host = bare(hostname);
  const hits = isMetadataAddress(host)
    ? [host]
    : isIP(host) !== 0
      ? []
      : (await resolve(host).catch(() => [] as readonly string[])).map(bare).filter(isMetadataAddress);
  if (hits.length === 0) return undefined;
  const own = await addressesOf(yamlHost, resolve);
  if (own.has(host)) return undefined;
  return hits.find((a) => !own.has(a));
}
