/**
 * The bundled CLI's streams: what a script reads from stdout is the plan (or the help it asked
 * for), and everything that explains an exit status of 1 is on stderr: usage on misuse, and the
 * plan's errors (what could not be read or planned) besides the rendered plan.
 */
import { describe, expect, it } from 'vitest';
import { useMoto } from '../../support/moto.ts';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';

const moto = useMoto();

describe('CLI streams', () => {
  it('usage goes to stderr with exit 1 when no command is given, to stdout with exit 0 on --help', async () => {
    const cwd = await workspace({ 'clusters/web.yml': 'groups:\n  web:\n    min: 1\n    max: 2\n' });
    const bare = await runNode(CLI, [], { cwd });
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Usage: autoscale-gitops <command> [options]');

    const unknownOption = await runNode(CLI, ['plan', '--colour'], { cwd });
    expect(unknownOption.code).toBe(1);
    expect(unknownOption.stdout).toBe('');
    expect(unknownOption.stderr).toContain("Run 'autoscale-gitops --help' for usage.");

    for (const args of [['--help'], ['help'], ['plan', '-h']]) {
      const help = await runNode(CLI, args, { cwd });
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toContain('Usage: autoscale-gitops <command> [options]');
    }
  });

  it('plan errors reach stderr too, while stdout stays the plan alone (here JSON that parses)', async () => {
    const cwd = await workspace({
      // The group does not exist, and without a launch template the YAML cannot create it.
      'clusters/web.yml': 'region: us-east-1\ngroups:\n  web-missing:\n    min: 1\n    max: 2\n',
    });
    const result = await runNode(CLI, ['plan', '--format', 'json'], {
      cwd,
      env: moto.env() as Record<string, string>,
    });
    expect(result.code).toBe(1);
    const plan = JSON.parse(result.stdout);
    expect(plan.errors).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^autoscale-gitops: error: clusters\/web\.yml:3: group web-missing does not exist in us-east-1 and the YAML cannot create it/m,
    );
  });
});
