import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { iamPolicy } from '../../src/iam/policy.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** IAM prefix of each SDK client package the sources import commands from. */
const IAM_PREFIX: Record<string, string> = {
  'client-auto-scaling': 'autoscaling',
  'client-cloudwatch': 'cloudwatch',
  'client-ec2': 'ec2',
  'client-ecs': 'ecs',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
};

/** Every `service:Operation` the product's code can send, read from its imports. */
function actionsUsedBySources(): Set<string> {
  const actions = new Set<string>();
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8');
    for (const match of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g,
    )) {
      const prefix = IAM_PREFIX[match[2] ?? ''];
      if (prefix === undefined) continue;
      for (const name of (match[1] ?? '').split(',')) {
        const command = /^\s*([A-Z][A-Za-z0-9]*)Command\s*$/.exec(name.replace(/^\s*type\s+/, ''));
        if (command?.[1]) actions.add(`${prefix}:${command[1]}`);
      }
    }
  }
  return actions;
}

const ENV = { RABBIT_USER: 'u', RABBIT_PASS: 'p', CHEF_TOKEN: 't', LINERATE_TOKEN: 't' };

describe('iam-policy', () => {
  it('grants every AWS action the code can send when the config uses every feature (clusters/)', async () => {
    const config = await loadConfig(join(ROOT, 'clusters'), { env: ENV, region: 'us-east-1' });
    expect(config.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const granted = new Set(iamPolicy(config.clusters, 'us-east-1').Statement.flatMap((s) => s.Action));
    const used = actionsUsedBySources();
    expect(used.size).toBeGreaterThan(15);
    const missing = [...used].filter((a) => !granted.has(a)).sort();
    expect(missing).toEqual([]);
  });

  it('grants nothing the code never sends, beyond what creating a group from a template needs', async () => {
    const config = await loadConfig(join(ROOT, 'clusters'), { env: ENV, region: 'us-east-1' });
    const granted = iamPolicy(config.clusters, 'us-east-1').Statement.flatMap((s) => s.Action);
    const used = actionsUsedBySources();
    // Authorised implicitly by calls the code does make: launching from a template, tags passed
    // to PutMetricAlarm, and the role assumed for a file.
    const launchExtras = new Set([
      'ec2:RunInstances',
      'ec2:CreateTags',
      'iam:PassRole',
      'cloudwatch:TagResource',
      'sts:AssumeRole',
    ]);
    expect(granted.filter((a) => !used.has(a) && !launchExtras.has(a)).sort()).toEqual([]);
  });

  it('scopes writes to what the files name and asks for nothing when there is nothing to manage', () => {
    const policy = iamPolicy(
      [{ cluster: 'c', config: { region: 'eu-west-1', groups: { web: { min: 1, max: 2 } } } }],
      undefined,
    );
    const groups = policy.Statement.find((s) => s.Sid === 'ManageGroups');
    expect(groups?.Resource).toEqual([
      'arn:aws:autoscaling:eu-west-1:*:autoScalingGroup:*:autoScalingGroupName/web',
    ]);
    // Attachments and their ownership tags, on the group's ARN like its other writes.
    expect(groups?.Action).toEqual(
      expect.arrayContaining([
        'autoscaling:AttachLoadBalancerTargetGroups',
        'autoscaling:AttachLoadBalancers',
        'autoscaling:CreateOrUpdateTags',
        'autoscaling:DeleteTags',
        'autoscaling:DetachLoadBalancerTargetGroups',
        'autoscaling:DetachLoadBalancers',
      ]),
    );
    expect(policy.Statement.find((s) => s.Sid === 'ManageOwnedAlarms')?.Resource).toEqual([
      'arn:aws:cloudwatch:eu-west-1:*:alarm:gitops-*',
    ]);
    expect(iamPolicy([{ cluster: 'c', config: {} }], 'us-east-1').Statement).toEqual([]);
  });

  it('lets registry adds read the groups and the instances (IPs, zones) and nothing more in AWS', () => {
    const policy = iamPolicy(
      [
        {
          cluster: 'web',
          config: {
            groups: { 'web-asg': { min: 1, max: 4 } },
            prune: {
              registries: {
                salt: {
                  list: { command: 'salt-key -L --out=json', items: 'minions' },
                  for_groups: ['web-asg'],
                  register: { command: 'salt-key -y -a {instance}' },
                },
              },
            },
          },
        },
      ],
      'us-east-1',
    );
    const reads = policy.Statement.find((s) => s.Sid === 'ReadLiveState')?.Action ?? [];
    expect(reads).toEqual(
      expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances']),
    );
  });

  it('lets a file with only autoscale_group read and size its group, and nothing more on it', () => {
    const policy = iamPolicy([{ cluster: 'jobs', config: { autoscale_group: 'jobs-asg' } }], 'us-east-1');
    const reads = policy.Statement.find((s) => s.Sid === 'ReadLiveState')?.Action ?? [];
    expect(reads).toContain('autoscaling:DescribeAutoScalingGroups');
    const arn = 'arn:aws:autoscaling:us-east-1:*:autoScalingGroup:*:autoScalingGroupName/jobs-asg';
    const onGroup = policy.Statement.filter((s) => s.Resource.includes(arn)).flatMap((s) => s.Action);
    expect(onGroup.sort()).toEqual([
      'autoscaling:TerminateInstanceInAutoScalingGroup',
      'autoscaling:UpdateAutoScalingGroup',
    ]);
  });
});
