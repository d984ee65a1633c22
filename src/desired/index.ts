/**
 * Validated cluster files → Desired. Each object gets its AWS scope (the file's region and role,
 * else the run's region) and its place in the YAML.
 */
import type { Diagnostic } from '../config/diagnostics.ts';
import type { ValidatedCluster } from '../config/index.ts';
import { locate } from '../config/positions.ts';
import { type AwsScope, type Desired, type DesiredGroup, type DesiredPrune, scopeKey } from '../model.ts';
import { buildClusters } from './ecs.ts';
import { desiredGroups } from './groups.ts';
import { desiredPrune } from './prune.ts';

export interface DesiredOptions {
  /** The run's region (`--region`, the action input, AWS_REGION) for files that name none. */
  readonly region?: string;
}

export interface DesiredResult {
  readonly desired: Desired;
  /** Problems only visible across files: a group declared twice, a file with no region. */
  readonly diagnostics: Diagnostic[];
}

export function buildDesired(
  clusters: readonly ValidatedCluster[],
  options: DesiredOptions = {},
): DesiredResult {
  const diagnostics: Diagnostic[] = [];
  const groups: DesiredGroup[] = [];
  const seen = new Map<string, DesiredGroup>();
  for (const { file, config, cluster } of clusters) {
    if (config.groups === undefined || Object.keys(config.groups).length === 0) continue;
    const region = config.region ?? options.region;
    if (region === undefined) {
      diagnostics.push({
        ...locate(file, ['groups'], { key: true }),
        severity: 'error',
        message:
          'no AWS region for these groups: set `region:` in the file, --region, AWS_REGION or the AWS profile region',
      });
      continue;
    }
    const scope: AwsScope = {
      region,
      ...(config.role_arn === undefined ? {} : { roleArn: config.role_arn }),
    };
    for (const group of desiredGroups({ file, cluster, scope }, config.groups)) {
      // The same group managed from two places would be rewritten back and forth on every run.
      const key = `${scopeKey(group.scope)}\u0000${group.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        diagnostics.push({
          ...locate(file, ['groups', group.name], { key: true }),
          severity: 'error',
          message: `group ${group.name} is already declared at ${first.origin.file}:${first.origin.line}`,
        });
        continue;
      }
      // Addresses key the plan and apply's results: two files with the same cluster name in
      // different regions would otherwise give two groups one address.
      const sameAddress = groups.find((g) => g.address === group.address);
      if (sameAddress !== undefined) {
        diagnostics.push({
          ...locate(file, ['groups', group.name], { key: true }),
          severity: 'error',
          message: `group ${group.name} of cluster ${cluster} is also declared at ${sameAddress.origin.file}:${sameAddress.origin.line}; give the files different cluster: names`,
        });
        continue;
      }
      seen.set(key, group);
      groups.push(group);
    }
  }
  const prune = buildPrune(clusters, options, diagnostics);
  const ecs = buildClusters(clusters, options, diagnostics);
  return {
    desired: {
      groups,
      ...(prune.length === 0 ? {} : { prune }),
      ...(ecs.length === 0 ? {} : { clusters: ecs }),
    },
    diagnostics,
  };
}

/** One DesiredPrune per file with `prune:`; two files pruning under one cluster name would share addresses. */
function buildPrune(
  clusters: readonly ValidatedCluster[],
  options: DesiredOptions,
  diagnostics: Diagnostic[],
): DesiredPrune[] {
  const out: DesiredPrune[] = [];
  for (const { file, config, cluster } of clusters) {
    if (config.prune === undefined) continue;
    const region = config.region ?? options.region;
    if (region === undefined) {
      diagnostics.push({
        ...locate(file, ['prune'], { key: true }),
        severity: 'error',
        message:
          'no AWS region for prune: set `region:` in the file, --region, AWS_REGION or the AWS profile region',
      });
      continue;
    }
    const scope: AwsScope = {
      region,
      ...(config.role_arn === undefined ? {} : { roleArn: config.role_arn }),
    };
    const prune = desiredPrune({ file, cluster, scope }, config.prune);
    const first = out.find((p) => p.address === prune.address);
    if (first !== undefined) {
      diagnostics.push({
        ...locate(file, ['prune'], { key: true }),
        severity: 'error',
        message: `cluster ${cluster} already has a prune section at ${first.origin.file}:${first.origin.line}; give the files different cluster: names`,
      });
      continue;
    }
    out.push(prune);
  }
  return out;
}
