import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateValidator, VALIDATOR_PATH } from '../../../scripts/validator.ts';
import { createAjv } from '../../../src/config/ajv.ts';
import { ucs2length } from '../../../src/config/ajv-runtime.ts';
import { validate as precompiled } from '../../../src/config/cluster.validate.js';
import { loadSchema } from '../../../src/config/index.ts';
import { didYouMean, displayPath, levenshtein } from '../../../src/config/schema.ts';

type SchemaNode = Record<string, unknown>;

const onDisk = JSON.parse(
  await readFile(new URL('../../../schemas/cluster.schema.json', import.meta.url), 'utf8'),
) as SchemaNode;

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/$defs/x`) one step; the schema uses no other kind. */
function resolve(node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/$defs/', '');
  const target = (onDisk.$defs as Record<string, SchemaNode>)[name];
  if (!target) throw new Error(`unresolved ${ref}`);
  return { ...resolve(target), ...node };
}

interface PropertyAt {
  path: string;
  schema: SchemaNode;
  required: boolean;
}

/**
 * Conditions and alternatives (`if: { properties: { metric: { const: ... } } }`, `not: {...}`)
 * constrain properties declared elsewhere; they declare none. Their branches that matter are
 * `$ref`s into $defs, which are walked on their own.
 */
const CONDITIONS = new Set(['if', 'then', 'else', 'not', 'anyOf', 'oneOf', 'allOf']);

/** Every property declared anywhere in the schema (`properties` of any object schema). */
function allProperties(): PropertyAt[] {
  const out: PropertyAt[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, `${path}/${i}`);
      return;
    }
    if (!isNode(node)) return;
    const properties = node.properties;
    if (isNode(properties)) {
      const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
      for (const [name, schema] of Object.entries(properties)) {
        // `{ properties: { x: true }, required: [x] }` inside oneOf/anyOf/if only names keys.
        if (schema === true) continue;
        if (isNode(schema))
          out.push({ path: `${path}/properties/${name}`, schema, required: required.has(name) });
      }
    }
    for (const [key, value] of Object.entries(node)) if (!CONDITIONS.has(key)) visit(value, `${path}/${key}`);
  };
  visit(onDisk, '#');
  return out;
}

describe('schemas/cluster.schema.json', () => {
  it('compiles with ajv in strict mode', () => {
    const ajv = createAjv();
    expect(ajv.opts.strictSchema).toBe(true);
    expect(ajv.opts.strictTypes).toBe(true);
    expect(ajv.opts.strictRequired).toBe(true);
    expect(() => ajv.compile(onDisk)).not.toThrow();
  });

  it('is what src/config/cluster.validate.js was generated from (npm run build regenerates it)', () => {
    expect(readFileSync(VALIDATOR_PATH, 'utf8')).toBe(generateValidator());
  });

  it('judges like the precompiled validator: same errors for the same data', () => {
    const fresh = createAjv().compile(onDisk);
    const samples: unknown[] = [
      { cluster: 'c', services: { web: { min: 1, max: 'x' } } },
      { groups: { a: { min: -1, extra: true } }, prune: { max: '200%' } },
      { schedules: [{ recurrence: 5 }], region: 'nowhere' },
      { cluster: 'ok', enabled: true, services: { w: { min: 1, max: 2 } } },
    ];
    for (const data of samples) {
      const expected = fresh(data) ? [] : (fresh.errors ?? []);
      const actual = precompiled(data) ? [] : (precompiled.errors ?? []);
      expect(actual.map(({ instancePath, keyword, message }) => [instancePath, keyword, message])).toEqual(
        expected.map(({ instancePath, keyword, message }) => [instancePath, keyword, message]),
      );
    }
  });

  it('counts lengths in code points, as JSON Schema does', () => {
    expect(ucs2length('abc')).toBe(3);
    expect(ucs2length('a😀b')).toBe(3);
    expect(ucs2length('\ud83d')).toBe(1);
    expect(ucs2length('')).toBe(0);
  });

  it('names itself: draft 2020-12, an $id and a title', () => {
    expect(onDisk.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(onDisk.$id).toEqual(expect.any(String));
    expect(onDisk.title).toEqual(expect.any(String));
  });

  it('describes every property', () => {
    const properties = allProperties();
    expect(properties.length).toBeGreaterThan(50);
    const missing = properties
      .filter((p) => typeof resolve(p.schema).description !== 'string')
      .map((p) => p.path);
    expect(missing).toEqual([]);
  });

  it('gives every optional property a default, or says in $comment why there is none', () => {
    const missing = allProperties()
      .filter((p) => !p.required)
      .filter((p) => {
        const own = p.schema;
        const resolved = resolve(own);
        const noDefault = [own.$comment, resolved.$comment].some(
          (c) => typeof c === 'string' && c.startsWith('no default'),
        );
        return !('default' in own) && !('default' in resolved) && !noDefault;
      })
      .map((p) => p.path);
    expect(missing).toEqual([]);
  });

  it('has defaults that are valid values of their own properties', () => {
    const ajv = createAjv();
    ajv.addSchema(onDisk);
    const bad: string[] = [];
    for (const p of allProperties()) {
      const resolved = resolve(p.schema);
      if (!('default' in resolved)) continue;
      const validate = ajv.getSchema(`${onDisk.$id as string}${p.path}`);
      if (!validate) throw new Error(`no schema at ${p.path}`);
      if (!validate(resolved.default)) bad.push(`${p.path}: ${JSON.stringify(resolved.default)}`);
    }
    expect(bad).toEqual([]);
  });

  it('forbids unknown keys in every object schema with fixed keys', () => {
    const open: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) visit(item, `${path}/${i}`);
        return;
      }
      if (!isNode(node)) return;
      const properties = node.properties;
      // Schemas whose properties are all `true` only name keys for `required` (inside anyOf etc.).
      const declares = isNode(properties) && Object.values(properties).some((v) => v !== true);
      if (declares && node.additionalProperties !== false) open.push(path);
      for (const [key, value] of Object.entries(node))
        if (!CONDITIONS.has(key)) visit(value, `${path}/${key}`);
    };
    visit(onDisk, '#');
    expect(open).toEqual([]);
  });

  it('is what loadSchema returns, as a copy the caller may change', () => {
    const a = loadSchema();
    expect(a).toEqual(onDisk);
    a.title = 'changed';
    expect(loadSchema().title).toBe(onDisk.title);
  });
});

describe('message helpers', () => {
  it('measures edit distance', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('min', 'min')).toBe(0);
    expect(levenshtein('mn', 'min')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    // A swap of neighbours is one edit.
    expect(levenshtein('mni', 'min')).toBe(1);
    expect(levenshtein('versoin', 'version')).toBe(1);
  });

  it('suggests a close key, a differently-cased one first, and nothing when far off', () => {
    expect(didYouMean('servics', ['services', 'groups'])).toBe('services');
    expect(didYouMean('MIN', ['min', 'max'])).toBe('min');
    expect(didYouMean('get', ['GET', 'POST'])).toBe('GET');
    expect(didYouMean('prometheus', ['third_party', 'cloudwatch'])).toBeUndefined();
    // Short words get a distance of one at most: "mx" is one edit from "max" and from "min"? no: two from min.
    expect(didYouMean('mx', ['min', 'max'])).toBe('max');
    expect(didYouMean('ab', ['min', 'max'])).toBeUndefined();
  });

  it('shows property paths in dotted form with list indexes', () => {
    const data = { services: { worker: { events: [{ metric: 'x' }] } }, groups: { 'web asg': {} } };
    expect(displayPath(data, [])).toBe('the file');
    expect(displayPath(data, ['services', 'worker', 'events', '0', 'metric'])).toBe(
      'services.worker.events[0].metric',
    );
    expect(displayPath(data, ['groups', 'web asg'])).toBe('groups["web asg"]');
  });
});
