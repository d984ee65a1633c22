/**
 * A pull request's plan runs on YAML nobody has reviewed yet: it must not run the commands that
 * YAML names (command registries), and what those would have listed is unknown, so not pruned.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/aws/clients.ts';
import { runPlan } from '../../../src/pipeline.ts';
import { TEST_CREDENTIALS, TEST_REGION, useMoto } from '../../support/moto.ts';

const moto = useMoto();
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function planWith(
  unreviewed: boolean,
): Promise<{ ran: boolean; registryChanges: number; warnings: string; errors: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'unreviewed-'));
  cleanup.push(root);
  const marker = join(root, 'ran');
  // The list command leaves a mark when it runs, and lists one entry for an instance EC2 never knew.
  await writeFile(
    join(root, 'salt.yml'),
    `region: us-east-1
prune:
  max: 100%
  registries:
    salt:
      list: { command: "touch '${marker}' && echo '{\\"minions\\": [\\"i-0123456789abcdef9\\"]}'", items: minions }
      delete: { command: "true {id}" }
      instance: "^(i-[0-9a-f]+)$"
`,
  );
  const pool = new ClientPool({ credentials: TEST_CREDENTIALS });
  try {
    const run = await runPlan({
      configDir: root,
      cwd: root,
      region: TEST_REGION,
      env: {},
      endpoint: moto.endpoint,
      now: new Date(Date.now() + 86_400_000),
      pool,
      unreviewed,
    });
    if (run.plan === null) throw new Error(run.diagnostics.map((d) => d.message).join('\n'));
    return {
      ran: existsSync(marker),
      registryChanges: run.plan.changes.filter((c) => c.type === 'registry_entry').length,
      warnings: run.plan.warnings.map((w) => w.message).join('\n'),
      errors: run.plan.errors.map((e) => e.message),
    };
  } finally {
    pool.destroy();
  }
}

describe('planning unreviewed YAML (a pull request)', () => {
  it('runs no registry command and prunes nothing it would have listed, saying why', async () => {
    const result = await planWith(true);
    expect(result.ran).toBe(false);
    expect(result.registryChanges).toBe(0);
    expect(result.warnings).toContain('registry commands are not run when planning a pull request');
    // Not run on purpose: no failure (a read that fails would be an error).
    expect(result.errors).toEqual([]);
  });

  it('runs the command on reviewed YAML (the default branch), where the same entry is pruned', async () => {
    const result = await planWith(false);
    expect(result.ran).toBe(true);
    expect(result.registryChanges).toBe(1);
    expect(result.errors).toEqual([]);
  });
});
