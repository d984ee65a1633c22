import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, loadConfig } from '../../../src/config/index.ts';
import { quotingAt } from '../../../src/config/shell-quote.ts';

const scratch = await mkdtemp(join(tmpdir(), 'registry-command-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let counter = 0;

/** Diagnostics for a file whose registry deletes with `deleteLine` (YAML for the delete spec). */
async function check(deleteLine: string): Promise<string[]> {
  const dir = join(scratch, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  const text = [
    'prune:',
    '  registries:',
    '    salt:',
    '      list: { command: "salt-key -L --out=json", items: minions }',
    `      delete: ${deleteLine}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'salt.yml'), text);
  const result = await loadConfig(dir, { env: {}, cwd: dir });
  return result.diagnostics.map(formatDiagnostic);
}

describe('a delete command with its placeholder in quotes', () => {
  it('is an error at the placeholder, inside double quotes', async () => {
    expect(await check(`{ command: 'salt-key -y -D "{id}"' }`)).toEqual([
      `salt.yml:5:43: error: {id} stands inside double quotes: the command gets it shell-quoted already, so don't quote it (write {id}, not "{id}")`,
    ]);
  });

  it('is an error at the placeholder, inside single quotes', async () => {
    expect(await check(`{ command: "salt-key -y -D '{id}'" }`)).toEqual([
      `salt.yml:5:43: error: {id} stands inside single quotes: the command gets it shell-quoted already, so don't quote it (write {id}, not '{id}')`,
    ]);
  });

  it('catches any placeholder name, and quotes opened earlier in the command', async () => {
    const lines = await check(`{ command: 'sh -c "salt-key -y -D {id} && echo {entry}"' }`);
    expect(lines.filter((l) => l.includes('stands inside'))).toEqual([
      `salt.yml:5:49: error: {id} stands inside double quotes: the command gets it shell-quoted already, so don't quote it (write {id}, not "{id}")`,
      `salt.yml:5:62: error: {entry} stands inside double quotes: the command gets it shell-quoted already, so don't quote it (write {entry}, not "{entry}")`,
    ]);
  });

  it('accepts the placeholder outside quotes, with quoted words around it', async () => {
    expect(await check(`{ command: "salt-key -y -D {id} --out 'json' \\"x\\"" }`)).toEqual([]);
    expect(await check(`{ command: "salt-key -y -D {id}" }`)).toEqual([]);
  });
});

describe('quotingAt', () => {
  const at = (command: string): ReturnType<typeof quotingAt> => quotingAt(command, command.indexOf('{'));
  it("follows single, double and $'...' quotes and backslashes as sh does", () => {
    expect(at('rm {id}')).toBeUndefined();
    expect(at(`rm '{id}'`)).toBe('single');
    expect(at('rm "{id}"')).toBe('double');
    expect(at(`rm "a\\"b {id}"`)).toBe('double'); // an escaped quote does not close
    expect(at(`rm 'a\\' {id}`)).toBeUndefined(); // no escapes inside single quotes: ' closes
    expect(at(`rm \\' {id}`)).toBeUndefined(); // an escaped quote opens nothing
    expect(at(`rm $'a\\'b {id}'`)).toBe('ansi-c');
    expect(at(`rm "it's" {id}`)).toBeUndefined();
  });
});
