/** Registries (Chef, Salt, a load balancer's REST API, ...): list entries, add or delete one; http or command. */
import type {
  LiveRegistryEntry,
  PlaceholderValues,
  RegistryListSpec,
  RegistryRequestSpec,
} from '../model.ts';
import { type CommandOptions, listCommand, listCommandAnswer } from './command.ts';
import { type HttpOptions, listHttp, listHttpAnswer } from './http.ts';
import { runRegistryRequest } from './requests.ts';

export type RegistryOptions = HttpOptions & CommandOptions;

export function listRegistry(
  spec: RegistryListSpec,
  options: RegistryOptions = {},
): Promise<LiveRegistryEntry[]> {
  return spec.kind === 'http' ? listHttp(spec, options) : listCommand(spec, options);
}

/** The list's answer, parsed; {@link entriesOf} with the spec's paths reads its entries. */
export function listAnswer(spec: RegistryListSpec, options: RegistryOptions = {}): Promise<unknown> {
  return spec.kind === 'http' ? listHttpAnswer(spec, options) : listCommandAnswer(spec, options);
}

/**
 * What makes two lists the same request (the paths into the answer do not): Salt's `salt` and
 * `salt-accept` run one `salt-key -L` and read different lists of its answer.
 */
export function listRequestKey(spec: RegistryListSpec): string {
  return JSON.stringify(
    spec.kind === 'http'
      ? [spec.kind, spec.url, spec.headers, spec.maxBytes ?? null]
      : [spec.kind, spec.command, spec.maxBytes ?? null],
  );
}

/**
 * Deletes one entry, its placeholders filled from `values` (each escaped or refused for its
 * place by placeholders.ts). An HTTP answer of 404 means it is gone already, which is what was
 * wanted (another deleter may have been first), but a wrong URL answers 404 too: the note says
 * so, so the report shows it and a delete that never takes is seen.
 */
export async function deleteRegistryEntry(
  spec: RegistryRequestSpec,
  values: PlaceholderValues,
  options: RegistryOptions = {},
): Promise<string | undefined> {
  const answer = await runRegistryRequest(spec, values, { notFoundIsDone: true }, options);
  return answer === 'not found' ? NOT_FOUND_NOTE : undefined;
}

/** Beside "applied" for a delete answered 404. */
export const NOT_FOUND_NOTE = 'HTTP 404: already gone (if it is still listed next run, check the delete URL)';

/** Adds one entry (the registry's `register`): any answer but 2xx fails. */
export async function registerRegistryEntry(
  spec: RegistryRequestSpec,
  values: PlaceholderValues,
  options: RegistryOptions = {},
): Promise<void> {
  await runRegistryRequest(spec, values, { notFoundIsDone: false }, options);
}

export { entriesOf, RegistryFormatError } from './entries.ts';
