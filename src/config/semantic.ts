import { isScalar } from 'yaml';
import { compileExpression, EXPRESSION_FUNCTIONS } from '../expr/index.ts';
import type { Diagnostic, Location, Severity } from './diagnostics.ts';
import type { SourceFile } from './load.ts';
import { locate, locationAt, nodeAt, type Path } from './positions.ts';
import { checkRegistry } from './registry-checks.ts';
import { clusterSchema, displayPath } from './schema.ts';

/**
 * The checks JSON Schema cannot express: relations between values (min ≤ desired ≤ max, a
 * breach_duration that is a multiple of its period), metric expressions against the aliases
 * defined beside them, cron fields, time zones, ARNs against the file's region, registry
 * regexes and URL templates, and what is declared twice across files.
 *
 * They run on data the schema may have rejected, so every check looks at types first and stays
 * silent about values of the wrong type: the schema has already said what is wrong with those.
 */

export interface CheckedFile {
  readonly file: SourceFile;
  /** The file's data after schema validation (with environment-typed values in place). */
  readonly data: unknown;
}

export interface SemanticOptions {
  /** The run's region for files that name none (--region, the action input, AWS_REGION). */
  readonly region?: string;
}

type Obj = Record<string, unknown>;

/** The keys a cluster file may have at the top level. */
const ROOT_KEYS: ReadonlySet<string> = new Set(Object.keys(clusterSchema().properties as Obj));

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const obj = (value: unknown): Obj | undefined => (isObj(value) ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const entries = (value: unknown): [string, unknown][] => (isObj(value) ? Object.entries(value) : []);

/** Collects diagnostics for one file. */
class Reporter {
  readonly file: SourceFile;
  readonly data: unknown;
  readonly diagnostics: Diagnostic[] = [];

  constructor(file: SourceFile, data: unknown) {
    this.file = file;
    this.data = data;
  }

  error(path: Path, message: string, options: At = {}): void {
    this.push('error', path, message, options);
  }

  warning(path: Path, message: string, options: At = {}): void {
    this.push('warning', path, message, options);
  }

  push(severity: Severity, path: Path, message: string, options: At): void {
    const where =
      options.offset !== undefined
        ? locateInScalar(this.file, path, options.offset)
        : locate(this.file, path, options);
    this.diagnostics.push({ ...where, severity, message });
  }

  /** The value as JSON for a message, or a plain description when it came from the environment. */
  shown(path: Path, value: string): string {
    const node = nodeAt(this.file, path);
    return isScalar(node) && this.file.interpolated.has(node) ? 'the value' : JSON.stringify(value);
  }

  where(path: Path): string {
    return displayPath(this.data, path);
  }
}

interface At {
  /** Point at the key of the last path element rather than its value. */
  readonly key?: boolean;
  /** A 0-based offset into the scalar's value (an expression's error position). */
  readonly offset?: number;
}

/**
 * The location of character `offset` of the string value at `path`. Exact for a one-line plain
 * scalar and for a quoted one without escapes (the text between the quotes is the value); for
 * anything else (block scalars, folded lines, escapes, values from the environment) the start of
 * the scalar, which is still the right line.
 */
export function locateInScalar(file: SourceFile, path: Path, offset: number): Location {
  const node = nodeAt(file, path);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range || file.interpolated.has(node)) {
    return locate(file, path);
  }
  const [start, valueEnd] = node.range;
  const source = file.text.slice(start, valueEnd);
  const clamped = Math.max(0, Math.min(offset, node.value.length));
  if (node.type === 'PLAIN' && source === node.value) return locationAt(file, start + clamped);
  if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && source.slice(1, -1) === node.value) {
    return locationAt(file, start + 1 + clamped);
  }
  return locate(file, path);
}

// ---------------------------------------------------------------------------------------------
// One file

export function checkFile(checked: CheckedFile, options: SemanticOptions = {}): Diagnostic[] {
  const r = new Reporter(checked.file, checked.data);
  const root = obj(checked.data);
  if (checked.data === undefined || checked.data === null) {
    r.warning([], 'empty file: it manages nothing');
    return r.diagnostics;
  }
  if (!root) return r.diagnostics;
  const region = str(root.region) ?? options.region;

  // (Not when a key is unknown: a misspelt `servics:` has its own error.)
  const sizing = ['min', 'max', 'cpu_buffer', 'mem_buffer'].find((k) => k in root);
  const manages = ['services', 'groups', 'prune', 'autoscale_group'].some((k) => k in root);
  if (!manages && sizing === undefined && Object.keys(root).every((k) => ROOT_KEYS.has(k))) {
    r.warning([], 'this file manages nothing: add services, groups, autoscale_group or prune');
  }
  if (sizing !== undefined && !('autoscale_group' in root)) {
    r.warning([sizing], `${sizing} sizes the cluster's autoscale_group, which this file does not name`, {
      key: true,
    });
  }
  checkBounds(r, [], root);
  for (const [name, service] of entries(root.services)) checkService(r, ['services', name], service);
  for (const [name, group] of entries(root.groups)) {
    checkGroup(r, ['groups', name], group, region, str(root.role_arn));
  }
  if (isObj(root.prune)) checkPrune(r, ['prune'], root.prune, Object.keys(obj(root.groups) ?? {}));
  return r.diagnostics;
}

/** min ≤ desired ≤ max among the keys present. */
function checkBounds(r: Reporter, path: Path, spec: Obj): void {
  const min = num(spec.min);
  const max = num(spec.max);
  const desired = num(spec.desired);
  if (min !== undefined && max !== undefined && max < min) {
    r.error([...path, 'max'], `max (${max}) is below min (${min})`);
  }
  if (desired !== undefined && min !== undefined && desired < min) {
    r.error([...path, 'desired'], `desired (${desired}) is below min (${min})`);
  }
  if (desired !== undefined && max !== undefined && desired > max) {
    r.error([...path, 'desired'], `desired (${desired}) is above max (${max})`);
  }
}

// ---------------------------------------------------------------------------------------------
// ECS services

function checkService(r: Reporter, path: Path, service: unknown): void {
  if (!isObj(service)) return;
  checkBounds(r, path, service);

  // Aliases: unique in the service, usable as names in expressions.
  const aliases = new Map<string, Path>();
  const sources = obj(service.metric_sources) ?? {};
  for (const kind of ['third_party', 'cloudwatch'] as const) {
    list(sources[kind]).forEach((source, i) => {
      const sourcePath = [...path, 'metric_sources', kind, i];
      if (!isObj(source)) return;
      if (kind === 'third_party') checkThirdParty(r, sourcePath, source);
      else checkCloudWatchSource(r, sourcePath, source);
      list(source.statistics).forEach((statistic, j) => {
        const alias = str(obj(statistic)?.alias);
        if (alias === undefined) return;
        const aliasPath = [...sourcePath, 'statistics', j, 'alias'];
        const first = aliases.get(alias);
        if (first) {
          const at = locate(r.file, first);
          r.error(
            aliasPath,
            `duplicate alias "${alias}" in ${r.where(path)} (first defined at line ${at.line})`,
          );
          return;
        }
        aliases.set(alias, aliasPath);
        if (EXPRESSION_FUNCTIONS.includes(alias)) {
          r.error(
            aliasPath,
            `alias "${alias}" is the name of a function events can call: choose another name`,
          );
          return;
        }
        // Whatever else the expression language reserves: the alias alone must be a valid
        // expression. (A non-identifier has been reported by the schema.)
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) return;
        const alone = compileExpression(alias, { variables: new Set([alias]) });
        if (!alone.ok) r.error(aliasPath, `alias "${alias}" cannot be used in events: ${alone.message}`);
      });
    });
  }

  // Events: each metric compiles against exactly this service's aliases.
  const variables = new Set(aliases.keys());
  const used = new Set<string>();
  let allCompiled = true;
  let catchAll: number | undefined;
  list(service.events).forEach((event, k) => {
    const eventPath = [...path, 'events', k];
    if (!isObj(event)) return;
    const metric = str(event.metric);
    if (metric !== undefined) {
      const result = compileExpression(metric, { variables });
      if (result.ok) {
        for (const name of result.expression.variables) used.add(name);
      } else {
        allCompiled = false;
        r.error(
          [...eventPath, 'metric'],
          result.message,
          result.offset === undefined ? {} : { offset: result.offset },
        );
      }
    }
    const min = num(event.min);
    const max = num(event.max);
    if (min !== undefined && max !== undefined && max < min) {
      r.error([...eventPath, 'max'], `max (${max}) is below min (${min}): this event can never match`);
    }
    if (catchAll !== undefined) {
      if (catchAll === k - 1) {
        r.warning(
          eventPath,
          `never reached: events[${catchAll}] has no min and no max, so it matches every value first`,
        );
      }
    } else if ((event.min ?? null) === null && (event.max ?? null) === null) {
      catchAll = k;
    }
  });
  if (allCompiled && Array.isArray(service.events)) {
    for (const [alias, aliasPath] of aliases) {
      if (!used.has(alias))
        r.warning(aliasPath, `alias "${alias}" is not used by any event: the metric is read for nothing`);
    }
  }
}

function checkThirdParty(r: Reporter, path: Path, source: Obj): void {
  const url = str(source.url);
  if (url !== undefined) {
    const problem = httpUrlProblem(url);
    if (problem) r.error([...path, 'url'], `${r.where([...path, 'url'])} ${problem}`);
  }
  if ((source.method ?? 'GET') === 'GET' && source.payload !== undefined && source.payload !== null) {
    r.warning([...path, 'payload'], 'payload is only sent with method POST');
  }
}

function checkCloudWatchSource(r: Reporter, path: Path, source: Obj): void {
  const namespace = str(source.namespace);
  const period = num(source.period);
  if (namespace?.startsWith('AWS/') && period !== undefined && HIGH_RESOLUTION.has(period)) {
    r.warning(
      [...path, 'period'],
      `${namespace} publishes at most one datapoint a minute: a period of ${period}s returns no data`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Auto Scaling groups

function checkGroup(
  r: Reporter,
  path: Path,
  group: unknown,
  region: string | undefined,
  roleArn: string | undefined,
): void {
  if (!isObj(group)) return;
  checkBounds(r, path, group);
  const triggers = entries(group.triggers);
  const schedules = entries(group.schedules);

  const setsDesired = schedules.filter(
    ([, s]) => num(obj(s)?.desired) !== undefined && str(obj(s)?.until) === undefined,
  );
  if (num(group.desired) !== undefined && triggers.length > 0) {
    r.warning(
      [...path, 'desired'],
      'policies own desired capacity: desired is used only to create the group, never planned against it afterwards (leave desired out when the group has triggers)',
    );
  } else if (num(group.desired) !== undefined && setsDesired.length > 0) {
    r.warning(
      [...path, 'desired'],
      `schedule ${setsDesired.map(([n]) => n).join(', ')} also sets desired: this desired holds only until one of them first fires (a window, with until:, returns to it)`,
    );
  }
  checkSetBack(r, path, group, schedules);

  const hasTemplate = group.launch_template !== undefined;
  const hasPlacement = group.availability_zones !== undefined || group.subnets !== undefined;
  if (hasTemplate && !hasPlacement) {
    r.warning(
      [...path, 'launch_template'],
      'launch_template without availability_zones or subnets: the group cannot be created if it is missing',
      { key: true },
    );
  }
  if (!hasTemplate && hasPlacement) {
    const key = group.availability_zones !== undefined ? 'availability_zones' : 'subnets';
    r.warning([...path, key], `${key} is only used to create the group, which needs launch_template`, {
      key: true,
    });
  }

  list(group.availability_zones).forEach((zone, i) => {
    const z = str(zone);
    if (z !== undefined && region !== undefined && !z.startsWith(region)) {
      r.error(
        [...path, 'availability_zones', i],
        `availability zone ${z} is not in this file's region ${region}`,
      );
    }
  });

  const roleAccount = roleArn === undefined ? undefined : ARN.exec(roleArn)?.groups?.account;
  list(group.target_groups).forEach((arn, i) => {
    const text = str(arn);
    const parts = text === undefined ? undefined : ARN.exec(text)?.groups;
    if (!parts) return; // the schema's pattern has said what is wrong
    const itemPath = [...path, 'target_groups', i];
    if (region !== undefined && parts.region !== region) {
      r.error(itemPath, `target group is in region ${parts.region}, but this file's region is ${region}`);
    }
    if (roleAccount !== undefined && parts.account !== roleAccount) {
      r.warning(
        itemPath,
        `target group belongs to account ${parts.account}, but role_arn is in account ${roleAccount}`,
      );
    }
  });

  for (const [name, trigger] of triggers) checkTrigger(r, [...path, 'triggers', name], trigger);
  for (const [name, schedule] of schedules) checkSchedule(r, [...path, 'schedules', name], schedule, group);
}

/** Periods under a minute: only high-resolution custom metrics have datapoints that fine. */
const HIGH_RESOLUTION: ReadonlySet<number> = new Set([10, 20, 30]);

const ARN =
  /^arn:(?<partition>[a-z-]+):(?<service>[a-z0-9-]+):(?<region>[a-z0-9-]*):(?<account>\d{12}|):(?<resource>.+)$/;

function checkTrigger(r: Reporter, path: Path, trigger: unknown): void {
  if (!isObj(trigger)) return;
  const tracking = obj(trigger.target_tracking);
  if (tracking) {
    const target = num(tracking.target);
    if (tracking.metric === 'ASGAverageCPUUtilization' && target !== undefined && target > 100) {
      r.error([...path, 'target_tracking', 'target'], `target (${target}) is a CPU percentage: at most 100`);
    }
    return;
  }
  if ('target_tracking' in trigger) return;

  // Period and breach_duration: CloudWatch's EvaluationPeriods = breach_duration / period.
  const period = num(trigger.period) ?? 300;
  const breach = num(trigger.breach_duration);
  if (breach !== undefined && period > 0) {
    if (breach % period !== 0) {
      r.error(
        [...path, 'breach_duration'],
        `breach_duration (${breach}) must be a multiple of period (${period})`,
      );
    } else if (period < 3600 && breach > 86_400) {
      r.error(
        [...path, 'breach_duration'],
        `breach_duration (${breach}) is over 86400 seconds: CloudWatch evaluates at most one day of datapoints for periods under an hour`,
      );
    } else if (breach > 604_800) {
      r.error(
        [...path, 'breach_duration'],
        `breach_duration (${breach}) is over 604800 seconds (seven days), CloudWatch's limit`,
      );
    }
  }
  const namespace = str(trigger.namespace) ?? 'AWS/EC2';
  if (namespace.startsWith('AWS/') && HIGH_RESOLUTION.has(period)) {
    r.warning(
      [...path, 'period'],
      `${namespace} publishes at most one datapoint a minute: a period of ${period}s leaves the alarm without data`,
    );
  }
  if (namespace !== 'AWS/EC2' && namespace !== 'AWS/AutoScaling' && trigger.dimensions === undefined) {
    r.warning(
      [...path, 'namespace'],
      `no dimensions: the default (AutoScalingGroupName = this group) is an AWS/EC2 dimension; set dimensions for ${namespace}`,
    );
  }

  // Sides: upper adds, lower removes, and their thresholds leave room between them.
  const upper = obj(trigger.upper);
  const lower = obj(trigger.lower);
  checkAdjust(r, [...path, 'upper', 'adjust'], upper?.adjust, 'upper');
  checkAdjust(r, [...path, 'lower', 'adjust'], lower?.adjust, 'lower');
  const high = num(upper?.threshold);
  const low = num(lower?.threshold);
  if (high !== undefined && low !== undefined && high <= low) {
    r.error(
      [...path, 'upper', 'threshold'],
      `upper.threshold (${high}) must be above lower.threshold (${low}), or the two alarms fire together`,
    );
  }
}

/** `2`, `-1`, `"10%"`, `"-25%"` → a signed amount and whether it is a percent. */
export function parseAdjust(value: unknown): { amount: number; percent: boolean } | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { amount: value, percent: false };
  if (typeof value === 'string') {
    const match = /^([+-]?\d+)%$/.exec(value.trim());
    if (match) return { amount: Number(match[1]), percent: true };
  }
  return undefined;
}

function checkAdjust(r: Reporter, path: Path, value: unknown, side: 'upper' | 'lower'): void {
  const adjust = parseAdjust(value);
  if (!adjust) return;
  const shown = adjust.percent ? `${adjust.amount}%` : String(adjust.amount);
  if (adjust.amount === 0) {
    r.error(path, `${side}.adjust must not be ${shown}: it would change nothing`);
  } else if (side === 'upper' && adjust.amount < 0) {
    r.error(path, `upper.adjust must be positive: the upper side adds capacity (got ${shown})`);
  } else if (side === 'lower' && adjust.amount > 0) {
    r.error(
      path,
      `lower.adjust must be negative: the lower side removes capacity (got ${shown}; write -${shown})`,
    );
  } else if (side === 'lower' && adjust.percent && adjust.amount < -100) {
    r.error(path, `lower.adjust (${shown}) would remove more than the whole group`);
  }
}

/**
 * A size field that schedules set to one value only, other than the YAML's, is never set back: the
 * first occurrence changes it for good and the YAML's value no longer applies.
 */
function checkSetBack(r: Reporter, path: Path, group: Obj, schedules: readonly [string, unknown][]): void {
  for (const field of ['min', 'max', 'desired'] as const) {
    const yaml = num(group[field]);
    const setters = schedules.filter(([, s]) => num(obj(s)?.[field]) !== undefined);
    const values = new Set(
      setters.flatMap(([, s]) => {
        const value = num(obj(s)?.[field]);
        return str(obj(s)?.until) === undefined ? [value] : [value, yaml];
      }),
    );
    const [only] = values;
    if (values.size !== 1 || only === undefined || only === yaml) continue;
    for (const [name] of setters) {
      r.warning(
        [...path, 'schedules', name, field],
        `nothing sets ${field} back after this schedule sets it to ${only}: ${
          yaml === undefined
            ? `the group keeps ${field} ${only}`
            : `the YAML's ${field} ${yaml} no longer applies once it fires`
        } (give it until: for a window, or add a schedule that sets ${field})`,
      );
    }
  }
}

function checkSchedule(r: Reporter, path: Path, schedule: unknown, group: Obj): void {
  if (!isObj(schedule)) return;
  checkBounds(r, path, schedule);
  // A schedule that sets only some of min/max/desired leaves the group's others in place.
  const min = num(schedule.min);
  const max = num(schedule.max);
  const desired = num(schedule.desired);
  const groupMin = num(group.min);
  const groupMax = num(group.max);
  if (min !== undefined && max === undefined && groupMax !== undefined && min > groupMax) {
    r.error(
      [...path, 'min'],
      `min (${min}) is above the group's max (${groupMax}); set max in this schedule too`,
    );
  }
  if (max !== undefined && min === undefined && groupMin !== undefined && max < groupMin) {
    r.error(
      [...path, 'max'],
      `max (${max}) is below the group's min (${groupMin}); set min in this schedule too`,
    );
  }
  if (desired !== undefined) {
    const effectiveMin = min ?? groupMin;
    const effectiveMax = max ?? groupMax;
    if (min === undefined && effectiveMin !== undefined && desired < effectiveMin) {
      r.error([...path, 'desired'], `desired (${desired}) is below the group's min (${effectiveMin})`);
    }
    if (max === undefined && effectiveMax !== undefined && desired > effectiveMax) {
      r.error([...path, 'desired'], `desired (${desired}) is above the group's max (${effectiveMax})`);
    }
  }

  const recurrence = str(schedule.recurrence);
  if (recurrence !== undefined) {
    const problem = cronProblem(recurrence);
    if (problem) {
      r.error(
        [...path, 'recurrence'],
        `recurrence ${problem.message}`,
        problem.offset === undefined ? {} : { offset: problem.offset },
      );
    }
  }
  const until = str(schedule.until);
  if (until !== undefined) {
    const problem = cronProblem(until);
    if (problem) {
      r.error(
        [...path, 'until'],
        `until ${problem.message}`,
        problem.offset === undefined ? {} : { offset: problem.offset },
      );
    }
    if (recurrence === undefined) {
      r.error([...path, 'until'], 'until ends a window that recurrence starts: give recurrence too', {
        key: true,
      });
    }
    for (const field of ['min', 'max', 'desired'] as const) {
      if (num(schedule[field]) !== undefined && num(group[field]) === undefined) {
        r.error(
          [...path, field],
          `a window returns to the group's own ${field} at until, and the group sets no ${field}`,
        );
      }
    }
  }
  const zone = str(schedule.time_zone);
  if (zone !== undefined && !isTimeZone(zone)) {
    r.error(
      [...path, 'time_zone'],
      `time_zone ${r.shown([...path, 'time_zone'], zone)} is not an IANA time zone (like Europe/Berlin or Etc/UTC)`,
    );
  }
  const start = str(schedule.start_time);
  const end = str(schedule.end_time);
  if (end !== undefined && recurrence === undefined) {
    r.warning(
      [...path, 'end_time'],
      'end_time only applies to a recurring schedule (recurrence); a one-time action runs at start_time',
      {
        key: true,
      },
    );
  }
  if (start !== undefined && end !== undefined) {
    const s = Date.parse(start);
    const e = Date.parse(end);
    if (Number.isFinite(s) && Number.isFinite(e) && e <= s) {
      r.error([...path, 'end_time'], 'end_time must be after start_time');
    }
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/**
 * Auto Scaling's recurrence is Unix cron: five fields, each `*`, a value, a range `a-b`, a step
 * `* /n` or `a-b/n`, or a comma list of those; months and weekdays may be names (JAN, MON).
 * Returns what is wrong and where (offset into the text), or undefined when it is fine.
 */
export function cronProblem(text: string): { message: string; offset?: number } | undefined {
  if (/^cron\(/i.test(text.trim())) {
    return { message: 'is Unix cron without cron(...): five fields, like "0 22 * * *"', offset: 0 };
  }
  const fields: { text: string; offset: number }[] = [];
  for (const match of text.matchAll(/\S+/g)) fields.push({ text: match[0], offset: match.index });
  if (fields.length !== 5) {
    const hint = fields.some((f) => f.text === '?')
      ? ' (EventBridge-style "?" and a year field are not Unix cron)'
      : '';
    return {
      message: `must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}${hint}`,
    };
  }
  for (let i = 0; i < 5; i++) {
    const field = fields[i] as { text: string; offset: number };
    const spec = CRON_FIELDS[i] as (typeof CRON_FIELDS)[number];
    const problem = cronFieldProblem(field.text, spec);
    if (problem)
      return { message: `${spec.name} field ${JSON.stringify(field.text)} ${problem}`, offset: field.offset };
  }
  return undefined;
}

function cronFieldProblem(text: string, spec: (typeof CRON_FIELDS)[number]): string | undefined {
  const names: readonly string[] = 'names' in spec ? spec.names : [];
  const value = (part: string): number | undefined => {
    if (/^\d+$/.test(part)) return Number(part);
    const index = names.indexOf(part.toUpperCase());
    if (index < 0) return undefined;
    return spec.name === 'month' ? index + 1 : index;
  };
  for (const item of text.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) return `is not a cron field (use *, 5, 1-5, */15 or 1,15)`;
    const [, range, step] = match;
    if (step !== undefined && Number(step) === 0) return 'has a step of 0';
    if (range === '*' || range === undefined) continue;
    for (const bound of range.split('-')) {
      const v = value(bound);
      if (v === undefined)
        return `has ${JSON.stringify(bound)}, which is not a number${names.length ? ` or a name (${names.join(', ')})` : ''}`;
      if (v < spec.min || v > spec.max) return `is out of range ${spec.min}-${spec.max}`;
    }
    const [from, to] = range.split('-').map(value);
    if (from !== undefined && to !== undefined && to < from) return 'has a range that runs backwards';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Prune

/** Seconds in `90s`, `10m`, `1h30m`, `2d`, `"600"` or 600; undefined when it does not parse. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+\s*[smhd]\s*)+$/.test(text)) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  let seconds = 0;
  for (const match of text.matchAll(/(\d+)\s*([smhd])/g))
    seconds += Number(match[1]) * (unit[match[2] as string] ?? 0);
  return seconds;
}

function checkPrune(r: Reporter, path: Path, prune: Obj, groups: readonly string[]): void {
  // grace: the schema's pattern is exactly what parseDuration reads (a unit test holds the two
  // together), so a bad duration has its error already.
  const enabled =
    prune.ecs_container_instances === true ||
    prune.target_groups === true ||
    (prune.instance_alarms !== undefined && prune.instance_alarms !== false) ||
    entries(prune.registries).length > 0;
  if (!enabled) {
    r.warning(
      path,
      'prune enables nothing: set ecs_container_instances, target_groups, instance_alarms or registries',
      { key: true },
    );
  }
  const context = { groups, urlProblem: httpUrlProblem };
  for (const [name, registry] of entries(prune.registries))
    checkRegistry(r, [...path, 'registries', name], registry, context);
}

/** What is wrong with an http(s) URL, phrased to follow its path; never repeats the URL (credentials). */
function httpUrlProblem(url: string): string | undefined {
  // A reference left unresolved has been reported by interpolation already.
  if (url.includes('${') || url.includes('%(')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL (like https://host/path)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `must be an http:// or https:// URL (not ${parsed.protocol}//)`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Across files

/**
 * What is declared twice: a group (per account and region), a service of the same cluster, a
 * cluster's capacity (autoscale_group, min, max, buffers), or an Auto Scaling group that is both
 * a cluster's autoscale_group and an entry of groups with its own bounds. The first place (files
 * in path order, then document order) wins; the second is the error.
 */
export function checkAcrossFiles(files: readonly CheckedFile[], options: SemanticOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const groups = new Map<string, Location>();
  const services = new Map<string, Location>();
  const capacity = new Map<string, Location>();
  const asgOwners = new Map<string, { at: Location; bounds: boolean; kind: 'groups' | 'autoscale_group' }>();
  const at = (loc: Location): string => `${loc.file}:${loc.line}:${loc.col}`;

  for (const { file, data } of files) {
    const root = obj(data);
    if (!root) continue;
    const scope = `${str(root.region) ?? options.region ?? ''}\u0000${accountOf(str(root.role_arn))}`;
    const cluster = str(root.cluster) ?? file.stem;
    const clusterKey = `${scope}\u0000${cluster}`;
    const error = (path: Path, message: string, key = true): void => {
      diagnostics.push({ ...locate(file, path, { key }), severity: 'error', message });
    };

    for (const [name] of entries(root.groups)) {
      const key = `${scope}\u0000${name}`;
      const first = groups.get(key);
      if (first) error(['groups', name], `group "${name}" is already managed at ${at(first)}`);
      else groups.set(key, locate(file, ['groups', name], { key: true }));
    }
    for (const [name] of entries(root.services)) {
      const key = `${clusterKey}\u0000${name}`;
      const first = services.get(key);
      if (first)
        error(
          ['services', name],
          `service "${name}" of cluster ${cluster} is already managed at ${at(first)}`,
        );
      else services.set(key, locate(file, ['services', name], { key: true }));
    }
    const capacityKey = ['autoscale_group', 'min', 'max', 'cpu_buffer', 'mem_buffer'].find((k) => k in root);
    if (capacityKey !== undefined) {
      const first = capacity.get(clusterKey);
      if (first)
        error([capacityKey], `the capacity of cluster ${cluster} is already configured at ${at(first)}`);
      else capacity.set(clusterKey, locate(file, [capacityKey], { key: true }));
    }

    // One Auto Scaling group sized from two places is resized back and forth on every run.
    const owners: { name: string; path: Path; bounds: boolean; kind: 'groups' | 'autoscale_group' }[] = [];
    const asg = str(root.autoscale_group);
    if (asg !== undefined) {
      owners.push({
        name: asg,
        path: ['autoscale_group'],
        bounds: 'min' in root || 'max' in root,
        kind: 'autoscale_group',
      });
    }
    for (const [name, group] of entries(root.groups)) {
      const g = obj(group) ?? {};
      owners.push({
        name,
        path: ['groups', name],
        bounds: ['min', 'max', 'desired'].some((k) => k in g),
        kind: 'groups',
      });
    }
    for (const owner of owners) {
      const key = `${scope}\u0000${owner.name}`;
      const first = asgOwners.get(key);
      const here = locate(file, owner.path, { key: true });
      if (!first) {
        asgOwners.set(key, { at: here, bounds: owner.bounds, kind: owner.kind });
      } else if (first.kind !== owner.kind && first.bounds && owner.bounds) {
        diagnostics.push({
          ...here,
          severity: 'error',
          message: `Auto Scaling group "${owner.name}" is sized both as a cluster's autoscale_group and as an entry of groups (first at ${at(first.at)}): set min/max in one place`,
        });
      }
    }
  }
  return diagnostics;
}

function accountOf(roleArn: string | undefined): string {
  return roleArn === undefined ? '' : (ARN.exec(roleArn)?.groups?.account ?? '');
}
