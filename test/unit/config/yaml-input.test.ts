import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { aliasOverLimit } from '../../../src/config/aliases.ts';
import { type ConfigResult, formatDiagnostic, loadConfig } from '../../../src/config/index.ts';
import type { Environment } from '../../../src/config/interpolate.ts';

const scratch = await mkdtemp(join(tmpdir(), 'yaml-input-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let counter = 0;

async function load(name: string, text: string, env: Environment = {}): Promise<ConfigResult> {
  const dir = join(scratch, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), text);
  return loadConfig(dir, { env, cwd: dir });
}
const lines = (result: ConfigResult): string[] => result.diagnostics.map(formatDiagnostic);

const QUEUE_SERVICE = (url: string): string =>
  [
    'services:',
    '  worker:',
    '    min: 1',
    '    max: %(WORKER_MAX)',
    '    metric_sources:',
    '      third_party:',
    `        - url: ${url}`,
    '          statistics: [{ name: messages_ready, alias: queue_length }]',
    '    events:',
    '      - { metric: queue_length, action: 1, min: 5 }',
    '',
  ].join('\n');

describe("ecs-autoscale's %(VAR) at the start of a plain value", () => {
  const env = { WORKER_MAX: '5', RABBITMQ_URL: 'https://user:hunter2@rabbit.example' };

  it('is read as the variable, a number where a number is wanted, and the URL kept secret', async () => {
    const result = await load('my_cluster.yml', QUEUE_SERVICE('%(RABBITMQ_URL)/api/queues'), env);
    expect(lines(result)).toEqual([]);
    const worker = result.clusters[0]?.config.services?.worker;
    expect(worker?.max).toBe(5);
    expect(worker?.metric_sources?.third_party?.[0]?.url).toBe(
      'https://user:hunter2@rabbit.example/api/queues',
    );
    expect([...result.secrets]).toEqual(['https://user:hunter2@rabbit.example']);
  });

  it('means what ${VAR} means', async () => {
    const percent = await load('a.yml', 'groups:\n  web:\n    min: 1\n    max: %(WORKER_MAX)\n', env);
    const braced = await load('a.yml', 'groups:\n  web:\n    min: 1\n    max: ${WORKER_MAX}\n', env);
    expect(lines(percent)).toEqual([]);
    expect(percent.clusters[0]?.config).toEqual(braced.clusters[0]?.config);
    expect(percent.clusters[0]?.config.groups?.web?.max).toBe(5);
  });

  it('reports a missing variable at its own line and column', async () => {
    const result = await load('my_cluster.yml', QUEUE_SERVICE('%(RABBITMQ_URL)/api/queues'), {});
    expect(lines(result)).toEqual([
      'my_cluster.yml:4:10: error: environment variable WORKER_MAX is not set',
      'my_cluster.yml:7:16: error: environment variable RABBITMQ_URL is not set',
    ]);
  });

  it('keeps positions after it exact', async () => {
    const text = 'groups:\n  web:\n    min: %(MIN)\n    max: %(MAX)\n    desired: 9\n';
    const result = await load('g.yml', text, { MIN: '1', MAX: '3' });
    expect(lines(result)).toEqual(['g.yml:5:14: error: desired (9) is above max (3)']);
  });

  it('is still an error in a key: keys are names, never read from the environment', async () => {
    const result = await load('k.yml', 'groups:\n  %(NAME): { min: 1, max: 2 }\n', { NAME: 'web' });
    expect(lines(result)).toEqual([
      'k.yml:2:3: error: YAML: Plain value cannot start with directive indicator character %',
    ]);
  });
});

describe('YAML errors found after parsing', () => {
  it('reports an alias bomb as a located error, not a crash', async () => {
    const text = [
      'groups:',
      '  web: { min: 1, max: 2 }',
      'x-a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]',
      'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'x-d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '',
    ].join('\n');
    const result = await load('bomb.yml', text);
    expect(lines(result)).toEqual([
      // a: 11 uses (the anchor and 10 aliases) of 1 value; each *b adds a use of b's 11 copies:
      // the 9th *b on line 5 makes (1 + 9) × 11 = 110 > 100.
      'bomb.yml:5:42: error: YAML: this alias takes the file past 100 copies of anchored values (an alias bomb?): write the values out',
    ]);
    expect(result.clusters).toEqual([]);
  });
});

describe('aliasOverLimit', () => {
  // yaml is the judge: the document cut just before the alias found converts, with it it throws.
  const bombs = [
    'a: &a [1, 2, 3]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
    'a: &a x\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n',
    'a: &a { k: [1, 2] }\nb: &b { k: *a, l: *a, m: *a }\nc: &c { k: *b, l: *b }\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n',
    'a: &a [*x]\n',
  ];
  it.each(bombs)('finds the alias where yaml stops: %s', (text) => {
    const limit = 20;
    const doc = parseDocument(text, { prettyErrors: false });
    const alias = aliasOverLimit(doc, limit);
    const throws = (t: string): boolean => {
      try {
        parseDocument(t).toJS({ maxAliasCount: limit });
        return false;
      } catch (error) {
        return /alias count/i.test(String(error));
      }
    };
    expect(throws(text)).toBe(alias !== undefined);
    if (!alias?.range) return;
    const end = alias.range[1];
    // Cut after the alias (and close any open flow sequence), then just before it.
    const close = (t: string): string =>
      `${t}${']'.repeat((t.match(/\[/g) ?? []).length - (t.match(/\]/g) ?? []).length)}\n`;
    expect(throws(close(text.slice(0, end)))).toBe(true);
    expect(throws(close(text.slice(0, alias.range[0]).replace(/,\s*$/, '')))).toBe(false);
  });
});
