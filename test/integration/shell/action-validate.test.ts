import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION, readText, runNode, workspace } from '../../support/run-bundle.ts';

/** The environment the runner gives a node24 action step, for a validate-only run. */
function runnerEnv(cwd: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: cwd,
    GITHUB_STEP_SUMMARY: join(cwd, 'summary.md'),
    GITHUB_OUTPUT: join(cwd, 'output.txt'),
    INPUT_CONFIG: 'clusters',
    INPUT_MODE: 'validate',
    ...extra,
  };
}

describe('the bundled Action in validate mode', () => {
  it('annotates each error on its file and line, caps annotations, and lists all in the summary', async () => {
    // 12 groups with max below min: 12 errors, more than GitHub shows as annotations per step.
    const groups = Array.from({ length: 12 }, (_, i) => `  g${i}:\n    min: 3\n    max: 1\n`).join('');
    const cwd = await workspace({
      'clusters/many.yml': `groups:\n${groups}`,
      'summary.md': '',
      'output.txt': '',
    });
    const result = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd) });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toHaveLength(10 + 1); // ten located errors and the final setFailed
    expect(annotations[0]).toMatch(
      /^::error title=autoscale-gitops,file=clusters\/many\.yml,line=4,col=\d+::max \(1\) is below min \(3\)/,
    );
    expect(result.stdout).toContain(
      '::error::configuration in clusters is invalid (2 more in the job summary)',
    );
    const summary = await readText(join(cwd, 'summary.md'));
    expect(summary.match(/`clusters\/many\.yml:\d+:\d+`/g)).toHaveLength(12);
  });

  it('masks values read from the environment in annotations, log and summary', async () => {
    const secret = 'pa55-w0rd-from-env';
    const cwd = await workspace({
      'clusters/a.yml': 'role_arn: "${ROLE}"\ngroups:\n  web:\n    min: 1\n    max: 2\n',
      'summary.md': '',
      'output.txt': '',
    });
    const result = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd, { ROLE: secret }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::add-mask::${secret}`);
    const printed = result.stdout.replace(`::add-mask::${secret}`, '');
    expect(printed).not.toContain(secret);
    expect(await readText(join(cwd, 'summary.md'))).not.toContain(secret);
  });

  it('refuses a timeout input that is not a positive duration, before reading anything', async () => {
    const cwd = await workspace({
      'clusters/a.yml': 'groups:\n  web:\n    min: 1\n    max: 2\n',
      'summary.md': '',
      'output.txt': '',
    });
    const bad = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd, { INPUT_TIMEOUT: 'soon' }) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'input "timeout" must be a positive duration such as 90s, 10m or 1h, not "soon"',
    );
    const good = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd, { INPUT_TIMEOUT: '1h30m' }) });
    expect(good.code).toBe(0);
  });

  it('with a one-character secret: succeeds, readable, the secret masked where it stands alone', async () => {
    // Masking `t` inside words rewrote field names of the summary's data (a crash) and every word.
    const cwd = await workspace({
      'clusters/a.yml':
        'groups:\n  web:\n    min: 1\n    max: 2\nprune:\n  registries:\n    chef:\n' +
        '      list: { url: "https://chef.example/nodes", headers: { Authorization: "Bearer ${CHEF_TOKEN}" } }\n' +
        '      delete: { url: "https://chef.example/nodes/{id}", method: DELETE }\n' +
        '      instance: "^(i-[0-9a-f]+)$"\n',
      'summary.md': '',
      'output.txt': '',
    });
    const result = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd, { CHEF_TOKEN: 't' }) });
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('::error');
    expect(result.code).toBe(0);
    // Not handed to the runner (it would mask `t` inside every word of the log), but a warning says why.
    expect(result.stdout).not.toContain('::add-mask::t\n');
    expect(result.stdout).toMatch(/::warning::a secret value is shorter than 6 characters/);
    expect(result.stdout).toContain('Configuration valid (1 file)');
    const summary = await readText(join(cwd, 'summary.md'));
    expect(summary).toContain('Configuration valid');
    expect(summary).not.toContain('***');
  });

  it('succeeds on a valid configuration', async () => {
    const cwd = await workspace({
      'clusters/a.yml': 'groups:\n  web:\n    min: 1\n    max: 2\n',
      'summary.md': '',
      'output.txt': '',
    });
    const result = await runNode(ACTION, [], { cwd, env: runnerEnv(cwd) });
    expect(result.stdout).not.toContain('::error');
    expect(result.code).toBe(0);
  });
});
