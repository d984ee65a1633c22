/**
 * The real pipeline (config on disk → moto) for the ECS integration tests, plus seeding and
 * reading helpers. Every run uses a fixed clock ({@link NOW}, or the test's): the planners and
 * the CloudWatch windows follow it, and moto keeps datapoints put at those times, so no test
 * depends on when it runs.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  StartTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach } from 'vitest';
import type { Change, Plan } from '../../../src/model.ts';
import type { MotoHandle } from '../../support/moto.ts';
import { type PipelineHarness, usePipeline } from '../../support/pipeline.ts';

export const CLUSTER = 'my_cluster';
/** The runs' clock unless a test gives another: 30 s into a minute. */
export const NOW = new Date('2030-06-01T12:00:30Z');

export type { RunOptions } from '../../support/pipeline.ts';
export type Harness = PipelineHarness;

/** Each run writes the YAML as my_cluster.yml (the cluster's name); the clock is {@link NOW}. */
export function useHarness(moto: MotoHandle): Harness {
  return usePipeline(moto, { file: `${CLUSTER}.yml`, now: () => NOW });
}

export function actions(plan: Plan): [string, string, string, unknown, unknown][] {
  return plan.changes.map((c: Change) => [c.type, c.action, c.id, c.before, c.after]);
}

export async function describeService(moto: MotoHandle, name: string) {
  const out = await moto
    .clients()
    .ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name], include: ['TAGS'] }));
  const service = out.services?.[0];
  if (service === undefined) throw new Error(`no service ${name}`);
  return service;
}

export async function groupOf(moto: MotoHandle, name: string) {
  const out = await moto
    .clients()
    .autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.[0];
  if (group === undefined) throw new Error(`no group ${name}`);
  return group;
}

/** Container instances by EC2 instance id: status and running tasks. */
export async function containerInstances(moto: MotoHandle) {
  const clients = moto.clients();
  const list = await clients.ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }));
  const described = await clients.ecs.send(
    new DescribeContainerInstancesCommand({
      cluster: CLUSTER,
      containerInstances: list.containerInstanceArns ?? [],
    }),
  );
  return new Map(
    (described.containerInstances ?? []).map((ci) => [
      ci.ec2InstanceId ?? '',
      { arn: ci.containerInstanceArn ?? '', status: ci.status, tasks: ci.runningTasksCount },
    ]),
  );
}

/** Places one task of `family` on the container instance (moto reserves its resources there). */
export async function startTask(
  moto: MotoHandle,
  family: string,
  containerInstanceArn: string,
): Promise<void> {
  await moto.clients().ecs.send(
    new StartTaskCommand({
      cluster: CLUSTER,
      taskDefinition: family,
      containerInstances: [containerInstanceArn],
    }),
  );
}

/** A datapoint time inside the last complete period of `period` seconds before `now`. */
export function lastCompletePeriod(period: number, now: Date = NOW): Date {
  const end = Math.floor(now.getTime() / (period * 1000)) * period * 1000;
  return new Date(end - (period * 1000) / 2);
}

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
}

/**
 * A node:http server for third_party sources, started before each test and stopped after it:
 * `handler` answers, every request is recorded. Returns the running server's handle.
 */
export function useHttpServer(handler: (req: Recorded, res: ServerResponse) => void): () => LocalServer {
  let server: Server | undefined;
  let state: LocalServer | undefined;
  beforeEach(async () => {
    const requests: Recorded[] = [];
    const s = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        requests.push(recorded);
        handler(recorded, res);
      });
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as AddressInfo).port;
    server = s;
    state = { url: `http://127.0.0.1:${port}`, port, requests };
  });
  afterEach(async () => {
    const s = server;
    server = undefined;
    state = undefined;
    if (s !== undefined) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
  return () => {
    if (state === undefined) throw new Error('the HTTP server runs only inside tests');
    return state;
  };
}

export function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
