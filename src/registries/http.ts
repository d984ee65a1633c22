/**
 * A registry behind an HTTP API: list with a GET answering JSON; register or delete one entry with
 * a request (requests.ts) whose URL, header values and payload carry placeholders, each escaped for
 * its place (placeholders.ts).
 *
 * Both go through src/net/http.ts, with the metric sources' rules: redirects followed by hand
 * (at most 5, http(s) only, the YAML's headers dropped on another origin, never into a
 * link-local or metadata address), one timeout for the whole exchange, and a cap on the answer
 * (the list's `max_bytes`, default {@link MAX_ANSWER_BYTES}): a larger answer fails the listing,
 * so the registry is unknown and nothing is pruned from it.
 */
import type { LiveRegistryEntry, RegistryListSpec } from '../model.ts';
import { type ExchangeOptions, exchange, HttpExchangeError } from '../net/http.ts';
import { entriesOf } from './entries.ts';

export const HTTP_TIMEOUT_MS = 30_000;
/** Default cap on a registry's answer (HTTP body or command stdout): 16 MiB, ~100,000 entries. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface HttpOptions extends ExchangeOptions {
  readonly timeoutMs?: number;
  /** Ends every request early (e.g. the run's deadline). */
  readonly signal?: AbortSignal;
}

type HttpList = Extract<RegistryListSpec, { kind: 'http' }>;

export async function listHttp(spec: HttpList, options: HttpOptions = {}): Promise<LiveRegistryEntry[]> {
  return entriesOf(await listHttpAnswer(spec, options), spec);
}

/** The list's answer, parsed, before its entries are read (several registries may share it). */
export async function listHttpAnswer(spec: HttpList, options: HttpOptions = {}): Promise<unknown> {
  const answer = await send('GET', spec.url, spec.headers, spec.maxBytes ?? MAX_ANSWER_BYTES, options);
  if (!answer.ok) throw new Error(`GET ${shown(spec.url)}: HTTP ${statusText(answer)}`);
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new Error(`GET ${shown(spec.url)}: the answer is not JSON`);
  }
}

export interface SendRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly maxBytes: number;
}

/** One request whose answer is not read (a register or a delete). */
export function sendRequest(request: SendRequest, options: HttpOptions) {
  return send(request.method, request.url, request.headers, request.maxBytes, options, false, request.body);
}

async function send(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  maxBytes: number,
  options: HttpOptions,
  readBody = true,
  body?: string,
) {
  return await exchange(
    {
      method,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
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

export function statusText(answer: { status: number; statusText: string }): string {
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
