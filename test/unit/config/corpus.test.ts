/**
 * The corpus of malformed configs: test/fixtures/invalid/*.yml, one mistake per file. Each file
 * says what it expects in its leading comments:
 *   # expect: LINE:COL SEVERITY: MESSAGE-SUBSTRING     (one or more)
 *   # env: NAME=value                                   (environment for ${NAME}; default none)
 * Each is loaded alone (a temp dir holding just that file) through loadConfig, as the CLI would.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors } from '../../../src/config/diagnostics.ts';
import { loadConfig } from '../../../src/config/index.ts';

const CORPUS = new URL('../../fixtures/invalid/', import.meta.url);
const names = (await readdir(CORPUS)).filter((name) => name.endsWith('.yml')).sort();
const scratch = await mkdtemp(join(tmpdir(), 'config-corpus-'));

afterAll(() => rm(scratch, { recursive: true, force: true }));

interface Expectation {
  line: number;
  col: number;
  severity: string;
  message: string;
}

function header(text: string): { expectations: Expectation[]; env: Record<string, string> } {
  const expectations: Expectation[] = [];
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const expect = /^# expect: (\d+):(\d+) (error|warning): (.*)$/.exec(line);
    if (expect) {
      const [, l, c, severity, message] = expect as unknown as [string, string, string, string, string];
      expectations.push({ line: Number(l), col: Number(c), severity, message });
    }
    const variable = /^# env: ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (variable) env[variable[1] as string] = variable[2] as string;
  }
  return { expectations, env };
}

describe('the corpus of malformed configs', () => {
  it('has at least 45 cases, each expecting at least one diagnostic', async () => {
    expect(names.length).toBeGreaterThanOrEqual(45);
    for (const name of names) {
      const { expectations } = header(await readFile(new URL(name, CORPUS), 'utf8'));
      expect(expectations.length, name).toBeGreaterThan(0);
    }
  });

  it.each(names)('%s', async (name) => {
    const text = await readFile(new URL(name, CORPUS), 'utf8');
    const { expectations, env } = header(text);
    const dir = join(scratch, name.replace(/\.yml$/, ''));
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await copyFile(new URL(name, CORPUS), join(dir, name));

    const result = await loadConfig(dir, { env, cwd: dir });
    const shown = result.diagnostics.map(formatDiagnostic).join('\n');

    expect(hasErrors(result.diagnostics), `no error for ${name}; got:\n${shown}`).toBe(true);
    expect(result.clusters, 'a file with errors is not a validated cluster').toEqual([]);
    for (const d of result.diagnostics) {
      expect(d.file, shown).toBe(name);
      expect(d.line, shown).toBeGreaterThanOrEqual(1);
      expect(d.col, shown).toBeGreaterThanOrEqual(1);
      expect(d.message.length, shown).toBeGreaterThan(0);
    }
    for (const e of expectations) {
      const found = result.diagnostics.some(
        (d) =>
          d.line === e.line && d.col === e.col && d.severity === e.severity && d.message.includes(e.message),
      );
      expect(found, `expected ${e.line}:${e.col} ${e.severity}: ${e.message}\ngot:\n${shown}`).toBe(true);
    }
  });
});
