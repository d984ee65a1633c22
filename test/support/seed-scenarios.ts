/**
 * The seed documents' scenarios (/work/shared/seeds 000–003), end to end through a bundled CLI
 * against moto and local stand-ins that keep state. Shared by test/integration/seeds.test.ts
 * (which asserts) and scripts/seed-scenarios.ts (which prints the before/after quote), so both run
 * the same setup. No vitest here: plain Node scripts import it.
 *
 * Each scenario seeds the situation the older tool handled, writes clusters/*.yml, runs `plan`,
 * `apply --auto-approve`, then `plan` again, and reads the registry or AWS state afterwards.
 * `before: true` writes the YAML the tool accepted before issue 13 (registries with list, delete
 * and instance only; target_groups only), to run against the older bundle.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import {
  DescribeAutoScalingGroupsCommand,
  DetachInstancesCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../../src/aws/clients.ts';
import { PATH_PREFIX, startStoreRegistry } from '../fixtures/registry/store-registry.ts';
import { classicLoadBalancerInstances, createClassicLoadBalancer } from './classic-elb.ts';
import { type ProcessResult, runNode, workspace } from './run-bundle.ts';
import { createGroup, createTargetGroup, groupInstanceIds, runInstances } from './seed.ts';

/** The stand-in commands (salt-key, knife): put first on the CLI's PATH. */
export const STAND_IN_BIN = resolve(import.meta.dirname, '../fixtures/registry/bin');

export interface SeedContext {
  readonly clients: AwsClients;
  /** The environment for the CLI: moto's endpoint and dummy credentials (motoEnv). */
  readonly awsEnv: NodeJS.ProcessEnv;
  /** The bundled CLI to run, e.g. dist/cli.js. */
  readonly cli: string;
  /** Write the YAML the tool accepted before issue 13. */
  readonly before: boolean;
}

export interface SeedRun<State> {
  readonly yaml: string;
  readonly plan: ProcessResult;
  readonly apply: ProcessResult;
  /** `plan` once more after apply (and, for 001, after AWS scaled the group out). */
  readonly again: ProcessResult;
  readonly state: State;
}

interface Prepared<State> {
  readonly yaml: string;
  readonly env?: Record<string, string>;
  /** Between apply and the second plan: what AWS does on its own (001's scale-out). */
  readonly afterApply?: () => Promise<void>;
  readonly state: () => Promise<State>;
  readonly close?: () => Promise<void>;
}

async function runScenario<State>(
  ctx: SeedContext,
  prepare: (cwd: string) => Promise<Prepared<State>>,
): Promise<SeedRun<State>> {
  const cwd = await workspace({});
  let prepared: Prepared<State> | undefined;
  try {
    prepared = await prepare(cwd);
    await mkdir(join(cwd, 'clusters'));
    await writeFile(join(cwd, 'clusters/web.yml'), prepared.yaml);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(ctx.awsEnv)) if (value !== undefined) env[key] = value;
    Object.assign(env, prepared.env, {
      PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    });
    const cli = (args: string[]) => runNode(ctx.cli, args, { cwd, env });
    const plan = await cli(['plan']);
    const apply = await cli(['apply', '--auto-approve']);
    await prepared.afterApply?.();
    const again = await cli(['plan']);
    return { yaml: prepared.yaml, plan, apply, again, state: await prepared.state() };
  } finally {
    await prepared?.close?.();
    await rm(cwd, { recursive: true, force: true });
  }
}

/** Plain instances outside any group, terminated: what a scale-in leaves behind in a registry. */
async function terminatedInstance(clients: AwsClients): Promise<string> {
  const [instance] = await runInstances(clients, 1);
  const id = instance?.InstanceId;
  if (id === undefined) throw new Error('moto launched no instance');
  await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  return id;
}

async function webGroup(clients: AwsClients, desired: number): Promise<string[]> {
  const group = await createGroup(clients, 'web-asg', { min: 1, max: 4, desired });
  return groupInstanceIds(group);
}

async function privateIp(clients: AwsClients, id: string): Promise<string> {
  const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress ?? '';
}

// ---------------------------------------------------------------------------------------------
// 000 lros-autoscaler: LineRate real servers named prefix + instance id, with IP and port.

export const LINERATE_TOKEN = 'linerate-token-never-printed';

export interface LineRateState {
  /** In the group, InService, with a real server beforehand. */
  readonly kept: string;
  /** In the group, InService, with no real server beforehand. */
  readonly launched: string;
  readonly launchedIp: string;
  /** Terminated, its real server left behind. */
  readonly terminated: string;
  /** Running, detached from the group, its real server left behind. */
  readonly detached: string;
  /** Real servers afterwards: full path → the JSON body stored with it. */
  readonly servers: Record<string, unknown>;
  /** Every write the registry received, e.g. `PUT /servers/as_web_i-… 201`. */
  readonly writes: string[];
}

export function runLineRate(ctx: SeedContext): Promise<SeedRun<LineRateState>> {
  return runScenario(ctx, async () => {
    const [kept, launched, detached] = (await webGroup(ctx.clients, 3)) as [string, string, string];
    await ctx.clients.autoscaling.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: 'web-asg',
        InstanceIds: [detached],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    const terminated = await terminatedInstance(ctx.clients);
    const registry = await startStoreRegistry(LINERATE_TOKEN, [
      `as_web_${kept}`,
      `as_web_${terminated}`,
      `as_web_${detached}`,
      'manual_db', // not the prefix: never the tool's
    ]);
    const auth = 'headers: { Authorization: "Bearer ${LINERATE_TOKEN}" }';
    const list = `list: { url: "${registry.url}/servers", items: servers, id: name, ${auth} }`;
    const registryYaml = ctx.before
      ? `    linerate:
      ${list}
      instance: "^(?:.*/)?as_web_(i-[0-9a-f]+)$"
      delete: { method: DELETE, url: "${registry.url}/servers/{id}", ${auth} }
`
      : `    linerate:
      ${list}
      instance: "^(?:.*/)?as_web_(i-[0-9a-f]+)$"
      entry: "as_web_{instance}"
      for_groups: [web-asg]
      register: { method: PUT, url: "${registry.url}/servers/{entry}", ${auth},
                  payload: { ip: "{private_ip}", port: 80 } }
      delete: { method: DELETE, url: "${registry.url}/servers/{entry}", ${auth} }
      sweep: membership
`;
    return {
      yaml: `region: us-east-1
groups:
  web-asg: { min: 1, max: 4 }
prune:
  grace: 0s # moto terminated and detached these a moment ago
  max: 100%
  registries:
${registryYaml}`,
      env: { LINERATE_TOKEN },
      state: async () => ({
        kept,
        launched,
        launchedIp: await privateIp(ctx.clients, launched),
        terminated,
        detached,
        servers: Object.fromEntries(registry.servers),
        writes: registry.requests
          .filter((r) => r.method !== 'GET')
          .map((r) => `${r.method} ${r.path}${r.body === '' ? '' : ` ${r.body}`}`),
      }),
      close: () => registry.close(),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 001 boto's Auto Scaling tutorial: a group with a Classic ELB (and a target group), ELB health.

export interface AttachState {
  readonly targetGroupArn: string;
  readonly loadBalancers: string[];
  readonly targetGroups: string[];
  readonly healthCheckType: string | undefined;
  readonly healthCheckGrace: number | undefined;
  /** The group's instances after AWS scaled it out to 3 (no run of ours in between). */
  readonly instances: string[];
  readonly elbInstances: string[];
  readonly targets: string[];
}

export function runAttachments(ctx: SeedContext): Promise<SeedRun<AttachState>> {
  return runScenario(ctx, async () => {
    await webGroup(ctx.clients, 1);
    await createClassicLoadBalancer(ctx.clients, 'classic-web');
    const arn = await createTargetGroup(ctx.clients, 'web');
    const yaml = ctx.before
      ? `region: us-east-1
groups:
  web-asg:
    min: 1
    max: 4
    target_groups: [${arn}]
`
      : `region: us-east-1
groups:
  web-asg:
    min: 1
    max: 4
    load_balancers: [classic-web]
    target_groups: [${arn}]
    health_check: { type: ELB, grace: 300s }
`;
    return {
      yaml,
      // The scale-out AWS does on its own between runs (the tutorial's trigger firing).
      afterApply: async () => {
        await ctx.clients.autoscaling.send(
          new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 }),
        );
      },
      state: async () => {
        const out = await ctx.clients.autoscaling.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }),
        );
        const group = out.AutoScalingGroups?.[0];
        const health = await ctx.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        return {
          targetGroupArn: arn,
          loadBalancers: group?.LoadBalancerNames ?? [],
          targetGroups: group?.TargetGroupARNs ?? [],
          healthCheckType: group?.HealthCheckType,
          healthCheckGrace: group?.HealthCheckGracePeriod,
          instances: group === undefined ? [] : groupInstanceIds(group).sort(),
          elbInstances: await classicLoadBalancerInstances(ctx.clients, 'classic-web'),
          targets: (health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '').sort(),
        };
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 002 Salt's ec2-autoscale-reactor: accept a new minion's key, delete a gone minion's key.

export interface SaltState {
  /** Accepted beforehand. */
  readonly accepted: string;
  /** InService, its key pending beforehand. */
  readonly pending: string;
  /** Terminated, its accepted key left behind. */
  readonly terminated: string;
  readonly minions: string[];
  readonly minions_pre: string[];
  readonly calls: string[][];
}

export function runSalt(ctx: SeedContext): Promise<SeedRun<SaltState>> {
  return runScenario(ctx, async (cwd) => {
    const [accepted, pending] = (await webGroup(ctx.clients, 2)) as [string, string];
    const terminated = await terminatedInstance(ctx.clients);
    const stateFile = join(cwd, 'salt-keys.json');
    await writeFile(
      stateFile,
      JSON.stringify({ minions: [accepted, terminated], minions_pre: [pending], calls: [] }),
    );
    const registries = ctx.before
      ? `    salt:
      list: { command: "salt-key -L --out=json", items: minions }
      delete: { command: "salt-key -y -d {id}" }
`
      : `    salt:
      list: { command: "salt-key -L --out=json", items: [minions, minions_pre] }
      delete: { command: "salt-key -y -d {id}" }
    salt-accept:
      list: { command: "salt-key -L --out=json", items: minions }
      for_groups: [web-asg]
      register: { command: "salt-key -y -a {entry}" }
`;
    return {
      yaml: `region: us-east-1
groups:
  web-asg: { min: 1, max: 4 }
prune:
  grace: 0s
  max: 100%
  registries:
${registries}`,
      env: { SALT_KEY_STATE: stateFile },
      state: async () => {
        const keys = JSON.parse(await readFile(stateFile, 'utf8'));
        return { accepted, pending, terminated, ...keys };
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 003 Chef: delete the node and the client of a terminated instance.

export interface ChefState {
  readonly running: string;
  readonly terminated: string;
  readonly nodes: string[];
  readonly clients: string[];
  readonly calls: string[][];
}

export function runChef(ctx: SeedContext): Promise<SeedRun<ChefState>> {
  return runScenario(ctx, async (cwd) => {
    const [running] = (await webGroup(ctx.clients, 1)) as [string];
    const terminated = await terminatedInstance(ctx.clients);
    const stateFile = join(cwd, 'chef.json');
    await writeFile(
      stateFile,
      JSON.stringify({
        nodes: [running, terminated],
        clients: ['chef-validator', running, terminated],
        calls: [],
      }),
    );
    // Nodes register themselves at boot (the blog's setup): both registries only prune, so the
    // YAML is the same before and after.
    return {
      yaml: `region: us-east-1
groups:
  web-asg: { min: 1, max: 4 }
prune:
  grace: 0s
  max: 100%
  registries:
    chef-nodes:
      list: { command: "knife node list -F json" }
      delete: { command: "knife node delete -y {id}" }
    chef-clients:
      list: { command: "knife client list -F json" }
      delete: { command: "knife client delete -y {id}" }
`,
      env: { KNIFE_STATE: stateFile },
      state: async () => {
        const chef = JSON.parse(await readFile(stateFile, 'utf8'));
        return { running, terminated, ...chef };
      },
    };
  });
}

export { PATH_PREFIX };
