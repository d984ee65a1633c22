/** Registries (Chef, Salt, a load balancer's REST API, ...): list entries, delete one; http or command. */
import type { LiveRegistryEntry, RegistryDeleteSpec, RegistryListSpec } from '../model.ts';
import { type CommandOptions, deleteCommand, listCommand } from './command.ts';
import { deleteHttp, type HttpOptions, listHttp } from './http.ts';

export type RegistryOptions = HttpOptions & CommandOptions;

export function listRegistry(
  spec: RegistryListSpec,
  options: RegistryOptions = {},
): Promise<LiveRegistryEntry[]> {
  return spec.kind === 'http' ? listHttp(spec, options) : listCommand(spec, options);
}

export function deleteRegistryEntry(
  spec: RegistryDeleteSpec,
  id: string,
  options: RegistryOptions = {},
): Promise<void> {
  return spec.kind === 'http' ? deleteHttp(spec, id, options) : deleteCommand(spec, id, options);
}

export { RegistryFormatError } from './entries.ts';
