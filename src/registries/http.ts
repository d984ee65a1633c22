/**
 * A registry behind an HTTP API: list with a GET answering JSON, delete one entry with a request
 * whose URL (and header values) carry the entry id. The id is URL-encoded in the URL; header
 * values get it as is, and an id that could split a header (CR, LF, NUL) is refused.
 */
import type { LiveRegistryEntry, RegistryDeleteSpec, RegistryListSpec } from '../model.ts';
import { entriesOf } from './entries.ts';
import { fillId } from './template.ts';

export const HTTP_TIMEOUT_MS = 30_000;

export interface HttpOptions {
  readonly timeoutMs?: number;
}

type HttpList = Extract<RegistryListSpec, { kind: 'http' }>;
type HttpDelete = Extract<RegistryDeleteSpec, { kind: 'http' }>;

export async function listHttp(spec: HttpList, options: HttpOptions = {}): Promise<LiveRegistryEntry[]> {
  const response = await request('GET', spec.url, spec.headers, options);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${shown(spec.url)}: HTTP ${statusText(response)}`);
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error(`GET ${shown(spec.url)}: the answer is not JSON`);
  }
  return entriesOf(answer, spec);
}

/** Deletes one entry; an answer of 404 means it is gone already, which is what was wanted. */
export async function deleteHttp(spec: HttpDelete, id: string, options: HttpOptions = {}): Promise<void> {
  if (/[\r\n\0]/.test(id)) throw new Error('the entry id contains a line break or NUL: not sent');
  const url = fillId(spec.url, encodeURIComponent(id));
  const headers = Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, fillId(v, id)]));
  const response = await request(spec.method, url, headers, options);
  await response.arrayBuffer();
  if (!response.ok && response.status !== 404) {
    throw new Error(`${spec.method} ${shown(url)}: HTTP ${statusText(response)}`);
  }
}

async function request(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  options: HttpOptions,
): Promise<Response> {
  const timeout = options.timeoutMs ?? HTTP_TIMEOUT_MS;
  try {
    const { target, authorization } = splitCredentials(url);
    return await fetch(target, {
      method,
      headers: { accept: 'application/json', ...authorization, ...headers },
      signal: AbortSignal.timeout(timeout),
    });
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    const why =
      cause.name === 'TimeoutError'
        ? `no answer within ${timeout / 1000}s`
        : cause.cause instanceof Error
          ? cause.cause.message
          : cause.message;
    throw new Error(`${method} ${shown(url)}: ${why}`);
  }
}

/**
 * `https://user:pass@host/...` (as metric sources allow): fetch refuses credentials in a URL, so
 * they travel as Basic authorization instead (unless the headers set their own).
 */
function splitCredentials(url: string): { target: string; authorization: Record<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { target: url, authorization: {} };
  }
  if (parsed.username === '' && parsed.password === '') return { target: url, authorization: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  return { target: parsed.toString(), authorization: { authorization: `Basic ${basic}` } };
}

function statusText(response: Response): string {
  return response.statusText ? `${response.status} ${response.statusText}` : String(response.status);
}

/** The URL without credentials or query (a token may ride in either); the output is redacted again anyway. */
export function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(a URL that does not parse)';
  }
}
