/** Executor of a stale registry entry: the registry's delete request or command. */
import type { DeleteRegistryEntryOperation } from '../model.ts';
import { deleteRegistryEntry as deleteEntry } from '../registries/index.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

export async function deleteRegistryEntry(
  op: DeleteRegistryEntryOperation,
  _ctx: ExecContext,
): Promise<ExecOutcome> {
  await deleteEntry(op.delete, op.entryId);
  return {};
}
