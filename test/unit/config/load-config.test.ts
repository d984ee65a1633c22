import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../../../src/config/diagnostics.ts';
import { type ConfigResult, type LoadConfigOptions, loadConfig } from '../../../src/config/index.ts';

const scratch = await mkdtemp(join(tmpdir(), 'load-config-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let counter = 0;

/** A fresh config directory holding `files` (path → text); diagnostics' paths are relative to it. */
async function load(files: Record<string, string>, options: LoadConfigOptions = {}): Promise<ConfigResult> {
  const dir = join(scratch, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return loadConfig(dir, { env: {}, cwd: dir, ...options });
}

const lines = (result: ConfigResult): string[] => result.diagnostics.map(formatDiagnostic);
const errors = (result: ConfigResult): string[] =>
  result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

const WORKER = 'services:\n  worker:\n    min: 1\n    max: 3\n';

describe('loadConfig: the directory', () => {
  it('reports an empty directory as an error at the directory', async () => {
    const result = await load({});
    expect(lines(result)).toEqual(['.:1:1: error: no YAML files (*.yml, *.yaml) in .']);
    expect(result.clusters).toEqual([]);
  });

  it('reports a directory that does not exist', async () => {
    const result = await loadConfig(join(scratch, 'nope'), { env: {}, cwd: scratch });
    expect(lines(result)).toEqual([
      `nope:1:1: error: config directory ${join(scratch, 'nope')} does not exist`,
    ]);
  });

  it('reports --only matching nothing', async () => {
    const result = await load({ 'a.yml': WORKER }, { only: 'prod-*.yml' });
    expect(lines(result)).toEqual(['.:1:1: error: no YAML file in . matches --only "prod-*.yml"']);
  });

  it('reads .yml and .yaml files in subfolders, in path order, and ignores other files', async () => {
    const result = await load({ 'b.yaml': WORKER, 'a/x.yml': WORKER, 'notes.txt': 'min: x', 'c.json': '{}' });
    expect(errors(result)).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['a/x.yml', 'b.yaml']);
    expect(result.clusters.map((c) => c.cluster)).toEqual(['x', 'b']);
  });
});

describe('loadConfig: validated clusters', () => {
  it('names the cluster after the file unless `cluster:` says otherwise', async () => {
    const result = await load({ 'my_cluster.yml': WORKER, 'other.yml': `cluster: prod\n${WORKER}` });
    expect(result.clusters.map((c) => [c.file.path, c.cluster])).toEqual([
      ['my_cluster.yml', 'my_cluster'],
      ['other.yml', 'prod'],
    ]);
  });

  it('keeps files with errors out of clusters, but reports them', async () => {
    const result = await load({
      'good.yml': WORKER,
      'bad.yml': 'services:\n  worker:\n    min: 3\n    max: 2\n',
    });
    expect(result.clusters.map((c) => c.cluster)).toEqual(['good']);
    expect(lines(result)).toEqual(['bad.yml:4:10: error: max (2) is below min (3)']);
  });

  it('sorts diagnostics by file, line and column', async () => {
    const result = await load({
      'b.yml': 'services:\n  worker:\n    min: 3\n    max: 2\n',
      'a.yml': 'min: 5\nmax: 1\nautoscale_group: asg\nregion: nowhere\n',
    });
    expect(result.diagnostics).toEqual(sortDiagnostics(result.diagnostics));
    expect(lines(result)).toEqual([
      'a.yml:2:6: error: max (1) is below min (5)',
      'a.yml:4:9: error: region must be an AWS region name like us-east-1',
      'b.yml:4:10: error: max (2) is below min (3)',
    ]);
  });

  it('still validates a file with enabled: false', async () => {
    const result = await load({
      'off.yml': 'enabled: false\nservices:\n  worker:\n    min: 3\n    max: 2\n',
    });
    expect(errors(result)).toEqual(['off.yml:5:10: error: max (2) is below min (3)']);
  });

  it('accepts autoscale_group without services', async () => {
    const result = await load({ 'c.yml': 'autoscale_group: ecs-c-asg\nmin: 1\nmax: 3\n' });
    expect(lines(result)).toEqual([]);
    expect(result.clusters[0]?.config).toEqual({ autoscale_group: 'ecs-c-asg', min: 1, max: 3 });
  });

  it('hands a numeric launch template version over as text', async () => {
    const text =
      'groups:\n  web:\n    min: 1\n    max: 2\n    launch_template: { name: web, version: 3 }\n    availability_zones: [us-east-1a]\n';
    const result = await load({ 'c.yml': text });
    expect(lines(result)).toEqual([]);
    expect(result.clusters[0]?.config.groups?.web?.launch_template).toEqual({ name: 'web', version: '3' });
  });

  it('warns about an empty file without failing the run', async () => {
    const result = await load({ 'empty.yml': '# nothing yet\n' });
    expect(lines(result)).toEqual(['empty.yml:1:1: warning: empty file: it manages nothing']);
  });

  it('does not pile schema errors on a file YAML cannot parse', async () => {
    const result = await load({ 'x.yml': 'min: [1\nmax: nope\n' });
    expect(result.diagnostics.length).toBe(1);
    expect(result.diagnostics[0]?.message).toMatch(/^YAML: /);
  });
});

describe('loadConfig: values from the environment', () => {
  it('reads a plain ${VAR} that holds a number as the number, where a number is wanted', async () => {
    const result = await load(
      { 'c.yml': 'services:\n  worker:\n    min: ${MIN}\n    max: ${MAX:-4}\n' },
      { env: { MIN: '2' } },
    );
    expect(lines(result)).toEqual([]);
    expect(result.clusters[0]?.config.services?.worker).toEqual({ min: 2, max: 4 });
    // Capacities are shown in every plan: masking "2" would mask every 2.
    expect([...result.secrets]).toEqual([]);
  });

  it('reads booleans, hex and exponents the way YAML 1.2 would', async () => {
    const text = 'enabled: ${ON}\nautoscale_group: asg\nmin: ${LOW}\nmax: ${HIGH}\n';
    const result = await load({ 'c.yml': text }, { env: { ON: 'false', LOW: '0x2', HIGH: '1e1' } });
    expect(lines(result)).toEqual([]);
    expect(result.clusters[0]?.config).toMatchObject({ enabled: false, min: 2, max: 10 });
  });

  it('leaves text as text where text is wanted, and keeps it secret', async () => {
    const text = `cluster: \${NAME}\n${WORKER}    metric_sources:\n      third_party:\n        - url: https://status.example/q\n          headers: { X-Token: "\${TOKEN}" }\n          statistics: [{ name: n, alias: n }]\n    events: [{ metric: n, action: 1, min: 1 }]\n`;
    const result = await load({ 'c.yml': text }, { env: { NAME: '123', TOKEN: '98765' } });
    expect(lines(result)).toEqual([]);
    const [cluster] = result.clusters;
    expect(cluster?.cluster).toBe('123');
    expect(cluster?.config.services?.worker?.metric_sources?.third_party?.[0]?.headers).toEqual({
      'X-Token': '98765',
    });
    expect(result.secrets).toEqual(new Set(['123', '98765']));
  });

  it('reads a number from the environment where the schema takes a number or text', async () => {
    const result = await load(
      { 'c.yml': 'prune:\n  target_groups: true\n  grace: ${GRACE}\n  max: ${MAX}\n' },
      { env: { GRACE: '600', MAX: '5' } },
    );
    expect(lines(result)).toEqual([]);
    // "600" is already a valid grace (seconds as text, read by parseDuration); "5" is no valid max text.
    expect(result.clusters[0]?.config.prune).toEqual({ target_groups: true, grace: '600', max: 5 });
  });

  it('keeps text where only text is allowed, even when it reads as a boolean', async () => {
    const result = await load({ 'c.yml': `region: \${R}\n${WORKER}` }, { env: { R: 'true' } });
    expect(lines(result)).toEqual(['c.yml:1:9: error: region must be an AWS region name like us-east-1']);
  });

  it('does not read a quoted "${VAR}" as a number, and says why', async () => {
    const result = await load(
      { 'c.yml': 'services:\n  worker:\n    min: "${MIN}"\n    max: 4\n' },
      { env: { MIN: '2' } },
    );
    expect(lines(result)).toEqual([
      'c.yml:3:10: error: services.worker.min must be a whole number (got text); the value comes from the environment: remove the quotes around it to read it as a number',
    ]);
  });

  it('never repeats a value from the environment in a message', async () => {
    const result = await load(
      {
        'c.yml': `${WORKER}    metric_sources:\n      third_party:\n        - { url: https://q.example, method: "\${M}", statistics: [{ name: n, alias: n }] }\n    events: [{ metric: n, action: 1 }]\n`,
      },
      { env: { M: 'hunter2' } },
    );
    expect(errors(result)).toHaveLength(1);
    expect(errors(result)[0]).toContain('method must be one of GET, POST');
    expect(errors(result)[0]).not.toContain('hunter2');
  });

  it('resolves a reference spelled with double-quoted escapes, like one written plainly', async () => {
    // The value is `${NAME}` though the text never holds those two characters side by side.
    const result = await load(
      {
        'escaped.yml': `cluster: "\\x24{NAME}"\n${WORKER}`,
        'joined.yml': `cluster: "$\\\n  {OTHER}"\n${WORKER}`,
      },
      { env: { NAME: 'from-env', OTHER: 'joined-env' } },
    );
    expect(lines(result)).toEqual([]);
    expect(result.clusters.map((c) => c.cluster)).toEqual(['from-env', 'joined-env']);
    expect(result.secrets).toEqual(new Set(['from-env', 'joined-env']));
  });

  it('reports an unset variable once, not also as a wrong type', async () => {
    const result = await load({ 'c.yml': 'services:\n  worker:\n    min: 1\n    max: ${NOPE}\n' });
    expect(lines(result)).toEqual(['c.yml:4:10: error: environment variable NOPE is not set']);
    expect(result.clusters).toEqual([]);
  });
});

describe('loadConfig: what JSON Schema reports, readably', () => {
  it('collapses a oneOf into one message', async () => {
    const text =
      'groups:\n  web:\n    min: 1\n    max: 2\n    launch_template: { version: 3 }\n    availability_zones: [us-east-1a]\n';
    const result = await load({ 'c.yml': text });
    expect(lines(result)).toEqual([
      'c.yml:5:5: error: groups.web.launch_template needs exactly one of name or id',
    ]);
  });

  it('says one thing about a value of the wrong type', async () => {
    const text =
      'groups:\n  web:\n    triggers:\n      cpu:\n        metric: CPUUtilization\n        period: 60s\n        upper: { threshold: 80, adjust: 1 }\n';
    const result = await load({ 'c.yml': text });
    expect(lines(result)).toEqual([
      "c.yml:6:17: error: groups.web.triggers.cpu.period must be 10, 20, 30 or a multiple of 60 seconds (CloudWatch's periods) (got text)",
    ]);
  });

  it('reports a trigger that is a scalar as "must be a map", not as a missing form', async () => {
    const result = await load({ 'c.yml': 'groups:\n  web:\n    triggers:\n      cpu: 80\n' });
    expect(lines(result)).toEqual(['c.yml:4:12: error: groups.web.triggers.cpu must be a map (got 80)']);
  });

  it('suggests the key meant, and lists the allowed ones', async () => {
    const result = await load({ 'c.yml': 'groups:\n  web:\n    mni: 1\n' });
    expect(lines(result)).toEqual([
      'c.yml:3:5: error: unknown key "mni" in groups.web (allowed: min, max, desired, launch_template, availability_zones, subnets, target_groups, load_balancers, health_check, triggers, schedules); did you mean "min"?',
    ]);
  });
});

describe('loadConfig: across files', () => {
  it('reports a group managed in two files at the second', async () => {
    const group = 'region: us-east-1\ngroups:\n  web-asg: { min: 1, max: 2 }\n';
    const result = await load({ 'a.yml': group, 'b.yml': group });
    expect(lines(result)).toEqual(['b.yml:3:3: error: group "web-asg" is already managed at a.yml:3:3']);
    expect(result.clusters.map((c) => c.file.path)).toEqual(['a.yml']);
  });

  it('tells groups of different regions or accounts apart, and uses the run region for files without one', async () => {
    const group = (head: string) => `${head}groups:\n  web-asg: { min: 1, max: 2 }\n`;
    const apart = await load({
      'a.yml': group('region: us-east-1\n'),
      'b.yml': group('region: eu-west-1\n'),
      'c.yml': group('region: us-east-1\nrole_arn: arn:aws:iam::210987654321:role/scaler\n'),
    });
    expect(lines(apart)).toEqual([]);
    const same = await load(
      { 'a.yml': group('region: us-east-1\n'), 'b.yml': group('') },
      { region: 'us-east-1' },
    );
    expect(lines(same)).toEqual(['b.yml:2:3: error: group "web-asg" is already managed at a.yml:3:3']);
  });

  it('reports a service of one cluster in two files, not services of different clusters', async () => {
    const result = await load({
      'prod.yml': WORKER,
      'prod-extra.yml': `cluster: prod\n${WORKER}`,
      'staging.yml': WORKER,
    });
    expect(lines(result)).toEqual([
      'prod.yml:2:3: error: service "worker" of cluster prod is already managed at prod-extra.yml:3:3',
    ]);
  });

  it("reports a cluster's capacity configured in two files", async () => {
    const result = await load({
      'a.yml': 'cluster: c\nautoscale_group: asg\n',
      'b.yml': 'cluster: c\nautoscale_group: asg\nmin: 1\nmax: 2\n',
    });
    expect(lines(result)).toEqual([
      'b.yml:2:1: error: the capacity of cluster c is already configured at a.yml:2:1',
    ]);
  });

  it('reports an Auto Scaling group sized both as autoscale_group and in groups', async () => {
    const result = await load({
      'a.yml': 'autoscale_group: shared-asg\nmin: 1\nmax: 4\n',
      'b.yml': 'groups:\n  shared-asg: { min: 2, max: 8 }\n',
    });
    expect(errors(result)).toEqual([
      'b.yml:2:3: error: Auto Scaling group "shared-asg" is sized both as a cluster\'s autoscale_group and as an entry of groups (first at a.yml:1:1): set min/max in one place',
    ]);
  });
});
