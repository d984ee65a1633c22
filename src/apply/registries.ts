/** Executors of registry entries: the registry's delete (a stale entry) or register (a missing one). */
import type { DeleteRegistryEntryOperation, RegisterRegistryEntryOperation } from '../model.ts';
import {
  deleteRegistryEntry as deleteEntry,
  registerRegistryEntry as registerEntry,
} from '../registries/index.ts';
import type { ExecContext, ExecOutcome } from './groups.ts';

export async function deleteRegistryEntry(
  op: DeleteRegistryEntryOperation,
  _ctx: ExecContext,
): Promise<ExecOutcome> {
  const note = await deleteEntry(op.delete, op.values);
  return note === undefined ? {} : { note };
}

export async function registerRegistryEntry(
  op: RegisterRegistryEntryOperation,
  _ctx: ExecContext,
): Promise<ExecOutcome> {
  await registerEntry(op.register, op.values);
  return {};
}
