/**
 * moto's server on a free port: used by the integration tests (through moto.ts), the demo and the
 * benchmarks. No vitest here, so plain Node scripts can import it.
 *
 * moto 5.2.1 behaviour that matters for this product (probed against the server, Nov 2026):
 *
 * Auto Scaling
 * - CreateAutoScalingGroup with LaunchTemplate (name + `$Latest`) and AvailabilityZones works, and
 *   so does VPCZoneIdentifier. Missing both → ValidationError; an unknown template →
 *   InvalidLaunchTemplateName.NotFoundException. A DUPLICATE create does not fail (AWS:
 *   AlreadyExists): it silently REPLACES the group (tags and zones reset) and the old group's
 *   instances keep running in EC2, still tagged with the group name.
 * - moto launches instances at once: DescribeAutoScalingGroups lists `desired` instances,
 *   LifecycleState InService, HealthStatus Healthy, each with the launch template; EC2
 *   DescribeInstances shows them running with a private IP and the tags
 *   aws:autoscaling:groupName + the group's PropagateAtLaunch tags. Zones are not balanced (2 of
 *   2 may land in the same zone).
 * - SetDesiredCapacity / UpdateAutoScalingGroup launch or terminate instances immediately. No
 *   validation: desired > max, min > max are accepted (AWS: ValidationError). UpdateAutoScalingGroup
 *   without DesiredCapacity moves desired only to bring the instance count into [min, max].
 *   An unknown group → ValidationError "AutoScalingGroup name not found".
 * - EC2 TerminateInstances of a group instance: the instance shows `terminated` in EC2 and the
 *   group replaces it AT ONCE (a new InService id). A "gone" instance that stays gone must be a
 *   plain RunInstances instance (or one detached from its group first).
 * - DescribeAutoScalingGroups pages like AWS: default MaxRecords 50 even with 100 names (100
 *   names → 50 groups + NextToken); MaxRecords 100 returns 100. More than 100 names is accepted.
 *   NextToken is the last group name. Results come in moto's order, not the order asked; unknown
 *   names are just left out. IncludeInstances=false is ignored. `tag:KEY` filters work.
 * - PutScalingPolicy: SimpleScaling (ChangeInCapacity, PercentChangeInCapacity +
 *   MinAdjustmentMagnitude), StepScaling and TargetTrackingScaling are stored and come back from
 *   DescribePolicies (TargetTrackingConfiguration included). But the response's ARN is sent as
 *   `PolicyArn` (AWS: `PolicyARN`), so the SDK's `PolicyARN` is UNDEFINED: read it back with
 *   DescribePolicies. The ARN is `...:scalingPolicy:<fixed uuid>:autoScalingGroupName/G:policyName/P`
 *   (same uuid for every policy; stable across delete/recreate). Cooldown reads back 300 when not
 *   set. Target tracking creates NO CloudWatch alarms and DescribePolicies has no `Alarms`. An
 *   unknown group is accepted. DescribePolicies ignores MaxRecords (no paging). ExecutePolicy works.
 * - Policies AND scheduled actions are keyed by NAME ONLY, account-wide: the same name on two
 *   groups overwrites the first group's one. Put the group name in every name we create.
 * - PutScheduledUpdateGroupAction (Recurrence, Min/Max/Desired, TimeZone, or StartTime) and
 *   DescribeScheduledActions / DeleteScheduledAction / BatchPut... work; a re-put replaces the
 *   action (fields left out become unset). An unknown group is accepted. Describe ignores
 *   MaxRecords.
 *
 * CloudWatch
 * - PutMetricAlarm keeps AlarmActions, Dimensions, Unit, Period, Threshold, Description, Metrics
 *   (math alarms), and Tags (ListTagsForResource on the AlarmArn shows them). A re-put WITHOUT Tags
 *   keeps the old tags; a re-put WITH Tags MERGES them (AWS ignores Tags on update). New alarms
 *   start in state OK (AWS: INSUFFICIENT_DATA). Period 45 is accepted (no validation).
 * - DescribeAlarms: AlarmNames with 100 (or 101: no limit check) names works; ONE filter is
 *   applied (ActionPrefix, else AlarmNamePrefix, else AlarmNames, else StateValue); MaxRecords is
 *   ignored and there is never a NextToken (all alarms in one page). DeleteAlarms ignores unknown
 *   names.
 * - PutMetricData + GetMetricData(MetricStat) work: Average/Maximum over the period, Timestamps,
 *   Label "<MetricName> <Stat>", StatusCode Complete, newest first; an unknown metric gives empty
 *   Values. Math Expressions return EMPTY values (not evaluated) and come after the MetricStat
 *   results. More than 500 queries is accepted. GetMetricStatistics works.
 * - PutMetricData with more than 20 datums in one call → HTTP 500 (AWS takes 1,000): batch by 20.
 *
 * EC2 / ELBv2
 * - Any ImageId is accepted by CreateLaunchTemplate and RunInstances; `ami-12c6146b` is one of
 *   moto's built-in AMIs. A default VPC with one subnet per zone (us-east-1a..f) exists.
 * - DescribeInstances: an unknown id → InvalidInstanceID.NotFound (like AWS); terminated
 *   instances stay visible as `terminated`. MaxResults counts RESERVATIONS, not instances.
 * - RegisterTargets / DeregisterTargets / DescribeTargetHealth work for instance and ip target
 *   groups; every target reports `healthy`, even a terminated or nonexistent instance (register
 *   does not check that the instance exists). Targets are keyed by Id ONLY: the same instance on a
 *   second port replaces the first, and deregistering by Id removes it whatever the port.
 *   Deregistering a target that is not registered → InvalidTargetException. An unknown target
 *   group → TargetGroupNotFoundException.
 * - But RegisterTargets of a TERMINATED instance → InvalidTargetException ("not in a running
 *   state"), and terminating an instance removes it from every target group: a stale target in
 *   moto is a running instance outside the listing groups (or one registered by IP).
 * - A group with TargetGroupARNs (or AttachLoadBalancerTargetGroups) registers its instances in
 *   the target group (instance ids on the group's port, even for an ip target group) and keeps
 *   that in step when it scales: seed groups WITHOUT target groups to test our own registration.
 *
 * ECS
 * - RegisterContainerInstance needs `instanceIdentityDocument` = JSON `{"instanceId": "i-..."}`
 *   naming an instance that EXISTS in moto's EC2 (else InvalidInstanceID.NotFound); an unknown
 *   cluster → HTTP 500 with an HTML body (a Python exception). Resources are fixed: CPU 4096,
 *   MEMORY 7482 registered and remaining (totalResources is ignored).
 * - ListContainerInstances ignores maxResults and the status filter (never a nextToken).
 *   DescribeContainerInstances reports unknown ARNs in `failures` (reason MISSING).
 *   DeregisterContainerInstance removes it from the list but answers status ACTIVE, and the
 *   cluster's registeredContainerInstancesCount is not decremented.
 * - CreateService: runningCount 0, pendingCount = desiredCount. UpdateService(desiredCount) sets
 *   desired AND runningCount at once. DescribeServices accepts more than 10 names (AWS: 10 max);
 *   an unknown service is a `failures` entry (reason MISSING); an unknown cluster →
 *   ClusterNotFoundException. ListServices ignores maxResults. DescribeClusters'
 *   activeServicesCount stays 0.
 *
 * More ECS and CloudWatch behaviour (found building the ECS planner)
 * - GetMetricData with a percentile statistic (p99) → HTTP 500. PutMetricData with about 90 or
 *   more datapoints with dimensions in one call → HTTP 500: send smaller batches.
 * - StartTask / RunTask reserve resources on the container instance and raise its running-task
 *   count. UpdateContainerInstancesState DRAINING and TerminateInstanceInAutoScalingGroup work; a
 *   terminated instance's container instance stays DRAINING.
 * - The primary deployment's updatedAt does not change on UpdateService. TagResource on a service
 *   and DescribeServices include: ['TAGS'] work.
 *
 * STS: AssumeRole works for any role ARN (used by the `roleArn` option of createAwsClients).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const TEST_REGION = 'us-east-1';
/** Dummy credentials: what every test sends, so real ones never reach an emulator. */
export const TEST_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
};

export interface MotoServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly endpoint: string;
  readonly port: number;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** How long to wait for `GET /moto-api/` to answer. Default 20 s. */
  readonly timeoutMs?: number;
  /** Default `python3`. */
  readonly python?: string;
}

/** A free TCP port on 127.0.0.1 (listen on 0, read the port, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * The environment for a child process that talks to moto: the parent's, minus every AWS_*
 * variable (no real credentials, profiles or endpoints leak in), plus dummy credentials, the test
 * region and, when given, `AWS_ENDPOINT_URL`.
 */
export function motoEnv(endpoint?: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('AWS_')) env[key] = value;
  }
  env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  env.AWS_REGION = TEST_REGION;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  if (endpoint !== undefined) env.AWS_ENDPOINT_URL = endpoint;
  return env;
}

// `python3 -m moto.server -p PORT -H 127.0.0.1`, plus a watchdog thread: when our end of its stdin
// closes (this process exited, even by SIGKILL), the server exits too instead of lingering.
const LAUNCHER = [
  'import os, runpy, sys, threading',
  'threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()',
  "sys.argv = ['moto.server', '-p', sys.argv[1], '-H', '127.0.0.1']",
  "runpy.run_module('moto.server', run_name='__main__', alter_sys=True)",
].join('\n');

const STDERR_KEEP = 16_384;

/** Starts moto's server on a free port and waits until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  // A port found free can be taken before moto binds it: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort(), options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof MotoExitedError)) throw error;
    }
  }
  throw lastError;
}

class MotoExitedError extends Error {}

async function startOnce(port: number, options: StartMotoOptions): Promise<MotoServer> {
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(options.python ?? 'python3', ['-c', LAUNCHER, String(port)], {
    env: motoEnv(),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  // Always drain stderr (moto logs every request there); keep the tail for error messages.
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code ?? -1;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (exitCode !== undefined) return;
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (spawnError !== undefined) {
      await stop();
      throw new Error(
        `could not start moto (${spawnError.message}); install it with pip install "moto[server]"`,
      );
    }
    if (exitCode !== undefined) {
      process.removeListener('exit', killOnExit);
      throw new MotoExitedError(
        `moto exited with code ${exitCode} before answering on ${endpoint}:\n${stderr}`,
      );
    }
    if (await answers(`${endpoint}/moto-api/`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `moto did not answer on ${endpoint}/moto-api/ within ${options.timeoutMs ?? 20_000} ms:\n${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop,
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
