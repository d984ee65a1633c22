/** Registry answers → entries; templates; which entries are ours. No I/O here. */
import { describe, expect, it } from 'vitest';
import { readRegistries } from '../../../src/observe/registries.ts';
import { entriesOf, parseTime, RegistryFormatError } from '../../../src/registries/entries.ts';
import { compilePattern, matchEntry } from '../../../src/registries/match.ts';
import { readPath } from '../../../src/registries/paths.ts';
import { fillCommand, fillUrl } from '../../../src/registries/placeholders.ts';
import { shellQuote } from '../../../src/registries/template.ts';

describe('entriesOf', () => {
  it('reads a list of ids, a list of objects, and a map of ids (Chef /nodes)', () => {
    expect(entriesOf(['a', 'b', 'a'], {})).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(
      entriesOf(
        { data: { rows: [{ node: { name: 'x' }, seen: 1_700_000_000 }] } },
        { items: 'data.rows', id: 'node.name', time: 'seen' },
      ),
    ).toEqual([{ id: 'x', time: '2023-11-14T22:13:20.000Z' }]);
    expect(entriesOf({ 'web-1': 'https://chef/nodes/web-1' }, {})).toEqual([{ id: 'web-1' }]);
    expect(entriesOf({ minions: ['i-1'], minions_pre: ['i-2'] }, { items: 'minions' })).toEqual([
      { id: 'i-1' },
    ]);
  });

  it('refuses answers it cannot read instead of reading them as empty', () => {
    expect(() => entriesOf({ rows: 'nope' }, { items: 'rows' })).toThrow(RegistryFormatError);
    expect(() => entriesOf({}, { items: 'rows' })).toThrow(
      'items (rows) is missing, not a list or a map of ids',
    );
    expect(() => entriesOf([{ name: null }], { id: 'name' })).toThrow(
      'entry 0: id (name) is null, not a string',
    );
  });

  it('several items paths (Salt: minions, minions_pre): entries of all merged, an id in two lists once', () => {
    const keys = { minions: ['i-1', 'i-2'], minions_pre: ['i-3', 'i-1'], minions_rejected: ['i-9'] };
    expect(entriesOf(keys, { items: ['minions', 'minions_pre'] })).toEqual([
      { id: 'i-1' },
      { id: 'i-2' },
      { id: 'i-3' },
    ]);
    // Lists of objects and maps of ids mix; the first list an id appears in gives its time.
    expect(
      entriesOf(
        { a: [{ n: 'x', t: 1_700_000_000 }], b: [{ n: 'x' }, { n: 'y', t: 1_700_000_060 }] },
        { items: ['a', 'b'], id: 'n', time: 't' },
      ),
    ).toEqual([
      { id: 'x', time: '2023-11-14T22:13:20.000Z' },
      { id: 'y', time: '2023-11-14T22:14:20.000Z' },
    ]);
    expect(entriesOf({ a: { 'web-1': {} }, b: ['web-2'] }, { items: ['a', 'b'] })).toEqual([
      { id: 'web-1' },
      { id: 'web-2' },
    ]);
  });

  it('several items paths: one that leads to no list fails the whole answer, naming the path', () => {
    expect(() => entriesOf({ minions: ['i-1'] }, { items: ['minions', 'minions_pre'] })).toThrow(
      'items (minions_pre) is missing, not a list or a map of ids',
    );
    expect(() =>
      entriesOf({ minions: ['i-1'], minions_pre: 'i-2' }, { items: ['minions', 'minions_pre'] }),
    ).toThrow(RegistryFormatError);
    expect(() =>
      entriesOf({ a: [{ n: 'x' }], b: [{ n: 1 }, { m: 2 }] }, { items: ['a', 'b'], id: 'n' }),
    ).toThrow('items (b) entry 1: id (n) is missing, not a string');
  });

  it('reads times as ISO text or epoch seconds (or milliseconds); anything else is no time', () => {
    expect(parseTime('2030-06-01T11:00:00Z')).toBe('2030-06-01T11:00:00.000Z');
    expect(parseTime(1_900_000_000)).toBe('2030-03-17T17:46:40.000Z');
    expect(parseTime('1900000000')).toBe('2030-03-17T17:46:40.000Z');
    expect(parseTime(1_900_000_000_000)).toBe('2030-03-17T17:46:40.000Z');
    expect(parseTime('yesterday')).toBeUndefined();
    expect(parseTime(null)).toBeUndefined();
  });

  it('dot paths read own properties only', () => {
    expect(readPath({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({ a: 1 }, '__proto__')).toBeUndefined();
  });
});

describe('templates', () => {
  it('URL-encodes {id} in a URL and leaves ${VAR} alone', () => {
    expect(fillUrl('https://chef/nodes/{id}', { id: 'a b/c?d' })).toBe('https://chef/nodes/a%20b%2Fc%3Fd');
    expect(fillUrl('x ${id} {id}', { id: 'v' })).toBe('x ${id} v');
  });

  it('shell-quotes {id} so the shell sees one word, whatever it holds', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(fillCommand('salt-key -y -d {id}', { id: "i-1; rm -rf / $(id) `id` 'x'" })).toBe(
      "salt-key -y -d 'i-1; rm -rf / $(id) `id` '\\''x'\\'''",
    );
  });
});

describe('matchEntry', () => {
  const chef = compilePattern('^web-(i-[0-9a-f]+)\\.example\\.com$');
  it('maps entries to instance ids through group 1; everything else is not ours', () => {
    expect(matchEntry(chef, 'web-i-0123456789abcdef0.example.com')).toEqual({
      ours: true,
      instanceId: 'i-0123456789abcdef0',
    });
    expect(matchEntry(chef, 'build-server').ours).toBe(false);
    expect(matchEntry(compilePattern('^(\\w+)$'), 'master')).toEqual({
      ours: false,
      why: 'captured master, not an instance id',
    });
    expect(matchEntry(compilePattern('^(i-[0-9a-f]+)?x$'), 'x')).toEqual({
      ours: false,
      why: 'the pattern captured nothing',
    });
  });

  it('matches the whole entry id: an unanchored pattern does not claim a hostile id around an instance id', () => {
    const loose = compilePattern('(i-[0-9a-f]+)');
    expect(matchEntry(loose, 'i-0123456789abcdef0')).toEqual({
      ours: true,
      instanceId: 'i-0123456789abcdef0',
    });
    for (const hostile of [
      'i-0123456789abcdef0; rm -rf /',
      'x i-0123456789abcdef0',
      'i-0123456789abcdef0\n',
    ]) {
      expect(matchEntry(loose, hostile)).toEqual({ ours: false, why: 'does not match the instance pattern' });
    }
    // Alternatives stay whole: `a|b` is `^(?:a|b)$`, not `^a|b$`.
    const either = compilePattern('(i-[0-9a-f]+)|web-(i-[0-9a-f]+)');
    expect(matchEntry(either, 'i-0123456789abcdef0 and more').ours).toBe(false);
    // A caller's own RegExp that matches only a part is no match either.
    expect(matchEntry(/(i-[0-9a-f]+)/, 'rm -rf / i-0123456789abcdef0').ours).toBe(false);
    // "Anything around it" has to be written out.
    expect(matchEntry(compilePattern('.*(i-[0-9a-f]{17}).*'), 'node i-0123456789abcdef0 (web)')).toEqual({
      ours: true,
      instanceId: 'i-0123456789abcdef0',
    });
  });
});

describe('readRegistries when commands are refused (a pull request plan)', () => {
  it('defers a command registry without running it: unknown, marked deferred', async () => {
    const registry = {
      name: 'salt',
      address: 'web/prune/registries/salt',
      origin: { file: 'clusters/web.yml', line: 3 },
      list: { kind: 'command' as const, command: 'exit 7' },
      delete: { kind: 'command' as const, command: 'true {id}' },
      instance: '^(i-[0-9a-f]+)$',
      optional: false,
      entry: '{instance}',
      forGroups: [],
      sweep: false,
    };
    const listed = await readRegistries([registry], { refuse: 'not run on a pull request' });
    expect(listed.get(registry.address)).toEqual({
      known: false,
      reason: 'not run on a pull request',
      deferred: true,
    });
    // Without the refusal the same command runs and fails: unknown, and not deferred.
    const ran = await readRegistries([registry]);
    expect(ran.get(registry.address)).toEqual({ known: false, reason: 'the command exited with code 7' });
  });
});
