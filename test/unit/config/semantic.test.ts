import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../../../src/config/diagnostics.ts';
import { validateSources } from '../../../src/config/index.ts';
import { parseSource } from '../../../src/config/load.ts';
import { cronProblem, locateInScalar, parseAdjust, parseDuration } from '../../../src/config/semantic.ts';

const schema = JSON.parse(
  await readFile(new URL('../../../schemas/cluster.schema.json', import.meta.url), 'utf8'),
) as {
  $defs: { duration: { pattern: string } };
};

/** Validates one in-memory file; returns its diagnostics as `line:col: severity: message`. */
function check(text: string, env: Record<string, string> = {}): string[] {
  const parsed = parseSource(text, 'c.yml', 'c.yml', env);
  const { diagnostics } = validateSources([parsed.file]);
  return sortDiagnostics([...parsed.diagnostics, ...diagnostics]).map((d) =>
    formatDiagnostic(d).replace(/^c\.yml:/, ''),
  );
}

describe('parseDuration', () => {
  it('reads seconds, units and sums of units', () => {
    expect(parseDuration(600)).toBe(600);
    expect(parseDuration('600')).toBe(600);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('2d')).toBe(172_800);
    expect(parseDuration('1h 30m')).toBe(5400);
    for (const bad of ['', '10 minutes', '2w', '-5m', '1.5h', 'm', -1, Number.NaN, null, true]) {
      expect(parseDuration(bad), String(bad)).toBeUndefined();
    }
  });

  it("accepts exactly the strings the schema's pattern accepts", () => {
    const pattern = new RegExp(schema.$defs.duration.pattern, 'u');
    const piece = fc.oneof(
      fc.constantFrom('s', 'm', 'h', 'd', 'w', ' ', '.', '-', 'x'),
      fc.integer({ min: 0, max: 999 }).map(String),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(parseDuration(text) !== undefined, JSON.stringify(text)).toBe(pattern.test(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseAdjust', () => {
  it('reads counts and signed percents', () => {
    expect(parseAdjust(2)).toEqual({ amount: 2, percent: false });
    expect(parseAdjust(-1)).toEqual({ amount: -1, percent: false });
    expect(parseAdjust('10%')).toEqual({ amount: 10, percent: true });
    expect(parseAdjust('-25%')).toEqual({ amount: -25, percent: true });
    expect(parseAdjust('+150%')).toEqual({ amount: 150, percent: true });
    expect(parseAdjust('10 %')).toBeUndefined();
    expect(parseAdjust(1.5)).toBeUndefined();
    expect(parseAdjust('ten%')).toBeUndefined();
  });
});

describe('cronProblem', () => {
  it('accepts Unix cron: values, ranges, steps, lists and names', () => {
    for (const ok of [
      '0 22 * * *',
      '*/15 0-23/2 1,15 JAN-MAR mon-fri',
      '30 6 * * 1-5',
      '0 0 1 1 7',
      '0 8 * * SUN',
    ]) {
      expect(cronProblem(ok), ok).toBeUndefined();
    }
  });

  it('says which field is wrong, and where it starts', () => {
    expect(cronProblem('0 24 * * *')).toEqual({ message: 'hour field "24" is out of range 0-23', offset: 2 });
    expect(cronProblem('0 0 0 * *')).toEqual({
      message: 'day-of-month field "0" is out of range 1-31',
      offset: 4,
    });
    expect(cronProblem('5-1 * * * *')?.message).toBe('minute field "5-1" has a range that runs backwards');
    expect(cronProblem('*/0 * * * *')?.message).toBe('minute field "*/0" has a step of 0');
    expect(cronProblem('0 0 * FOO *')?.message).toMatch(
      /^month field "FOO" has "FOO", which is not a number or a name/,
    );
    expect(cronProblem('0 0 * * * *')?.message).toMatch(/^must have 5 fields .*not 6$/);
    expect(cronProblem('0 22 * * ? *')?.message).toMatch(/EventBridge/);
    expect(cronProblem('cron(0 22 * * *)')?.message).toMatch(/without cron\(\.\.\.\)/);
  });
});

describe('locateInScalar', () => {
  const file = parseSource(
    [
      'a: plain text here',
      "b: 'single quoted'",
      'c: "double \\" escaped"',
      'd: >-',
      '  folded',
      '  lines',
    ].join('\n'),
    'x.yml',
    'x.yml',
    {},
  ).file;

  it('adds the offset inside a one-line plain or quoted scalar', () => {
    expect(locateInScalar(file, ['a'], 6)).toEqual({ file: 'x.yml', line: 1, col: 10 });
    expect(locateInScalar(file, ['b'], 7)).toEqual({ file: 'x.yml', line: 2, col: 12 });
  });

  it('falls back to the start of the scalar when the text is not the value', () => {
    expect(locateInScalar(file, ['c'], 8)).toEqual({ file: 'x.yml', line: 3, col: 4 });
    expect(locateInScalar(file, ['d'], 3)).toEqual({ file: 'x.yml', line: 4, col: 4 });
  });
});

describe('semantic warnings', () => {
  it('warns that sweep: membership with the default instance pattern reaches other fleets', () => {
    const registry = (instance: string) =>
      [
        'groups:',
        '  web: { min: 1, max: 4 }',
        'prune:',
        '  registries:',
        '    chef:',
        '      list: { url: "https://chef.example/nodes" }',
        instance,
        '      for_groups: [web]',
        '      delete: { method: DELETE, url: "https://chef.example/nodes/{id}" }',
        '      sweep: membership',
        '',
      ].join('\n');
    expect(check(registry('      # instance left at its default'))).toEqual([
      "10:7: warning: sweep: membership with the default instance pattern claims every entry named by an instance id, other fleets' too: set instance to a pattern only this fleet's entries match (like ^web-(i-[0-9a-f]+)$)",
    ]);
    expect(check(registry('      instance: "^web-(i-[0-9a-f]+)$"'))).toEqual([]);
  });

  it('warns that desired beside triggers fights the policies', () => {
    const text =
      'groups:\n  web:\n    min: 1\n    max: 4\n    desired: 2\n    triggers:\n      steady: { target_tracking: { metric: ASGAverageCPUUtilization, target: 50 } }\n';
    expect(check(text)).toEqual([
      '5:14: warning: policies own desired capacity: desired is used only to create the group, never planned against it afterwards (leave desired out when the group has triggers)',
    ]);
  });

  it('warns about an alias no event uses, and an event no value reaches', () => {
    const text = [
      'services:',
      '  worker:',
      '    min: 1',
      '    max: 3',
      '    metric_sources:',
      '      cloudwatch:',
      '        - { namespace: AWS/ECS, metric_name: CPUUtilization, statistics: [{ name: Average, alias: cpu }, { name: Maximum, alias: peak }] }',
      '    events:',
      '      - { metric: cpu, action: 1 }',
      '      - { metric: cpu, action: -1, max: 10 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      '7:130: warning: alias "peak" is not used by any event: the metric is read for nothing',
      '10:9: warning: never reached: events[0] has no min and no max, so it matches every value first',
    ]);
  });

  it('warns about a payload sent with GET, and a high-resolution period on an AWS namespace', () => {
    const text = [
      'services:',
      '  worker:',
      '    min: 1',
      '    max: 3',
      '    metric_sources:',
      '      third_party:',
      '        - { url: "https://q.example/x", payload: { a: 1 }, statistics: [{ name: n, alias: n }] }',
      '      cloudwatch:',
      '        - { namespace: AWS/SQS, metric_name: X, period: 10, statistics: [{ name: Sum, alias: s }] }',
      '    events:',
      '      - { metric: n + s, action: 1, min: 1 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      '7:50: warning: payload is only sent with method POST',
      '9:57: warning: AWS/SQS publishes at most one datapoint a minute: a period of 10s returns no data',
    ]);
  });

  it('warns when a group cannot be created from what is given', () => {
    expect(check('groups:\n  a:\n    min: 1\n    max: 2\n    launch_template: { name: web }\n')).toEqual([
      '5:5: warning: launch_template without availability_zones or subnets: the group cannot be created if it is missing',
    ]);
    expect(check('groups:\n  a:\n    subnets: [subnet-0a1b2c3d4e5f60718]\n')).toEqual([
      '3:5: warning: subnets is only used to create the group, which needs launch_template',
    ]);
  });

  it('warns about end_time on a one-time schedule and a namespace without dimensions', () => {
    const text = [
      'groups:',
      '  a:',
      '    triggers:',
      '      depth: { metric: Backlog, namespace: Custom/Jobs, upper: { threshold: 100, adjust: 1 } }',
      '    schedules:',
      '      once: { start_time: "2027-01-01T00:00:00Z", end_time: "2027-01-02T00:00:00Z", min: 2 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      '4:44: warning: no dimensions: the default (AutoScalingGroupName = this group) is an AWS/EC2 dimension; set dimensions for Custom/Jobs',
      '6:51: warning: end_time only applies to a recurring schedule (recurrence); a one-time action runs at start_time',
      '6:90: warning: nothing sets min back after this schedule sets it to 2: the group keeps min 2 (give it until: for a window, or add a schedule that sets min)',
    ]);
  });

  it('warns that cluster sizing without autoscale_group sizes nothing', () => {
    expect(check('min: 1\nmax: 2\n')).toEqual([
      "1:1: warning: min sizes the cluster's autoscale_group, which this file does not name",
    ]);
  });
});

describe('schedules that are undone or never undone (issue 12)', () => {
  it('accept a window and pairs of schedules that set a field back, quietly', () => {
    const text = [
      'groups:',
      '  web:',
      '    min: 2',
      '    max: 8',
      '    schedules:',
      '      hours: { recurrence: "0 7 * * 1-5", until: "0 19 * * 1-5", time_zone: Europe/Berlin, min: 4 }',
      '      down: { recurrence: "0 22 * * *", max: 4 }',
      '      up: { recurrence: "0 6 * * *", max: 8 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([]);
  });

  it('warn where nothing sets a field back, and where desired is also set by a schedule', () => {
    const text = [
      'groups:',
      '  web:',
      '    min: 2',
      '    max: 8',
      '    desired: 3',
      '    schedules:',
      '      down: { recurrence: "0 22 * * *", max: 4, desired: 2 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      '5:14: warning: schedule down also sets desired: this desired holds only until one of them first fires (a window, with until:, returns to it)',
      "7:46: warning: nothing sets max back after this schedule sets it to 4: the YAML's max 8 no longer applies once it fires (give it until: for a window, or add a schedule that sets max)",
      "7:58: warning: nothing sets desired back after this schedule sets it to 2: the YAML's desired 3 no longer applies once it fires (give it until: for a window, or add a schedule that sets desired)",
    ]);
  });

  it('reject a window without recurrence, with a bad until, or setting a field the group does not', () => {
    const text = [
      'groups:',
      '  web:',
      '    min: 2',
      '    schedules:',
      '      a: { start_time: "2031-01-01T00:00:00Z", until: "0 19 * * *", min: 3 }',
      '      b: { recurrence: "0 7 * * *", until: "0 19 * *", min: 3 }',
      '      c: { recurrence: "0 7 * * *", until: "0 19 * * *", min: 3, max: 5 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      '5:48: error: until ends a window that recurrence starts: give recurrence too',
      '6:44: error: until must have 5 fields (minute hour day-of-month month day-of-week), not 4',
      "7:71: error: a window returns to the group's own max at until, and the group sets no max",
    ]);
  });
});

describe('semantic errors', () => {
  it('checks schedules against the bounds of their group', () => {
    const text = [
      'groups:',
      '  web:',
      '    min: 2',
      '    max: 8',
      '    schedules:',
      '      low: { recurrence: "0 1 * * *", max: 1 }',
      '      high: { recurrence: "0 2 * * *", desired: 9 }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      "6:44: error: max (1) is below the group's min (2); set min in this schedule too",
      "6:44: warning: nothing sets max back after this schedule sets it to 1: the YAML's max 8 no longer applies once it fires (give it until: for a window, or add a schedule that sets max)",
      "7:49: error: desired (9) is above the group's max (8)",
      '7:49: warning: nothing sets desired back after this schedule sets it to 9: the group keeps desired 9 (give it until: for a window, or add a schedule that sets desired)',
    ]);
  });

  it('points at the undefined alias inside an expression', () => {
    const text = [
      'services:',
      '  worker:',
      '    min: 1',
      '    max: 3',
      '    metric_sources:',
      '      cloudwatch: [{ namespace: AWS/ECS, metric_name: CPUUtilization, statistics: [{ name: Average, alias: cpu }] }]',
      '    events:',
      '      - metric: cpu * 2 + mem',
      '        action: 1',
      '',
    ].join('\n');
    const [only, ...rest] = check(text);
    expect(rest).toEqual([]);
    expect(only).toMatch(/^8:27: error: unknown metric "mem"/);
  });

  it('accepts the percent forms and rejects a scale-in of more than everything', () => {
    const trigger = (upper: string, lower: string) =>
      `groups:\n  a:\n    triggers:\n      t: { metric: M, upper: { threshold: 80, adjust: ${upper} }, lower: { threshold: 20, adjust: ${lower} } }\n`;
    expect(check(trigger('"150%"', '"-50%"'))).toEqual([]);
    expect(check(trigger('2', '"-150%"'))).toEqual([
      '4:92: error: lower.adjust (-150%) would remove more than the whole group',
    ]);
  });
});
