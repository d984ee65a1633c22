/**
 * The example desired state in clusters/ (the action's default path, used by the demo), the
 * ecs-autoscale README's cluster file and CONTRACT.md's YAML: all valid, and together they use
 * every key the schema knows.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/config/diagnostics.ts';
import { loadConfig } from '../../../src/config/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const clustersDir = `${root}clusters`;
const exampleNames = (await readdir(clustersDir)).filter((n) => /\.ya?ml$/.test(n)).sort();

/** `${NAME}`, `${NAME:-default}` and `%(NAME)` references in a file: name → has a default. */
function references(text: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}|%\(([A-Za-z0-9_]+)\)/g)) {
    const name = (m[1] ?? m[3]) as string;
    found.set(name, (found.get(name) ?? false) || m[2] !== undefined);
  }
  return found;
}

/** The leading comment block of a file. */
function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line);
  }
  return lines.join('\n');
}

/** The environment the examples' comments ask for: every variable without a default, set. */
async function exampleEnvironment(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const name of exampleNames) {
    for (const [variable, hasDefault] of references(await readFile(`${clustersDir}/${name}`, 'utf8'))) {
      if (!hasDefault) env[variable] = `value-of-${variable.toLowerCase()}`;
    }
  }
  return env;
}

describe('clusters/ (the example desired state)', () => {
  it('holds several files', () => {
    expect(exampleNames.length).toBeGreaterThanOrEqual(3);
  });

  it.each(exampleNames)('%s starts with the yaml-language-server schema comment', async (name) => {
    const text = await readFile(`${clustersDir}/${name}`, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/cluster.editor.schema.json');
  });

  it.each(exampleNames)('%s documents every environment variable it reads, at the top', async (name) => {
    const text = await readFile(`${clustersDir}/${name}`, 'utf8');
    const comment = leadingComment(text);
    for (const variable of references(text).keys()) {
      expect(comment, `${variable} is not described in the leading comment of ${name}`).toMatch(
        new RegExp(`\\b${variable}\\b`),
      );
    }
  });

  it('validates with no errors and no warnings, given the variables the comments name', async () => {
    const result = await loadConfig(clustersDir, { env: await exampleEnvironment(), cwd: root });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.clusters.map((c) => c.file.path)).toEqual(exampleNames.map((n) => `clusters/${n}`));
    expect(result.clusters.map((c) => c.cluster)).toEqual(
      expect.arrayContaining(['jobs-prod', 'my_cluster', 'web']),
    );
  });

  it('fails without the required (secret) variables, naming each', async () => {
    const result = await loadConfig(clustersDir, { env: {}, cwd: root });
    const messages = result.diagnostics.map((d) => d.message);
    for (const variable of ['RABBIT_USER', 'RABBIT_PASS', 'CHEF_TOKEN', 'LINERATE_TOKEN']) {
      expect(messages).toContain(`environment variable ${variable} is not set`);
    }
  });

  it('reads ${VAR:-default} numbers as numbers and keeps secrets, not capacities, for masking', async () => {
    const env = { ...(await exampleEnvironment()), JOBS_MAX_CONSUMERS: '12' };
    const result = await loadConfig(clustersDir, { env, cwd: root });
    const jobs = result.clusters.find((c) => c.cluster === 'jobs-prod');
    expect(jobs?.config.services?.consumer?.max).toBe(12);
    expect(result.secrets.has('12')).toBe(false);
    expect(result.secrets.has('value-of-chef_token')).toBe(true);
    expect(result.secrets.has('value-of-rabbit_pass')).toBe(true);
  });

  it('uses every key of the schema somewhere', async () => {
    const schema = JSON.parse(await readFile(`${root}schemas/cluster.schema.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    const result = await loadConfig(clustersDir, { env: await exampleEnvironment(), cwd: root });
    const used = new Set<string>();
    const collect = (value: unknown, path: string, mapLevel: boolean): void => {
      if (Array.isArray(value)) {
        for (const item of value) collect(item, `${path}[]`, false);
      } else if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) {
          const key = mapLevel ? '*' : k;
          used.add(`${path}.${key}`);
          collect(v, `${path}.${key}`, MAPS.has(`${path}.${key}`));
        }
      }
    };
    for (const c of result.clusters) collect(c.config, '', false);
    const missing = schemaKeys(schema).filter((k) => !used.has(k));
    expect(missing).toEqual([]);
  });
});

/** Keys whose values are maps by name (services, groups, ...): their keys are not schema keys. */
const MAPS = new Set([
  '.services',
  '.groups',
  '.services.*.metric_sources.third_party[].headers',
  '.groups.*.triggers',
  '.groups.*.triggers.*.dimensions',
  '.groups.*.schedules',
  '.prune.registries',
  '.prune.registries.*.list.headers',
  '.prune.registries.*.delete.headers',
]);

/** Every key path the schema declares, in the same `.a.*.b[]` form as the examples' data. */
function schemaKeys(schema: Record<string, unknown>): string[] {
  const defs = schema.$defs as Record<string, Record<string, unknown>>;
  const keys = new Set<string>();
  const walk = (node: Record<string, unknown>, path: string, depth: number): void => {
    if (depth > 20) return;
    const ref = node.$ref;
    if (typeof ref === 'string')
      walk(defs[ref.replace('#/$defs/', '')] as Record<string, unknown>, path, depth + 1);
    for (const branch of ['then', 'else'] as const) {
      const b = node[branch];
      if (typeof b === 'object' && b !== null) walk(b as Record<string, unknown>, path, depth + 1);
    }
    const properties = node.properties as Record<string, unknown> | undefined;
    for (const [name, child] of Object.entries(properties ?? {})) {
      if (child === true || typeof child !== 'object' || child === null) continue;
      keys.add(`${path}.${name}`);
      walk(child as Record<string, unknown>, `${path}.${name}`, depth + 1);
    }
    const additional = node.additionalProperties;
    if (typeof additional === 'object' && additional !== null)
      walk(additional as Record<string, unknown>, `${path}.*`, depth + 1);
    const items = node.items;
    if (typeof items === 'object' && items !== null)
      walk(items as Record<string, unknown>, `${path}[]`, depth + 1);
  };
  walk(schema, '', 0);
  return [...keys].sort();
}

describe('compatibility', () => {
  it("accepts ecs-autoscale's README cluster file unchanged, meaning the same", async () => {
    const dir = fileURLToPath(new URL('../../fixtures/ecs-autoscale/', import.meta.url));
    const result = await loadConfig(dir, { env: {}, cwd: dir });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.clusters).toHaveLength(1);
    const [cluster] = result.clusters;
    expect(cluster?.cluster).toBe('my_cluster');
    expect(cluster?.config.autoscale_group).toBe('EC2ContainerService-my_cluster-EcsInstanceAsg-AAAAA');
    expect(cluster?.config.services?.worker?.events?.[0]).toEqual({
      metric: 'queue_length',
      action: 1,
      min: 5,
      max: null,
    });
    expect(cluster?.config.services?.backend?.metric_sources?.cloudwatch?.[0]?.period).toBe(300);
  });

  it("accepts CONTRACT.md's example (with a warning for desired beside triggers)", async () => {
    const dir = fileURLToPath(new URL('../../fixtures/contract/', import.meta.url));
    const env = { RABBIT_USER: 'guest', RABBIT_PASS: 'guest-password', CHEF_TOKEN: 'chef-token' };
    const result = await loadConfig(dir, { env, cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.line}:${d.severity}: ${d.message}`)).toEqual([
      '41:warning: policies own desired capacity: desired is used only to create the group, never planned against it afterwards (leave desired out when the group has triggers)',
      // `nightly` sets sizes that nothing sets back (issue 12).
      "62:warning: nothing sets min back after this schedule sets it to 1: the YAML's min 2 no longer applies once it fires (give it until: for a window, or add a schedule that sets min)",
      "62:warning: nothing sets max back after this schedule sets it to 2: the YAML's max 8 no longer applies once it fires (give it until: for a window, or add a schedule that sets max)",
      "62:warning: nothing sets desired back after this schedule sets it to 1: the YAML's desired 4 no longer applies once it fires (give it until: for a window, or add a schedule that sets desired)",
    ]);
    expect(result.clusters.map((c) => c.cluster)).toEqual(['my_cluster']);
  });
});
