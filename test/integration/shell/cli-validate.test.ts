import { symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runNode, workspace } from '../../support/run-bundle.ts';

const VALID = `# a small valid file
groups:
  web-asg:
    min: 1
    max: 3
`;

describe('autoscale-gitops validate (bundled CLI)', () => {
  it('exits 0 and says how many files are valid', async () => {
    const cwd = await workspace({ 'clusters/web.yml': VALID });
    const result = await runNode(CLI, ['validate'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 file valid in clusters');
    expect(result.code).toBe(0);
  });

  it('reports every error of every file as file:line:col and exits 1, without a stack trace', async () => {
    const cwd = await workspace({
      'conf/a.yml': 'groups:\n  web-asg:\n    min: 3\n    max: 2\n',
      'conf/b.yml': 'groups:\n  api:\n    min: 1\n    max: 2\n    colour: blue\n',
    });
    const result = await runNode(CLI, ['validate', '--config', 'conf'], { cwd });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^conf\/a\.yml:4:\d+: error: .*max \(2\) is below min \(3\)/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^conf\/b\.yml:5:5: error: unknown key "colour"/));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports files it cannot read as file:line:col errors, without a crash or a stack trace', async () => {
    const cwd = await workspace({ 'clusters/web.yml': VALID, 'clusters/huge.yml': '' });
    // 50 MB (sparse): over the cap, so it must be refused before anything reads it whole.
    await truncate(join(cwd, 'clusters/huge.yml'), 50 * 1024 * 1024);
    await writeFile(join(cwd, 'clusters/latin1.yml'), Buffer.from('groups:\n  caf\xe9:\n', 'latin1'));
    await symlink('missing.yml', join(cwd, 'clusters/gone.yml'));
    const result = await runNode(CLI, ['validate'], { cwd });
    expect(result.stderr.trim().split('\n')).toEqual([
      'clusters/gone.yml:1:1: error: dangling symlink: "missing.yml" does not exist',
      'clusters/huge.yml:1:1: error: file is too large: 50 MiB (52428800 bytes), over the 4 MiB limit for a cluster file (split it into several files)',
      'clusters/latin1.yml:2:6: error: not UTF-8 text: byte 0xE9 here is not valid UTF-8 (save the file as UTF-8)',
      '3 errors in clusters',
    ]);
    expect(result.code).toBe(1);
  });

  it('names a missing environment variable at its place and never prints a secret', async () => {
    const cwd = await workspace({
      'clusters/a.yml': [
        'prune:',
        '  registries:',
        '    chef:',
        '      list: { url: "https://chef.example/nodes", id: name, headers: { Authorization: "Bearer ${CHEF_TOKEN}" } }',
        '      delete: { method: DELETE, url: "https://chef.example/nodes/{id}" }',
        '      instance: "^(i-[0-9a-f]+)$"',
        'groups:',
        '  web:',
        '    min: 5',
        '    max: 1',
        '    target_groups: ["${TG_ARN}"]',
        '',
      ].join('\n'),
    });
    const missing = await runNode(CLI, ['validate', '--strict-env'], { cwd, env: { TG_ARN: 'x' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^clusters\/a\.yml:4:\d+: error: environment variable CHEF_TOKEN is not set$/m,
    );

    const secret = 's3cr3t-t0ken-value';
    const withSecret = await runNode(CLI, ['validate'], {
      cwd,
      env: { CHEF_TOKEN: secret, TG_ARN: `bad-arn-${secret}` },
    });
    expect(withSecret.code).toBe(1);
    expect(withSecret.stderr).toMatch(/clusters\/a\.yml:11:\d+: error: /);
    expect(withSecret.stderr + withSecret.stdout).not.toContain(secret);
  });

  it('checks files without their environment: each missing variable once as a warning, exit 0', async () => {
    const cwd = await workspace({
      'clusters/a.yml': [
        'groups:',
        '  web:',
        '    min: 2',
        '    max: ${WEB_MAX}',
        '    desired: 9',
        '    target_groups: ["${TG_ARN}"]',
        '',
      ].join('\n'),
      'clusters/b.yml': 'groups:\n  api:\n    min: 1\n    max: ${WEB_MAX}\n',
    });
    const result = await runNode(CLI, ['validate'], { cwd });
    const skipped =
      'its value is unknown, so checks that need it were skipped (validate --strict-env makes this an error)';
    expect(result.stderr.trim().split('\n')).toEqual([
      `clusters/a.yml:4:10: warning: environment variable WEB_MAX is not set: ${skipped}`,
      `clusters/a.yml:6:22: warning: environment variable TG_ARN is not set: ${skipped}`,
    ]);
    expect(result.stdout).toBe('2 files valid in clusters\n');
    expect(result.code).toBe(0);

    // What does not depend on the missing value is still checked.
    const cwdBad = await workspace({
      'clusters/a.yml': 'groups:\n  web:\n    min: 3\n    max: 2\n    desired: ${D}\n',
    });
    const bad = await runNode(CLI, ['validate'], { cwd: cwdBad });
    expect(bad.stderr).toMatch(/^clusters\/a\.yml:4:\d+: error: .*max \(2\) is below min \(3\)/m);
    expect(bad.stderr).toContain('warning: environment variable D is not set');
    expect(bad.code).toBe(1);

    const strict = await runNode(CLI, ['validate', '--strict-env'], { cwd });
    expect(strict.stderr).toContain('clusters/a.yml:4:10: error: environment variable WEB_MAX is not set\n');
    expect(strict.stderr).toContain('clusters/b.yml:4:10: error: environment variable WEB_MAX is not set\n');
    expect(strict.code).toBe(1);
  });

  it('plan stays strict: a missing variable is an error before any AWS call', async () => {
    const cwd = await workspace({
      'clusters/a.yml': 'region: us-east-1\ngroups:\n  web:\n    min: 1\n    max: ${WEB_MAX}\n',
    });
    // No AWS endpoint or credentials: reaching AWS would fail differently.
    const result = await runNode(CLI, ['plan'], { cwd });
    expect(result.stderr).toContain('clusters/a.yml:5:10: error: environment variable WEB_MAX is not set');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  });

  it('prints usage errors on stderr with exit 1, and --version / schema on stdout', async () => {
    const cwd = await workspace({ 'clusters/web.yml': VALID });
    const bad = await runNode(CLI, ['frobnicate'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown command "frobnicate"');
    const version = await runNode(CLI, ['--version'], { cwd });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const schema = await runNode(CLI, ['schema'], { cwd });
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toHaveProperty('properties.groups');
  });

  it('refuses apply without --auto-approve when nobody is at a terminal, before any AWS call', async () => {
    const cwd = await workspace({ 'clusters/web.yml': VALID });
    // No AWS endpoint or credentials at all: reaching AWS would fail differently.
    const result = await runNode(CLI, ['apply'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'autoscale-gitops: error: apply needs --auto-approve when no one is at a terminal to confirm\n',
    );
    expect(result.stdout).toBe('');
  });
});
