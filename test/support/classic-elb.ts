/**
 * Classic Load Balancers in moto, over the Query API (version 2012-06-01) with plain fetch: the
 * product never reads them (AWS checks the names when it attaches), so no SDK client is
 * installed for them. moto routes the call by the credential scope's service and the version;
 * it does not check the signature unless its IAM checks are on.
 */
import type { AwsClients } from '../../src/aws/clients.ts';

async function classicElb(clients: AwsClients, params: Record<string, string>): Promise<string> {
  const { endpoint, region } = clients.context;
  if (endpoint === undefined) throw new Error('Classic ELB seeding needs an emulator endpoint');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ ...params, Version: '2012-06-01' }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ELB ${params.Action}: HTTP ${response.status}: ${text}`);
  return text;
}

/** An HTTP listener on port 80 in the given zones. */
export async function createClassicLoadBalancer(
  clients: AwsClients,
  name: string,
  zones: readonly string[] = ['us-east-1a', 'us-east-1b'],
): Promise<void> {
  await classicElb(clients, {
    Action: 'CreateLoadBalancer',
    LoadBalancerName: name,
    'Listeners.member.1.Protocol': 'HTTP',
    'Listeners.member.1.LoadBalancerPort': '80',
    'Listeners.member.1.InstancePort': '80',
    ...Object.fromEntries(zones.map((zone, i) => [`AvailabilityZones.member.${i + 1}`, zone])),
  });
}

/** The instance ids registered with a Classic Load Balancer, sorted. */
export async function classicLoadBalancerInstances(clients: AwsClients, name: string): Promise<string[]> {
  const xml = await classicElb(clients, {
    Action: 'DescribeLoadBalancers',
    'LoadBalancerNames.member.1': name,
  });
  const instances = /<Instances>([\s\S]*?)<\/Instances>/.exec(xml)?.[1] ?? '';
  return [...instances.matchAll(/<InstanceId>([^<]+)<\/InstanceId>/g)].map((m) => m[1] ?? '').sort();
}
