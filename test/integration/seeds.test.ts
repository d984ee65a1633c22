/**
 * The seed documents' scenarios end to end through the bundled CLI (dist/cli.js), against moto
 * and local stand-ins that keep state: what lros-autoscaler (000), boto's Auto Scaling tutorial
 * (001), Salt's ec2-autoscale-reactor (002) and the Chef deregistration post (003) did, done by
 * `plan` then `apply --auto-approve`, then a quiet second `plan`. The setup is shared with
 * scripts/seed-scenarios.ts (test/support/seed-scenarios.ts), which prints the issue's
 * before/after quote.
 */
import { describe, expect, it } from 'vitest';
import { useMoto } from '../support/moto.ts';
import { CLI, type ProcessResult } from '../support/run-bundle.ts';
import {
  LINERATE_TOKEN,
  PATH_PREFIX,
  runAttachments,
  runChef,
  runLineRate,
  runSalt,
  type SeedContext,
} from '../support/seed-scenarios.ts';

const moto = useMoto();

// Three CLI runs and a stand-in per scenario on a loaded 2-core machine: a bound on a hang, not a
// verdict on speed.
const SCENARIO_TIMEOUT_MS = 180_000;

function context(): SeedContext {
  return { clients: moto.clients(), awsEnv: moto.env(), cli: CLI, before: false };
}

/** Exit 0 and the summary "No changes.": the run after apply has nothing left to do. */
function expectQuiet(result: ProcessResult): void {
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^No changes\./);
  expect(result.code).toBe(0);
}

function expectApplied(result: ProcessResult, count: number): void {
  expect(result.stdout).toContain(`Apply: ${count} applied, 0 failed, 0 skipped.`);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

describe('the seeds, end to end through the bundled CLI', () => {
  it(
    '000 lros-autoscaler: adds the real server prefix + id with IP and port, removes the terminated and detached ones',
    async () => {
      const run = await runLineRate(context());
      const { kept, launched, launchedIp, terminated, detached } = run.state;
      expect(run.plan.code).toBe(0);
      expect(run.plan.stdout).toContain(`+ add registry_entry as_web_${launched} `);
      expect(run.plan.stdout).toContain(`- prune registry_entry ${PATH_PREFIX}as_web_${terminated} `);
      expect(run.plan.stdout).toContain(`- prune registry_entry ${PATH_PREFIX}as_web_${detached} `);
      expect(run.plan.stdout + run.apply.stdout + run.again.stdout).not.toContain(LINERATE_TOKEN);
      expectApplied(run.apply, 3);

      expect(launchedIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(run.state.servers).toEqual({
        [`${PATH_PREFIX}as_web_${kept}`]: {},
        [`${PATH_PREFIX}as_web_${launched}`]: { ip: launchedIp, port: 80 },
        [`${PATH_PREFIX}manual_db`]: {},
      });
      expect(run.state.writes.sort()).toEqual(
        [
          `DELETE /servers/as_web_${terminated}`,
          `DELETE /servers/as_web_${detached}`,
          `PUT /servers/as_web_${launched} {"ip":"${launchedIp}","port":80}`,
        ].sort(),
      );
      expectQuiet(run.again);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "001 boto's tutorial: the Classic ELB and target group are attached, health check ELB; AWS registers a scale-out",
    async () => {
      const run = await runAttachments(context());
      expect(run.plan.code).toBe(0);
      expect(run.plan.stdout).toContain('~ attach autoscaling_group web-asg (load balancer classic-web)');
      expect(run.plan.stdout).toContain('~ attach autoscaling_group web-asg (target group web)');
      expectApplied(run.apply, 3);

      const state = run.state;
      expect(state.loadBalancers).toEqual(['classic-web']);
      expect(state.targetGroups).toEqual([state.targetGroupArn]);
      expect([state.healthCheckType, state.healthCheckGrace]).toEqual(['ELB', 300]);
      // Scaled out to 3 after apply, with no run of ours in between: AWS registered them all.
      expect(state.instances).toHaveLength(3);
      expect(state.elbInstances).toEqual(state.instances);
      expect(state.targets).toEqual(state.instances);
      expectQuiet(run.again);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "002 Salt's reactor: the InService instance's pending key is accepted, the terminated one's deleted",
    async () => {
      const run = await runSalt(context());
      const { accepted, pending, terminated } = run.state;
      expect(run.plan.code).toBe(0);
      expect(run.plan.stdout).toContain(`+ add registry_entry ${pending} `);
      expect(run.plan.stdout).toContain(`- prune registry_entry ${terminated} `);
      expectApplied(run.apply, 2);

      expect(run.state.minions.sort()).toEqual([accepted, pending].sort());
      expect(run.state.minions_pre).toEqual([]);
      expect(run.state.calls.sort()).toEqual(
        [
          ['-y', '-a', pending],
          ['-y', '-d', terminated],
        ].sort(),
      );
      expectQuiet(run.again);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "003 Chef: the terminated instance's node and client are deleted; the validator and the running one stay",
    async () => {
      const run = await runChef(context());
      const { running, terminated } = run.state;
      expect(run.plan.code).toBe(0);
      expect(run.plan.stdout.match(new RegExp(`- prune registry_entry ${terminated} `, 'g'))).toHaveLength(2);
      expectApplied(run.apply, 2);

      expect(run.state.nodes).toEqual([running]);
      expect(run.state.clients).toEqual(['chef-validator', running]);
      expect(run.state.calls.sort()).toEqual(
        [
          ['client', 'delete', '-y', terminated],
          ['node', 'delete', '-y', terminated],
        ].sort(),
      );
      expectQuiet(run.again);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
