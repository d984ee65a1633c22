/**
 * The validated `prune:` section of one cluster file → DesiredPrune: defaults applied (grace 10m,
 * max 25%, the default instance pattern and entry), durations in seconds, registries normalised
 * into list, delete and register specs, every object pinned to its line.
 */
import type { SourceFile } from '../config/load.ts';
import { locate, type Path } from '../config/positions.ts';
import { parseDuration } from '../config/semantic.ts';
import type { PruneConfig, RegistryConfig } from '../config/types.ts';
import { isCommandDelete, isCommandList } from '../config/types.ts';
import type {
  AwsScope,
  DesiredPrune,
  DesiredRegistry,
  Origin,
  PruneLimit,
  RegistryListSpec,
  RegistryRequestSpec,
} from '../model.ts';
import { DEFAULT_INSTANCE_PATTERN } from '../registries/match.ts';

/** Defaults of `prune:`, as schemas/cluster.schema.json documents them. */
export const PRUNE_DEFAULTS = Object.freeze({
  graceSeconds: 600,
  max: Object.freeze({ kind: 'percent', value: 25 }) as PruneLimit,
  instance: DEFAULT_INSTANCE_PATTERN,
  entry: '{instance}',
});

export interface PruneSource {
  readonly file: SourceFile;
  readonly cluster: string;
  readonly scope: AwsScope;
}

export function desiredPrune(source: PruneSource, prune: PruneConfig): DesiredPrune {
  const at = (...path: Path): Origin => origin(source.file, ['prune', ...path]);
  const address = `${source.cluster}/prune`;
  const alarms = prune.instance_alarms;
  return {
    address,
    cluster: source.cluster,
    scope: source.scope,
    origin: at(),
    graceSeconds: parseDuration(prune.grace ?? '') ?? PRUNE_DEFAULTS.graceSeconds,
    max: parseLimit(prune.max) ?? PRUNE_DEFAULTS.max,
    maxOrigin: prune.max === undefined ? at() : at('max'),
    protect: [...new Set(prune.protect ?? [])],
    ecsContainerInstances: prune.ecs_container_instances === true,
    targetGroups: prune.target_groups === true,
    ...(alarms === undefined || alarms === false
      ? {}
      : { instanceAlarms: { prefix: alarms === true ? '' : alarms.prefix } }),
    registries: Object.entries(prune.registries ?? {}).map(([name, registry]) =>
      desiredRegistry(`${address}/registries/${name}`, name, registry, at('registries', name)),
    ),
  };
}

/** `25%` → percent 25; `5` (or "5") → count 5; undefined when absent or unreadable. */
export function parseLimit(max: string | number | undefined): PruneLimit | undefined {
  if (max === undefined) return undefined;
  if (typeof max === 'number')
    return Number.isInteger(max) && max >= 0 ? { kind: 'count', value: max } : undefined;
  const text = max.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) return { kind: 'percent', value: Number(percent[1]) };
  return /^\d+$/.test(text) ? { kind: 'count', value: Number(text) } : undefined;
}

function desiredRegistry(address: string, name: string, config: RegistryConfig, at: Origin): DesiredRegistry {
  return {
    name,
    address,
    origin: at,
    list: listSpec(config.list),
    ...(config.delete === undefined ? {} : { delete: requestSpec(config.delete, 'DELETE') }),
    ...(config.register === undefined ? {} : { register: requestSpec(config.register, 'POST') }),
    instance: config.instance ?? PRUNE_DEFAULTS.instance,
    optional: config.optional === true,
    entry: config.entry ?? PRUNE_DEFAULTS.entry,
    forGroups: [...new Set(config.for_groups ?? [])],
    sweep: config.sweep === 'membership',
  };
}

function listSpec(list: RegistryConfig['list']): RegistryListSpec {
  if (isCommandList(list)) {
    return {
      kind: 'command',
      command: list.command,
      ...(list.items === undefined ? {} : { items: list.items }),
      ...(list.id === undefined ? {} : { id: list.id }),
      ...(list.max_bytes === undefined ? {} : { maxBytes: list.max_bytes }),
    };
  }
  return {
    kind: 'http',
    url: list.url,
    headers: { ...(list.headers ?? {}) },
    ...(list.items === undefined ? {} : { items: list.items }),
    ...(list.id === undefined ? {} : { id: list.id }),
    ...(list.time === undefined ? {} : { time: list.time }),
    ...(list.max_bytes === undefined ? {} : { maxBytes: list.max_bytes }),
  };
}

function requestSpec(
  request: NonNullable<RegistryConfig['delete']>,
  defaultMethod: 'DELETE' | 'POST',
): RegistryRequestSpec {
  if (isCommandDelete(request)) return { kind: 'command', command: request.command };
  return {
    kind: 'http',
    method: request.method ?? defaultMethod,
    url: request.url,
    headers: { ...(request.headers ?? {}) },
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  };
}

function origin(file: SourceFile, path: Path): Origin {
  const { line } = locate(file, path, { key: true });
  return { file: file.path, line };
}
