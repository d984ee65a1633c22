/**
 * One registry request for one entry, `register` or `delete`, with its placeholders filled for
 * their place (placeholders.ts): an HTTP request (through registries/http.ts's `send`, with the
 * metric sources' redirect, timeout and size rules) or a command (registries/command.ts's
 * `runShell`). A delete answered 404 is done (the entry is gone, which was wanted); the answer
 * says 'not found' so the caller can tell.
 */
import type { PlaceholderValues, RegistryRequestSpec } from '../model.ts';
import { type CommandOptions, runShell } from './command.ts';
import { type HttpOptions, sendRequest, shown, statusText } from './http.ts';
import { fillCommand, fillHeader, fillPayload, fillUrl } from './placeholders.ts';

/** A request's answer is not read: this much is plenty for an error page. */
const ANSWER_BYTES = 64 * 1024;

export type RequestOptions = HttpOptions & CommandOptions;

export interface RequestPurpose {
  /** A 404 answer counts as done (a delete). */
  readonly notFoundIsDone: boolean;
}

export async function runRegistryRequest(
  spec: RegistryRequestSpec,
  values: PlaceholderValues,
  purpose: RequestPurpose,
  options: RequestOptions = {},
): Promise<'done' | 'not found'> {
  if (spec.kind === 'command') {
    if (options.refuse !== undefined) throw new Error(options.refuse);
    await runShell(fillCommand(spec.command, values), options);
    return 'done';
  }
  const url = fillUrl(spec.url, values);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers)) headers[name] = fillHeader(value, values);
  let body: string | undefined;
  if (spec.payload !== undefined) {
    body = JSON.stringify(fillPayload(spec.payload, values));
    const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
    if (!typed) headers['Content-Type'] = 'application/json';
  }
  const answer = await sendRequest(
    { method: spec.method, url, headers, ...(body === undefined ? {} : { body }), maxBytes: ANSWER_BYTES },
    options,
  );
  if (answer.ok) return 'done';
  if (purpose.notFoundIsDone && answer.status === 404) return 'not found';
  throw new Error(`${spec.method} ${shown(url)}: HTTP ${statusText(answer)}`);
}
