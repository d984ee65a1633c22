/** YAML → Desired (src/desired): defaults, parsing, and what only shows across files. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../src/config/load.ts';
import type { ClusterFile } from '../../../src/config/types.ts';
import { parseAdjustment } from '../../../src/desired/groups.ts';
import { buildDesired } from '../../../src/desired/index.ts';
import { deepFreeze, known } from '../../../src/model.ts';

function cluster(yaml: string, path: string) {
  const { file } = parseSource(yaml, path);
  return { file, config: file.data as ClusterFile, cluster: (file.data as ClusterFile).cluster ?? file.stem };
}

describe('buildDesired', () => {
  it('gives each group the file region and role, else the run region', () => {
    const { desired, diagnostics } = buildDesired(
      [
        cluster(
          'region: eu-west-1\nrole_arn: arn:aws:iam::111122223333:role/scaler\ngroups:\n  a: { min: 1 }\n',
          'clusters/a.yml',
        ),
        cluster('groups:\n  b: { min: 1 }\n', 'clusters/b.yml'),
      ],
      { region: 'us-east-1' },
    );
    expect(diagnostics).toEqual([]);
    expect(desired.groups.map((g) => [g.address, g.scope])).toEqual([
      ['a/groups/a', { region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/scaler' }],
      ['b/groups/b', { region: 'us-east-1' }],
    ]);
  });

  it('is a located error when a file with groups has no region at all', () => {
    const { desired, diagnostics } = buildDesired([cluster('groups:\n  a: { min: 1 }\n', 'clusters/a.yml')]);
    expect(desired.groups).toEqual([]);
    expect(diagnostics).toEqual([
      {
        file: 'clusters/a.yml',
        line: 1,
        col: 1,
        severity: 'error',
        message: expect.stringMatching(/no AWS region/),
      },
    ]);
  });

  it('rejects one group declared in two files of the same region', () => {
    const { diagnostics } = buildDesired(
      [
        cluster('groups:\n  web: { min: 1 }\n', 'clusters/a.yml'),
        cluster('groups:\n  web: { max: 2 }\n', 'clusters/b.yml'),
      ],
      { region: 'us-east-1' },
    );
    expect(diagnostics.map((d) => [d.file, d.line, d.message])).toEqual([
      ['clusters/b.yml', 2, 'group web is already declared at clusters/a.yml:2'],
    ]);
  });

  it('rejects two groups that would share an address (same cluster name, two regions)', () => {
    const { diagnostics } = buildDesired([
      cluster('cluster: shop\nregion: us-east-1\ngroups:\n  web: { min: 1 }\n', 'clusters/east.yml'),
      cluster('cluster: shop\nregion: eu-west-1\ngroups:\n  web: { min: 1 }\n', 'clusters/west.yml'),
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'group web of cluster shop is also declared at clusters/east.yml:4; give the files different cluster: names',
    ]);
  });

  it('keeps launch settings that cannot create a group as the reason why', () => {
    const { desired } = buildDesired(
      [cluster('groups:\n  a: { launch_template: { name: web } }\n', 'c/a.yml')],
      {
        region: 'us-east-1',
      },
    );
    expect(desired.groups[0]?.launch).toBeUndefined();
    expect(desired.groups[0]?.incompleteLaunch).toBe(
      'launch_template is set but neither availability_zones nor subnets',
    );
  });
});

describe('parseAdjustment', () => {
  it.each([
    [2, { type: 'ChangeInCapacity', value: 2 }],
    [-1, { type: 'ChangeInCapacity', value: -1 }],
    ['10%', { type: 'PercentChangeInCapacity', value: 10 }],
    ['-25%', { type: 'PercentChangeInCapacity', value: -25 }],
    ['+5%', { type: 'PercentChangeInCapacity', value: 5 }],
  ])('%s', (adjust, expected) => {
    expect(parseAdjustment(adjust)).toEqual(expected);
  });
});

describe('deepFreeze', () => {
  it('freezes through Known wrappers and maps', () => {
    const snapshot = deepFreeze({ groups: new Map([['a', known({ min: 1 })]]) });
    const entry = snapshot.groups.get('a');
    expect(() => {
      if (entry?.known) (entry.value as { min: number }).min = 2;
    }).toThrow(TypeError);
    expect(() => snapshot.groups.set('b', known({ min: 1 }))).toThrow(/read-only/);
  });
});
