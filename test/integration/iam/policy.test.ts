/**
 * The policy `autoscale-gitops iam-policy` prints is enough to plan, and nothing in it is idle
 * weight we cannot detect: moto enforces IAM, and the bundled CLI plans as an IAM user holding
 * exactly that policy, for the example clusters/ together and each file alone, against the demo's
 * fleet (scripts/demo/fleet.ts: every group, service, cluster, target group and alarm the
 * examples name exists, so every read path runs).
 *
 * What moto 5.2.1 enforces (moto/iam/access_control.py, moto/core/authorization.py, probed):
 * - Enforcement starts after INITIAL_NO_AUTH_ACTION_COUNT requests; POST /moto-api/reset-auth sets
 *   that count at run time and restarts it, which is how the setup below runs unauthenticated.
 * - The signature and the access key (an IAM user's, or an assumed role's with its session token)
 *   are checked, and the ACTION: `<signing name>:<operation>` must be allowed by one of the
 *   principal's policies (inline and attached, user's and groups', or the assumed role's), with
 *   Deny winning; AssumeRole also checks the role's trust policy.
 * What it does NOT check:
 * - Resources. For Auto Scaling, EC2, ECS, CloudWatch and ELBv2 the request's resource is always
 *   "*", and a statement's Resource patterns are matched against that "*": a statement scoped to
 *   ARNs never matches, so every scoped write is denied whatever its ARNs. Only STS (the role
 *   ARN), IAM and SQS pass a real resource. So the plan (reads: all on "*", and sts:AssumeRole on
 *   the file's role) is checked with the policy as printed; the apply check widens every statement
 *   to "*" and so audits the action list only. Resource scoping is unit-tested (iam-policy.test.ts).
 * - Conditions (none of ours have one) and permissions AWS checks behind an action (e.g.
 *   iam:PassRole or ec2:RunInstances when a group is created from a launch template).
 * - The service prefix of CloudWatch: moto takes it from the signing name, `monitoring`, where IAM
 *   says `cloudwatch`. The copy given to moto repeats each cloudwatch: action as monitoring:.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SeededFleet, seedFleet } from '../../../scripts/demo/fleet.ts';
import { type DemoServers, STAND_IN_BIN, startServers } from '../../../scripts/demo/servers.ts';
import { createAwsClients } from '../../../src/aws/clients.ts';
import type { PolicyDocument } from '../../../src/iam/policy.ts';
import { type MotoServer, motoEnv, startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../support/moto.ts';
import { CLI, ROOT, runNode } from '../../support/run-bundle.ts';

const ACCOUNT = '123456789012';
/**
 * An answer that means a permission is missing (or the principal is unknown). moto answers a
 * denied call to a JSON API (ECS, CloudWatch) with an XML error body, which the SDK reports as a
 * JSON deserialization error of `<?xml`.
 */
const ACCESS_ERROR =
  /AccessDenied|not authorized|UnauthorizedOperation|InvalidClientTokenId|SignatureDoesNotMatch|"<\?xml vers/i;

let moto: MotoServer;
let fleet: SeededFleet;
let servers: DemoServers;
const dirs: string[] = [];
let principals = 0;

beforeAll(async () => {
  moto = await startMoto();
  await seed();
});

/** The demo's fleet in a fresh moto, and the local services its registries and metrics read. */
async function seed(): Promise<void> {
  await servers?.close();
  await moto.reset();
  const clients = createAwsClients({
    region: TEST_REGION,
    endpoint: moto.endpoint,
    credentials: TEST_CREDENTIALS,
  });
  fleet = await seedFleet(clients).finally(() => clients.destroy());
  servers = await startServers(fleet.instances);
}
afterEach(async () => {
  await enforce(false);
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(async () => {
  await servers?.close();
  await moto?.stop();
});

/** Turns moto's IAM checks on (from the next request) or off. */
async function enforce(on: boolean): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    body: on ? '0' : 'inf',
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

/** One IAM query call while checks are off (moto routes by the credential scope's service). */
async function iam(params: Record<string, string>): Promise<string> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${TEST_REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action}: ${text}`);
  return text;
}

/** The policy as moto can evaluate it (see the header): cloudwatch: also as monitoring:. */
function forMoto(policy: PolicyDocument, widen: boolean): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Action: s.Action.flatMap((a) =>
        a.startsWith('cloudwatch:') ? [a, a.replace('cloudwatch:', 'monitoring:')] : [a],
      ),
      Resource: widen ? ['*'] : s.Resource,
    })),
  };
}

/**
 * A new IAM user holding `policy`, and the roles the files name (trusting that user) holding it
 * too: whichever principal makes a call, it has exactly this policy. Returns the user's key.
 */
async function principal(
  policy: PolicyDocument,
  roles: readonly string[],
): Promise<{ AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string }> {
  const user = `ci-${++principals}`;
  const document = JSON.stringify(policy);
  await iam({ Action: 'CreateUser', UserName: user });
  await iam({
    Action: 'PutUserPolicy',
    UserName: user,
    PolicyName: 'autoscale-gitops',
    PolicyDocument: document,
  });
  const key = await iam({ Action: 'CreateAccessKey', UserName: user });
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${user}` },
        Action: 'sts:AssumeRole',
      },
    ],
  });
  for (const arn of roles) {
    const role = arn.split('/').pop() ?? '';
    await iam({ Action: 'DeleteRolePolicy', RoleName: role, PolicyName: 'autoscale-gitops' }).catch(() => '');
    await iam({ Action: 'DeleteRole', RoleName: role }).catch(() => '');
    await iam({ Action: 'CreateRole', RoleName: role, AssumeRolePolicyDocument: trust });
    await iam({
      Action: 'PutRolePolicy',
      RoleName: role,
      PolicyName: 'autoscale-gitops',
      PolicyDocument: document,
    });
  }
  return {
    AWS_ACCESS_KEY_ID: /<AccessKeyId>([^<]+)</.exec(key)?.[1] ?? '',
    AWS_SECRET_ACCESS_KEY: /<SecretAccessKey>([^<]+)</.exec(key)?.[1] ?? '',
  };
}

/** A config folder holding the given example files (all of clusters/ by default). */
async function configOf(files?: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iam-policy-it-'));
  dirs.push(dir);
  for (const file of files ?? (await examples())) await cp(join(ROOT, 'clusters', file), join(dir, file));
  return dir;
}

async function examples(): Promise<string[]> {
  return (await readdir(join(ROOT, 'clusters'))).filter((f) => f.endsWith('.yml')).sort();
}

function cliEnv(credentials: Record<string, string> = {}): Record<string, string> {
  return {
    ...(motoEnv(moto.endpoint) as Record<string, string>),
    ...fleet.env,
    ...servers.env,
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    ...credentials,
  };
}

async function policyOf(dir: string): Promise<PolicyDocument> {
  const run = await runNode(CLI, ['iam-policy', '--config', dir], { cwd: dir, env: cliEnv() });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PolicyDocument;
}

function rolesOf(policy: PolicyDocument): string[] {
  return policy.Statement.filter((s) => s.Action.includes('sts:AssumeRole')).flatMap((s) => s.Resource);
}

interface Planned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `plan` (or `apply --auto-approve`) as a principal holding moto's copy of `policy` (resources
 * widened to "*" when `widen`).
 */
async function runAs(
  dir: string,
  policy: PolicyDocument,
  args: readonly string[],
  widen = false,
): Promise<Planned> {
  const credentials = await principal(forMoto(policy, widen), rolesOf(policy));
  await enforce(true);
  try {
    return await runNode(CLI, [...args, '--config', dir, '--format', 'json'], {
      cwd: dir,
      env: cliEnv(credentials),
    });
  } finally {
    await enforce(false);
  }
}

/** The plan's JSON: its errors and every message, for access errors. */
function accessErrors(run: Planned): string[] {
  const text = `${run.stdout}\n${run.stderr}`;
  return text.split('\n').filter((line) => ACCESS_ERROR.test(line));
}

interface PlanJson {
  readonly errors: { message: string }[];
  readonly decisions?: { address: string; outcome: string; reason: string }[];
}

function planOf(run: Planned): PlanJson {
  expect(run.stdout, run.stderr).toMatch(/^\{/);
  return JSON.parse(run.stdout) as PlanJson;
}

/** Decisions left unknown because a read failed. */
function unknowns(plan: PlanJson): string[] {
  return (plan.decisions ?? [])
    .filter((d) => d.outcome === 'unknown')
    .map((d) => `${d.address}: ${d.reason}`);
}

describe('the policy iam-policy prints', () => {
  it('is enough to plan all of clusters/ as an IAM user holding only it', async () => {
    const dir = await configOf();
    const policy = await policyOf(dir);
    const run = await runAs(dir, policy, ['plan']);
    expect(accessErrors(run)).toEqual([]);
    expect(planOf(run).errors).toEqual([]);
    expect(unknowns(planOf(run))).toEqual([]);
  });

  it('is enough to plan each example file alone (a per-file gap shows here)', async () => {
    for (const file of await examples()) {
      const dir = await configOf([file]);
      const policy = await policyOf(dir);
      const run = await runAs(dir, policy, ['plan']);
      expect({ file, denied: accessErrors(run) }).toEqual({ file, denied: [] });
      expect({ file, errors: planOf(run).errors }).toEqual({ file, errors: [] });
      expect({ file, unknown: unknowns(planOf(run)) }).toEqual({ file, unknown: [] });
    }
  });

  it('is checked for real: without one read it grants, the plan reports the access error', async () => {
    const dir = await configOf();
    const policy = await policyOf(dir);
    // One Query API and one JSON API: moto answers a JSON API's denial in XML (see ACCESS_ERROR).
    for (const removed of ['autoscaling:DescribeAutoScalingGroups', 'ecs:DescribeServices']) {
      const without: PolicyDocument = {
        ...policy,
        Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== removed) })),
      };
      expect(JSON.stringify(without)).not.toContain(removed);
      const run = await runAs(dir, without, ['plan']);
      expect({ removed, denied: accessErrors(run).length > 0 }).toEqual({ removed, denied: true });
      expect({ removed, errors: planOf(run).errors.length > 0 }).toEqual({ removed, errors: true });
    }
  });

  // Plans only read, so the tests above share one seeded fleet; each apply below gets a fresh one,
  // so every file alone still finds its changes to make.
  it('names every action apply calls, for all files and each alone (resources widened)', async () => {
    for (const files of [await examples(), ...(await examples()).map((f) => [f])]) {
      await seed();
      const dir = await configOf(files);
      const run = await runAs(dir, await policyOf(dir), ['apply', '--auto-approve'], true);
      const where = files.join(' ');
      expect({ where, denied: accessErrors(run) }).toEqual({ where, denied: [] });
      expect({ where, errors: planOf(run).errors }).toEqual({ where, errors: [] });
      expect({ where, applied: /"result": "applied"/.test(run.stdout) }).toEqual({ where, applied: true });
      expect({ where, failed: /"result": "failed"/.test(run.stdout) }).toEqual({ where, failed: false });
    }
  });

  it('is checked for real on apply too: without one write it grants, that change fails', async () => {
    await seed();
    const dir = await configOf();
    const policy = await policyOf(dir);
    const removed = 'autoscaling:UpdateAutoScalingGroup';
    const without: PolicyDocument = {
      ...policy,
      Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== removed) })),
    };
    const run = await runAs(dir, without, ['apply', '--auto-approve'], true);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/"result": "failed"/);
    expect(accessErrors(run).join('\n')).toMatch(/UpdateAutoScalingGroup/);
  });
});
