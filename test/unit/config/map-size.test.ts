import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, type YAMLMap } from 'yaml';
import { formatDiagnostic, loadConfig, validateSources } from '../../../src/config/index.ts';
import { parseSource } from '../../../src/config/load.ts';

const scratch = await mkdtemp(join(tmpdir(), 'map-size-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

function groups(count: number): string {
  const lines = ['region: us-east-1', 'groups:'];
  for (let i = 0; i < count; i++) lines.push(`  g${i}: { min: 0, max: 4 }`);
  return `${lines.join('\n')}\n`;
}

/**
 * Speed itself is measured by bench/config-size.ts; here, the work: how often validation reads
 * an item of the one big map. A lookup that scans the map reads ~n²/2 items for n keys.
 */
describe('validation reads a big map a bounded number of times per key', () => {
  it('looks keys up through an index, not a scan per lookup', () => {
    const count = 2_000;
    const { file } = parseSource(groups(count), 'fleet.yml', 'fleet.yml', {});
    const root = file.doc.contents as YAMLMap;
    const pair = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'groups');
    const map = pair?.value;
    if (!isMap(map)) throw new Error('groups is not a map');
    let reads = 0;
    map.items = new Proxy(map.items, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property, receiver);
      },
    });
    const result = validateSources([file]);
    expect(result.diagnostics).toEqual([]);
    expect(result.clusters).toHaveLength(1);
    // Linear: a few passes over the map, however many keys it has (a scan per lookup: ~2,000,000).
    expect(reads).toBeLessThan(10 * count);
  });
});

describe('duplicate keys', () => {
  async function load(name: string, text: string): Promise<string[]> {
    const dir = await mkdtemp(join(scratch, 'case-'));
    await writeFile(join(dir, name), text);
    const result = await loadConfig(dir, { env: {}, cwd: dir });
    return result.diagnostics.map(formatDiagnostic);
  }

  it('reports a repeated key at the repeat, in block and flow maps, at any depth', async () => {
    const text = [
      'groups:',
      '  a: { min: 0, max: 1 }',
      '  b: { min: 0, max: 1, min: 2 }',
      '  a:',
      '    min: 0',
      '    max: 1',
      '    max: 2',
      '',
    ].join('\n');
    expect(await load('d.yml', text)).toEqual([
      'd.yml:3:24: error: duplicate key: each key may appear once in a map',
      'd.yml:4:3: error: duplicate key: each key may appear once in a map',
      'd.yml:7:5: error: duplicate key: each key may appear once in a map',
    ]);
  });

  it('tells keys of different types apart, as YAML does (1 and "1")', async () => {
    const text = 'groups:\n  a:\n    tags: { 1: x, "1": y }\n    min: 0\n    max: 1\n';
    expect((await load('t.yml', text)).filter((l) => l.includes('duplicate'))).toEqual([]);
  });

  it('finds the one repeat among thousands of keys', async () => {
    const text = `${groups(5_000)}  g4321: { min: 0, max: 4 }\n`;
    expect(await load('big.yml', text)).toEqual([
      'big.yml:5003:3: error: duplicate key: each key may appear once in a map',
    ]);
  });
});
