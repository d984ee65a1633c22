/**
 * `third_party` metric sources: JSON over HTTP(S), read with Node's fetch (undici).
 *
 * - Each distinct request (method, URL, payload, headers) is sent once per run, however many
 *   statistics (of however many services) read it; the longest timeout among them applies.
 * - http: and https: only. Redirects are followed by hand, at most {@link HTTP_LIMITS}.maxRedirects,
 *   to http(s) only; a redirect to another origin drops every header the YAML gave (Authorization
 *   included): credentials go only where the YAML sent them. 301/302 after a POST and 303 become a
 *   GET without body, as browsers do.
 * - One timeout (the source's `timeout`, default 10 s) covers the whole exchange, redirects and
 *   body included (AbortSignal.timeout).
 * - The answer is read up to {@link HTTP_LIMITS}.maxBytes (1 MiB); beyond that the request is
 *   aborted and the metrics it holds are unreadable.
 * - Credentials in the URL (`https://user:pass@host/...`) are taken out of it and sent as HTTP
 *   Basic authorization (unless the YAML gives an Authorization header). Every message names the
 *   URL without them ({@link displayUrl}); header values are never part of a message.
 * - A metric is a finite JSON number at its dot path; anything else (text, null, missing) makes
 *   that metric unreadable, and the service reading it is not scaled this run.
 */
import { settleWithConcurrency } from '../aws/batch.ts';
import {
  type HttpMetricSpec,
  type HttpRequestSpec,
  type Known,
  known,
  type MetricValue,
  unknown,
} from '../model.ts';
import { redact } from '../secrets.ts';
import { readNumber } from './path.ts';

export const HTTP_LIMITS = Object.freeze({
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  /** Requests in flight at once. */
  concurrency: 8,
});

export interface HttpOptions {
  /** Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
}

/** A failure whose message is safe to show: no credentials, no header values. */
export class HttpMetricError extends Error {
  override readonly name = 'HttpMetricError';
}

/** The URL as every message shows it: without `user:pass@`. */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return redact(String(url), []);
  }
}

/** Reads every HTTP metric; one request per distinct request key. */
export async function readHttpMetrics(
  specs: readonly HttpMetricSpec[],
  options: HttpOptions = {},
): Promise<Map<string, Known<MetricValue>>> {
  const requests = new Map<string, { request: HttpRequestSpec; specs: HttpMetricSpec[] }>();
  for (const spec of specs) {
    const entry = requests.get(spec.request.key);
    if (entry === undefined) {
      requests.set(spec.request.key, { request: spec.request, specs: [spec] });
    } else {
      entry.specs.push(spec);
      if (spec.request.timeoutMs > entry.request.timeoutMs) entry.request = spec.request;
    }
  }
  const entries = [...requests.values()];
  const answers = await settleWithConcurrency(entries, HTTP_LIMITS.concurrency, (e) =>
    fetchJson(e.request, options),
  );
  const out = new Map<string, Known<MetricValue>>();
  entries.forEach((entry, i) => {
    const answer = answers[i];
    const where = `${entry.request.method} ${displayUrl(entry.request.url)}`;
    for (const spec of entry.specs) {
      if (answer === undefined || answer.status === 'rejected') {
        out.set(spec.key, unknown(safeMessage(answer?.reason, entry.request)));
        continue;
      }
      const read = readNumber(answer.value, spec.path);
      out.set(spec.key, 'value' in read ? known({ value: read.value }) : unknown(`${where}: ${read.reason}`));
    }
  });
  return out;
}

/** GET or POST the request, follow redirects, and parse the (size-capped) answer as JSON. */
export async function fetchJson(request: HttpRequestSpec, options: HttpOptions = {}): Promise<unknown> {
  const send = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? HTTP_LIMITS.maxBytes;
  const maxRedirects = options.maxRedirects ?? HTTP_LIMITS.maxRedirects;
  let method: 'GET' | 'POST' = request.method;
  let url = parseHttpUrl(request.url, `${method} ${displayUrl(request.url)}`);
  const fail = (what: string): never => {
    throw new HttpMetricError(`${method} ${displayUrl(url)}: ${what}`);
  };
  const authorization = basicAuthorization(url);
  url.username = '';
  url.password = '';
  let body =
    method === 'POST' && request.payload !== null && request.payload !== undefined
      ? JSON.stringify(request.payload)
      : undefined;
  let headers = buildHeaders(request.headers, fail);
  if (authorization !== undefined && !headers.has('authorization'))
    headers.set('authorization', authorization);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const signal = AbortSignal.timeout(request.timeoutMs);

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
      return fail(fetchErrorText(error, request.timeoutMs));
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
    if (!response.ok) {
      await discard(response);
      return fail(`HTTP ${response.status}`);
    }
    let text: string;
    try {
      text = await readCapped(response, maxBytes);
    } catch (error) {
      if (error instanceof HttpMetricError) return fail(error.message);
      return fail(fetchErrorText(error, request.timeoutMs));
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return fail('the answer is not JSON');
    }
  }
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

function parseHttpUrl(text: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpMetricError(`${where}: not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpMetricError(`${where}: only http and https URLs are read`);
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
    throw new HttpMetricError(`the answer is larger than ${sizeText(maxBytes)}`);
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
      throw new HttpMetricError(`the answer is larger than ${sizeText(maxBytes)}`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

function fetchErrorText(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  if (name === 'AbortError') return 'aborted';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && cause !== null) {
    if (typeof cause.code === 'string') return cause.code;
    if (typeof cause.message === 'string') return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A rejection as a message: ours are already safe; anything else is masked like every output. */
function safeMessage(reason: unknown, request: HttpRequestSpec): string {
  const where = `${request.method} ${displayUrl(request.url)}`;
  if (reason instanceof HttpMetricError) return reason.message;
  const text = reason instanceof Error ? reason.message : String(reason);
  return `${where}: ${redact(text, credentialsOf(request.url))}`;
}

function credentialsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [parsed.username, parsed.password, decodeURIComponent(parsed.password)].filter(
      (s) => s.length >= 4,
    );
  } catch {
    return [];
  }
}
