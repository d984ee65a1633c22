/**
 * `third_party` metric sources: JSON over HTTP(S), read through src/net/http.ts (Node's fetch).
 *
 * - Each distinct request (method, URL, payload, headers) is sent once per run, however many
 *   statistics (of however many services) read it; the longest timeout among them applies.
 * - http: and https: only. Redirects are followed by hand, at most {@link HTTP_LIMITS}.maxRedirects,
 *   to http(s) only; a redirect to another origin drops every header the YAML gave (Authorization
 *   included): credentials go only where the YAML sent them. 301/302 after a POST and 303 become a
 *   GET without body, as browsers do. A redirect into a link-local or cloud metadata address
 *   (169.254.169.254 and the like) is refused unless the YAML's URL is that host.
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
import { displayUrl, type ExchangeOptions, exchange, HttpExchangeError } from '../net/http.ts';
import { redact } from '../secrets.ts';
import { readNumber } from './path.ts';

export { displayUrl };

export const HTTP_LIMITS = Object.freeze({
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  /** Requests in flight at once. */
  concurrency: 8,
});

export interface HttpOptions extends ExchangeOptions {
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  /** Ends every request early (e.g. the run's deadline). */
  readonly signal?: AbortSignal;
}

/** A failure whose message is safe to show: no credentials, no header values. */
export class HttpMetricError extends Error {
  override readonly name = 'HttpMetricError';
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

/** GET or POST the request (src/net/http.ts: redirects, caps, timeout) and parse the answer as JSON. */
export async function fetchJson(request: HttpRequestSpec, options: HttpOptions = {}): Promise<unknown> {
  const answer = await exchange(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.method === 'POST' && request.payload !== null && request.payload !== undefined
        ? { body: JSON.stringify(request.payload) }
        : {}),
      timeoutMs: request.timeoutMs,
      maxBytes: options.maxBytes ?? HTTP_LIMITS.maxBytes,
      maxRedirects: options.maxRedirects ?? HTTP_LIMITS.maxRedirects,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      show: displayUrl,
    },
    {
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    },
  );
  const where = `${request.method} ${displayUrl(answer.url)}`;
  if (!answer.ok) throw new HttpMetricError(`${where}: HTTP ${answer.status}`);
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new HttpMetricError(`${where}: the answer is not JSON`);
  }
}

/** A rejection as a message: ours are already safe; anything else is masked like every output. */
function safeMessage(reason: unknown, request: HttpRequestSpec): string {
  const where = `${request.method} ${displayUrl(request.url)}`;
  if (reason instanceof HttpMetricError || reason instanceof HttpExchangeError) return reason.message;
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
