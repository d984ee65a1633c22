/**
 * Every registry's entries, listed at once (HTTP GETs and commands), each distinct list once; a
 * failed listing is unknown.
 * A command registry is not run at all when commands are refused (a pull request's plan): its
 * listing is deferred, which the planner reports without failing the run.
 */
import type { DesiredRegistry, RegistryListing, RegistryListSpec } from '../model.ts';
import { known, unknown } from '../model.ts';
import { entriesOf, listAnswer, listRequestKey, type RegistryOptions } from '../registries/index.ts';
import { reasonOf } from './scoped.ts';

export async function readRegistries(
  registries: readonly DesiredRegistry[],
  options: RegistryOptions = {},
): Promise<Map<string, RegistryListing>> {
  // One request per distinct list (Salt's two registries share `salt-key -L`); each registry
  // reads its own entries (items, id, time) from the shared answer.
  const answers = new Map<string, Promise<unknown>>();
  const answerOf = (spec: RegistryListSpec): Promise<unknown> => {
    const key = listRequestKey(spec);
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = listAnswer(spec, options);
      answers.set(key, answer);
    }
    return answer;
  };
  const listed = await Promise.all(
    registries.map(async (registry): Promise<readonly [string, RegistryListing]> => {
      if (options.refuse !== undefined && registry.list.kind === 'command') {
        return [registry.address, { known: false, reason: options.refuse, deferred: true }];
      }
      try {
        return [registry.address, known(entriesOf(await answerOf(registry.list), registry.list))];
      } catch (error) {
        return [registry.address, unknown(reasonOf(error))];
      }
    }),
  );
  return new Map(listed);
}
