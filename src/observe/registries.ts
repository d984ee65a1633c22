/**
 * Every registry's entries, listed at once (HTTP GETs and commands); a failed listing is unknown.
 * A command registry is not run at all when commands are refused (a pull request's plan): its
 * listing is deferred, which the planner reports without failing the run.
 */
import type { DesiredRegistry, RegistryListing } from '../model.ts';
import { known, unknown } from '../model.ts';
import { listRegistry, type RegistryOptions } from '../registries/index.ts';
import { reasonOf } from './scoped.ts';

export async function readRegistries(
  registries: readonly DesiredRegistry[],
  options: RegistryOptions = {},
): Promise<Map<string, RegistryListing>> {
  const listed = await Promise.all(
    registries.map(async (registry): Promise<readonly [string, RegistryListing]> => {
      if (options.refuse !== undefined && registry.list.kind === 'command') {
        return [registry.address, { known: false, reason: options.refuse, deferred: true }];
      }
      try {
        return [registry.address, known(await listRegistry(registry.list, options))];
      } catch (error) {
        return [registry.address, unknown(reasonOf(error))];
      }
    }),
  );
  return new Map(listed);
}
