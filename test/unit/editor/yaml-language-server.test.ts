/**
 * What a user's editor shows (yaml-language-server's own validation, test/support/yaml-ls.ts):
 * our example files have no problem under the editor schema, a file outside this repository
 * whose schema line names the published URL neither, and broken files show our messages.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EditorProblem, editorProblems } from '../../support/yaml-ls.ts';

const ROOT = join(import.meta.dirname, '../../..');
const EDITOR_SCHEMA = join(ROOT, 'schemas/cluster.editor.schema.json');
/** The published form (README "Editor support"): the raw file at a release tag. */
const PUBLISHED =
  'https://raw.githubusercontent.com/autoscale-gitops/autoscale-gitops/v1.2.3/schemas/cluster.editor.schema.json';

/** A file in a fresh folder outside the repository, its schema line naming the published URL. */
async function userFile(body: string): Promise<EditorProblem[]> {
  const repo = await mkdtemp(join(tmpdir(), 'user-repo-'));
  await mkdir(join(repo, 'clusters'));
  const path = join(repo, 'clusters/web.yml');
  const text = `# yaml-language-server: $schema=${PUBLISHED}\n${body}`;
  await writeFile(path, text);
  return editorProblems(path, text, { [PUBLISHED]: EDITOR_SCHEMA });
}

const messages = (problems: readonly EditorProblem[]) => problems.map((p) => p.message);

describe('yaml-language-server', () => {
  it("finds no problem in this repository's clusters/, whose files name the editor schema", async () => {
    const dir = join(ROOT, 'clusters');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(text.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../schemas/cluster.editor.schema.json',
      );
      expect({ file, problems: await editorProblems(join(dir, file), text) }).toEqual({ file, problems: [] });
    }
  });

  it('would flag interpolated values against the strict schema (what the editor variant is for)', async () => {
    const path = join(ROOT, 'clusters/web.yml');
    const text = (await readFile(path, 'utf8')).replace('cluster.editor.schema.json', 'cluster.schema.json');
    const problems = await editorProblems(path, text, {});
    expect(messages(problems)).toContain('must be a launch template id like lt-0123456789abcdef0');
  });

  it('validates a file outside this repository through the published URL: 0 problems', async () => {
    const problems = await userFile(
      [
        'region: ${AWS_REGION:-us-east-1}',
        'groups:',
        '  web:',
        '    min: ${WEB_MIN}',
        '    max: ${WEB_MAX:-10}',
        '    launch_template: { id: "${LT_ID}", version: "${LT_VERSION:-3}" }',
        '    subnets: ["${SUBNET_A}", subnet-0a1b2c3d4e5f60718]',
        '    target_groups: ["${TG_ARN}"]',
        '    triggers:',
        '      cpu:',
        '        metric: CPUUtilization',
        '        period: ${PERIOD:-60}',
        '        upper: { threshold: 75, adjust: 2 }',
        '    schedules:',
        '      morning: { recurrence: "0 6 * * *", min: 4, start_time: "${START}" }',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
  });

  it('shows our messages where a file is wrong', async () => {
    const problems = await userFile(
      [
        'groups:',
        '  web:',
        '    min: ten',
        '    max: 5',
        '    launch_template: { id: lt-xyz }',
        '    subnets: [subnet-nope]',
        '    triggers:',
        '      cpu: { metric: CPUUtilization, period: 45 }',
        '      both: { target_tracking: { metric: ASGAverageCPUUtilization, target: 50 }, upper: { threshold: 1, adjust: 1 } }',
        '    schedules:',
        '      empty: { recurrence: "0 6 * * *" }',
        '  api:',
        '    launch_template: {}',
        '',
      ].join('\n'),
    );
    const seen = messages(problems);
    expect(seen).toEqual(
      expect.arrayContaining([
        'must be a launch template id like lt-0123456789abcdef0',
        'must be a subnet id like subnet-0123456789abcdef0',
        "must be 10, 20, 30 or a multiple of 60 seconds (CloudWatch's periods)",
        'a threshold trigger needs upper, lower or both (or use target_tracking instead of metric)',
        'a trigger is either a threshold trigger (metric, upper/lower) or target_tracking, not both',
        'a schedule sets at least one of min, max, desired',
        'needs exactly one of name or id',
      ]),
    );
    // `min: ten` is neither a number nor a reference.
    expect(problems.filter((p) => p.line === 4)).not.toEqual([]);
  });
});
