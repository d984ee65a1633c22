/**
 * The quick parser (src/config/quick-parse.ts) must give exactly yaml's Document (nodes, values,
 * ranges, line starts, data) for every text it accepts, and must leave to yaml every text yaml
 * finds anything wrong with. Checked on every YAML file of the repository's fixtures and
 * examples, through the whole config stage (same diagnostics, same validated data), and on
 * generated documents, valid ones in many styles and damaged ones.
 */
import { globSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq } from 'yaml';
import { formatDiagnostic } from '../../../src/config/diagnostics.ts';
import { addDuplicateKeyErrors } from '../../../src/config/duplicates.ts';
import { validateSources } from '../../../src/config/index.ts';
import { type ParserChoice, parseSource } from '../../../src/config/load.ts';
import { parseAcceptingPercentValues } from '../../../src/config/percent.ts';
import { quickParse } from '../../../src/config/quick-parse.ts';

const OPTIONS = { prettyErrors: false, uniqueKeys: false, merge: false } as const;
const ROOT = new URL('../../../', import.meta.url).pathname;
const RUNS = Number(process.env.QUICK_PARSE_RUNS ?? 1000);
const FILES = globSync(['clusters/**/*.{yml,yaml}', 'test/fixtures/**/*.{yml,yaml}'], { cwd: ROOT }).sort();

/** What of a node the later stages read: kind, style, value, where it starts (and a scalar ends). */
function shape(node: unknown): unknown {
  if (isScalar(node)) {
    return ['scalar', node.type, node.value, node.range?.[0], node.range?.[1], node.source, node.format];
  }
  if (isMap(node)) {
    return [
      'map',
      node.flow === true,
      node.range?.[0],
      node.items.map((p) => [shape(p.key), shape(p.value)]),
    ];
  }
  if (isSeq(node)) return ['seq', node.flow === true, node.range?.[0], node.items.map(shape)];
  return ['other', node === null ? null : typeof node];
}

/** Differences between the quick parser and yaml for `text`; 'declined' when the quick one declines. */
function differences(text: string): string[] | 'declined' {
  const quick = quickParse(text, OPTIONS);
  if (quick === undefined) return 'declined';
  const yaml = parseAcceptingPercentValues(text, OPTIONS);
  const found: string[] = [];
  const problems = [...yaml.doc.errors, ...yaml.doc.warnings].map((e) => `${e.code} at ${e.pos[0]}`);
  if (problems.length > 0) found.push(`accepted a text yaml reports: ${problems.join(', ')}`);
  if (!isDeepStrictEqual(shape(quick.doc.contents), shape(yaml.doc.contents))) found.push('different nodes');
  if (!isDeepStrictEqual(quick.lineCounter.lineStarts, yaml.lineCounter.lineStarts))
    found.push('different lines');
  const data = yaml.doc.toJS();
  if (!isDeepStrictEqual(quick.doc.toJS(), data)) found.push("different toJS() of the quick parser's nodes");
  if (!isDeepStrictEqual(quick.data, data)) found.push('different data');
  addDuplicateKeyErrors(yaml.doc);
  if (quick.uniqueKeys !== (yaml.doc.errors.length === 0)) found.push('different verdict on repeated keys');
  return found;
}

describe('the quick parser', () => {
  it("gives yaml's own document for every fixture and example it accepts", () => {
    expect(FILES.length).toBeGreaterThan(100);
    let accepted = 0;
    for (const file of FILES) {
      const result = differences(readFileSync(`${ROOT}${file}`, 'utf8'));
      if (result === 'declined') continue;
      accepted++;
      expect(result, file).toEqual([]);
    }
    // Most fixtures have one mistake for the schema or the semantic checks, not for YAML.
    expect(accepted).toBeGreaterThan(FILES.length * 0.8);
  });

  it("is what parses the examples and the bench fleet's shape of file", () => {
    for (const file of ['clusters/jobs.yml', 'clusters/web.yml', 'test/fixtures/contract/example.yml']) {
      const text = readFileSync(`${ROOT}${file}`, 'utf8');
      expect(quickParse(text, OPTIONS), file).toBeDefined();
    }
    expect(quickParse(FLEET_FILE, OPTIONS)).toBeDefined();
    expect(differences(FLEET_FILE)).toEqual([]);
  });

  it('leaves tabs, `%` values, anchors, tags, block scalars, `?` keys and several documents to yaml', () => {
    for (const text of [
      'a:\n\tb: 1\n',
      'max: %(MAX)\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: >-\n  text\n',
      '? a\n: b\n',
      'a: 1\n---\nb: 2\n',
      '',
      '# only a comment\n',
      'a:\n  -\n  - 1\n',
      'a: {b}\n',
    ]) {
      expect(quickParse(text, OPTIONS), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('gives the whole config stage the same diagnostics and data as yaml, fixture by fixture', () => {
    for (const file of FILES) {
      const text = readFileSync(`${ROOT}${file}`, 'utf8');
      const env = Object.fromEntries(
        [...text.matchAll(/^# env: ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]),
      );
      const stage = (parser: ParserChoice) => {
        const parsed = parseSource(text, file, file, env, 'error', parser);
        const validated = validateSources([parsed.file], { region: 'us-east-1' });
        return {
          diagnostics: [...parsed.diagnostics, ...validated.diagnostics].map(formatDiagnostic),
          clusters: validated.clusters.map((c) => [c.cluster, c.config]),
          secrets: [...parsed.secrets, ...validated.secrets],
          data: parsed.file.data,
        };
      };
      expect(stage('quick'), file).toEqual(stage('yaml'));
    }
  });

  it('agrees with yaml on generated documents, or declines them', () => {
    let accepted = 0;
    fc.assert(
      fc.property(document, (text) => {
        const result = differences(text);
        if (result === 'declined') return;
        accepted++;
        expect(result, JSON.stringify(text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The generator's documents are mostly well-formed: most must take the quick path.
    expect(accepted).toBeGreaterThan(RUNS / 2);
  });

  it('agrees with yaml on damaged documents, or declines them', () => {
    let accepted = 0;
    fc.assert(
      fc.property(damaged, (text) => {
        const result = differences(text);
        if (result === 'declined') return;
        accepted++;
        expect(result, JSON.stringify(text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // Many damaged texts are still YAML (a space more, a `#` that starts a comment): those count.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('agrees with yaml on the edges of a file and of a line', () => {
    const texts = [
      '\uFEFFa: 1\n',
      'a: 1\r\nb:\r\n  - x\r\n',
      'a: 1',
      'a:',
      'a:    # empty\nb: 2\n',
      '# head\n\n---\na: 1\n...\n',
      'a: 1 # c\n# c\n\nb: [1, 2, ] # c\n',
      'a: "multi\n  line"\nb: \'one\n\n  two\'\n',
      'a: plain\n  continued\n  again\n',
      'a: {b: , c: d}\n',
      '"a": 1\n\'b\': 2\n"": 3\n',
      'a: 1\na: 2\n',
      '1: a\n"1": b\nnull: c\n~: d\ntrue: e\n',
      '__proto__: 1\nconstructor: 2\n',
      'a: -\nb: --\nc: - x\n',
      'a: [b: 1, c]\n',
      'a: [{b: 1}, [c, d], ]\n',
      'a: { }\nb: [ ]\n',
      `${'k'.repeat(1025)}: 1\n`,
      `a: {${'k'.repeat(1025)}: 1}\n`,
    ];
    let accepted = 0;
    for (const text of texts) {
      const result = differences(text);
      if (result === 'declined') continue;
      accepted++;
      expect(result, JSON.stringify(text)).toEqual([]);
    }
    expect(accepted).toBeGreaterThan(texts.length / 2);
  });
});

/** The bench fleet's lines (bench/lib/fleet.ts writeFleetConfig), two of each. */
const FLEET_FILE = [
  'region: us-east-1',
  'cluster: fleet-c00',
  'enabled: true',
  'autoscale_group: fleet-c00-capacity-asg',
  'cpu_buffer: 0',
  'min: 1',
  'max: 6',
  'services:',
  '  svc-000:',
  '    min: 1',
  '    max: 4',
  '    metric_sources:',
  '      cloudwatch:',
  '        - namespace: AWS/ECS',
  '          metric_name: CPUUtilization',
  '          dimensions: [{ name: ClusterName, value: fleet-c00 }, { name: ServiceName, value: svc-000 }]',
  '          period: 60',
  '          statistics: [{ name: Average, alias: cpu }]',
  '    events:',
  '      - { metric: cpu, action: 1, min: 90, max: null }',
  '      - { metric: cpu, action: -1, min: null, max: 5 }',
  'prune:',
  '  grace: 10m',
  '  max: 25%',
  '  target_groups: true',
  'groups:',
  '  fleet-g0000-asg:',
  '    min: 0',
  '    max: 4',
  '    target_groups: [arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fleet-tg-00/0123456789abcdef]',
  '    triggers:',
  '      cpu: { metric: CPUUtilization, period: 60, breach_duration: 180, upper: { threshold: 80, adjust: 1 }, lower: { threshold: 20, adjust: -1 } }',
  '    schedules:',
  '      nightly: { recurrence: "0 22 * * *", max: 4 }',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Generated YAML: a random tree written in random styles.

type Tree =
  | { kind: 'scalar'; text: string }
  | { kind: 'map'; entries: [string, Tree][] }
  | { kind: 'seq'; items: Tree[] };

/** Plain scalars: every core-schema form and its near misses, names, URLs, cron-ish text. */
const plain = fc.constantFrom(
  'web',
  'svc-000',
  'us-east-1',
  'a.b',
  'a:b',
  'http://x.example/a?b=1',
  'a#b',
  'x y',
  'é',
  '0',
  '-1',
  '+2',
  '007',
  '0x1F',
  '0X1f',
  '0o17',
  '0o8',
  '0b1',
  '1_000',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1E-2',
  '-.5e+2',
  '.inf',
  '-.Inf',
  '+.INF',
  '.NaN',
  '.nan',
  'nan',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'yes',
  'on',
  'null',
  'Null',
  'NULL',
  '~',
  '12:30',
  '2024-01-01',
  '1,000',
  '25%',
  '10m',
  '-',
  '.',
  '__proto__',
  'constructor',
);

const quoted = fc.oneof(
  plain.map((s) => `"${s}"`),
  plain.map((s) => `'${s}'`),
  fc.constantFrom(
    '"0 22 * * *"',
    "'it''s'",
    '"a\\"b"',
    '"tab\\there"',
    '"\\x41\\u00e9"',
    '""',
    "''",
    '"a # b"',
  ),
);

const keyText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('min', 'max', 'region', 'groups', 'a', 'b', 'web', 'svc-1') },
  { weight: 1, arbitrary: plain },
  { weight: 1, arbitrary: quoted },
);

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(plain, quoted, fc.constant('')).map((text) => ({ kind: 'scalar' as const, text })),
    fc
      .array(fc.tuple(keyText, tie('tree')), { minLength: 1, maxLength: 4 })
      .map((entries) => ({ kind: 'map' as const, entries })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'seq' as const, items })),
  ),
})).tree;

interface Style {
  readonly indent: number;
  /** Per collection, in order: write it in flow style. */
  readonly flow: readonly boolean[];
  readonly comments: readonly boolean[];
  readonly spaceBeforeColon: boolean;
  readonly newline: '\n' | '\r\n';
  readonly start: boolean;
  readonly finalNewline: boolean;
}

const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(1, 2, 4),
  flow: fc.array(fc.boolean(), { maxLength: 20 }),
  comments: fc.array(fc.boolean(), { maxLength: 20 }),
  spaceBeforeColon: fc.boolean(),
  newline: fc.constantFrom('\n' as const, '\r\n' as const),
  start: fc.boolean(),
  finalNewline: fc.boolean(),
});

function write(root: Tree, s: Style): string {
  let collection = 0;
  let line = 0;
  const colon = s.spaceBeforeColon ? ' :' : ':';
  const comment = () => (s.comments[line++ % Math.max(1, s.comments.length)] ? ' # note' : '');
  const flowText = (t: Tree): string => {
    if (t.kind === 'scalar') return t.text === '' ? '""' : t.text;
    if (t.kind === 'seq') return `[${t.items.map(flowText).join(', ')}]`;
    return `{ ${t.entries.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')} }`;
  };
  const isFlow = (t: Tree) =>
    t.kind !== 'scalar' && (s.flow[collection++ % Math.max(1, s.flow.length)] ?? false);
  // A block collection's lines at `depth`; a scalar or flow value follows its key on the line.
  const block = (t: Tree, depth: number): string[] => {
    const pad = ' '.repeat(depth * s.indent);
    const lines: string[] = [];
    const entries: [string | undefined, Tree][] =
      t.kind === 'map' ? t.entries : t.kind === 'seq' ? t.items.map((v) => [undefined, v]) : [];
    for (const [key, value] of entries) {
      const lead = key === undefined ? `${pad}-` : `${pad}${key}${colon}`;
      if (value.kind === 'scalar') {
        lines.push(value.text === '' ? `${lead}${comment()}` : `${lead} ${value.text}${comment()}`);
      } else if (isFlow(value)) {
        lines.push(`${lead} ${flowText(value)}${comment()}`);
      } else {
        lines.push(`${lead}${comment()}`, ...block(value, depth + 1));
      }
    }
    return lines;
  };
  const body = root.kind === 'scalar' || isFlow(root) ? [flowText(root)] : block(root, 0);
  const lines = [...(s.start ? ['---'] : []), ...body];
  return lines.join(s.newline) + (s.finalNewline ? s.newline : '');
}

/** A cluster file is a map (the quick parser leaves anything else to yaml). */
const root: fc.Arbitrary<Tree> = fc
  .array(fc.tuple(keyText, tree), { minLength: 1, maxLength: 5 })
  .map((entries) => ({ kind: 'map', entries }));

const document = fc.tuple(root, style).map(([t, s]) => write(t, s));

/** A document with a few characters deleted, inserted or replaced: mostly not valid YAML. */
const damaged = fc
  .tuple(
    document,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom(
          ...[
            '',
            ':',
            '-',
            '[',
            ']',
            '{',
            '}',
            ',',
            '#',
            "'",
            '"',
            '&',
            '*',
            '!',
            '|',
            '>',
            '?',
            ' ',
            '\n',
            '  ',
            '%',
          ],
          // Characters the two parsers might class differently: BOM, NEL, line and paragraph
          // separators, no-break space, controls, escapes.
          ...['\uFEFF', '\u0085', '\u2028', '\u2029', '\u00A0', '\u0000', '\u007F', '\u001B', '\\', '@', '`'],
        ),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, insert, replace] of edits) {
      const i = out.length === 0 ? 0 : at % out.length;
      out = out.slice(0, i) + insert + out.slice(replace ? i + 1 : i);
    }
    return out;
  });
