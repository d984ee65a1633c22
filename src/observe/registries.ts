/** Every registry's entries, listed at once (HTTP GETs and commands); a failed listing is unknown. */
import type { DesiredRegistry, Known, LiveRegistryEntry } from '../model.ts';
import { known, unknown } from '../model.ts';
import { listRegistry, type RegistryOptions } from '../registries/index.ts';
import { reasonOf } from './scoped.ts';

export async function readRegistries(
  registries: readonly DesiredRegistry[],
  options: RegistryOptions = {},
): Promise<Map<string, Known<readonly LiveRegistryEntry[]>>> {
  const listed = await Promise.all(
    registries.map(async (registry) => {
      try {
        return [registry.address, known(await listRegistry(registry.list, options))] as const;
      } catch (error) {
        return [registry.address, unknown<readonly LiveRegistryEntry[]>(reasonOf(error))] as const;
      }
    }),
  );
  return new Map(listed);
}
