/**
 * A registry behind an HTTP API: list with a GET answering JSON, delete one entry with a request
 * whose URL (and header values) carry the entry id. The id is URL-encoded in the URL; header
 * values get it as is, and an id that could split a header (CR, LF, NUL) is refused.
 *
 * Both go through src/net/http.ts, with the metric sources' rules: redirects followed by hand
 * (at most 5, http(s) only, the YAML's headers dropped on another origin, never into a
 * link-local or metadata address), one timeout for the whole exchange, and a cap on the answer
 * (the list's `max_bytes`, default {@link MAX_ANSWER_BYTES}): a larger answer fails the listing,
 * so the registry is unknown and nothing is pruned from it.
 */
import type { LiveRegistryEntry, RegistryDeleteSpec, RegistryListSpec } from '../model.ts';
import { type ExchangeOptions, exchange, HttpExchangeError } from '../net/http.ts';
import { entriesOf } from './entries.ts';
import { fillId } from './template.ts';

export const HTTP_TIMEOUT_MS = 30_000;
/** Default cap on a registry's answer (HTTP body or command stdout): 16 MiB, ~100,000 entries. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** A delete's answer is not read: this much is plenty for an error page. */
const DELETE_ANSWER_BYTES = 64 * 1024;

export interface HttpOptions extends ExchangeOptions {
  readonly timeoutMs?: number;
  /** Ends every request early (e.g. the run's deadline). */
  readonly signal?: AbortSignal;
}

type HttpList = Extract<RegistryListSpec, { kind: 'http' }>;
type HttpDelete = Extract<RegistryDeleteSpec, { kind: 'http' }>;

export async function listHttp(spec: HttpList, options: HttpOptions = {}): Promise<LiveRegistryEntry[]> {
  const answer = await send('GET', spec.url, spec.headers, spec.maxBytes ?? MAX_ANSWER_BYTES, options);
  if (!answer.ok) throw new Error(`GET ${shown(spec.url)}: HTTP ${statusText(answer)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    throw new Error(`GET ${shown(spec.url)}: the answer is not JSON`);
  }
  return entriesOf(parsed, spec);
}

/** Deletes one entry; an answer of 404 means it is gone already, which is what was wanted. */
export async function deleteHttp(spec: HttpDelete, id: string, options: HttpOptions = {}): Promise<void> {
  if (/[\r\n\0]/.test(id)) throw new Error('the entry id contains a line break or NUL: not sent');
  const url = fillId(spec.url, encodeURIComponent(id));
  const headers = Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, fillId(v, id)]));
  const answer = await send(spec.method, url, headers, DELETE_ANSWER_BYTES, options, false);
  if (!answer.ok && answer.status !== 404) {
    throw new Error(`${spec.method} ${shown(url)}: HTTP ${statusText(answer)}`);
  }
}

async function send(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  maxBytes: number,
  options: HttpOptions,
  readBody = true,
) {
  return await exchange(
    {
      method,
      url,
      headers,
      timeoutMs: options.timeoutMs ?? HTTP_TIMEOUT_MS,
      maxBytes,
      readBody,
      show: shown,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    {
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    },
  ).catch((error: unknown) => {
    // A plain Error: the plan shows a registry's reason as its message, without a class name.
    throw error instanceof HttpExchangeError ? new Error(error.message) : error;
  });
}

function statusText(answer: { status: number; statusText: string }): string {
  return answer.statusText ? `${answer.status} ${answer.statusText}` : String(answer.status);
}

/** The URL without credentials or query (a token may ride in either); the output is redacted again anyway. */
export function shown(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(a URL that does not parse)';
  }
}
