/**
 * AWS's paging, emulated on moto's one-page answers (benches only).
 *
 * moto returns every scaling policy, scheduled action, alarm and container instance in one page
 * whatever MaxRecords / maxResults say, and pages DescribeInstances by reservations; AWS returns
 * at most a page (100, 100, 100, 100; 1000 instances). To count calls as AWS would need them, a
 * client middleware asks moto for everything, slices the answer at the page size the call asked
 * for and hands out its own NextToken. Each page is still one real HTTP call (through the proxy,
 * when there is one), so both the call counts and the round trips are AWS's; pages after the
 * first are cut from the list the first page fetched (see CHEAP_INPUT).
 */
import type {
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
  MetadataBearer,
} from '@smithy/types';
import type { AwsClients } from '../../src/aws/clients.ts';

export interface PagedList {
  /** The list in the output. */
  readonly items: string;
  /** The page-size and token parameters (input) and the token (output). */
  readonly limit: string;
  readonly token: string;
  /** AWS's page size when the call names none, and its largest. */
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/** By command name: the lists moto answers in one page. */
export const PAGED: Readonly<Record<string, PagedList>> = {
  DescribePoliciesCommand: {
    items: 'ScalingPolicies',
    limit: 'MaxRecords',
    token: 'NextToken',
    defaultLimit: 50,
    maxLimit: 100,
  },
  DescribeScheduledActionsCommand: {
    items: 'ScheduledUpdateGroupActions',
    limit: 'MaxRecords',
    token: 'NextToken',
    defaultLimit: 50,
    maxLimit: 100,
  },
  DescribeAlarmsCommand: {
    items: 'MetricAlarms',
    limit: 'MaxRecords',
    token: 'NextToken',
    defaultLimit: 50,
    maxLimit: 100,
  },
  ListContainerInstancesCommand: {
    items: 'containerInstanceArns',
    limit: 'maxResults',
    token: 'nextToken',
    defaultLimit: 100,
    maxLimit: 100,
  },
  ListServicesCommand: {
    items: 'serviceArns',
    limit: 'maxResults',
    token: 'nextToken',
    defaultLimit: 10,
    maxLimit: 100,
  },
};

const TOKEN_PREFIX = 'bench-page:';
/** DescribeInstances: AWS pages by instances (MaxResults 5..1000). */
const INSTANCES_MAX = 1000;
const NONE = 'bench-paging-none';

/**
 * Pages after the first are sliced from the list the first page fetched (moto would serialise
 * the whole list again for each page: an emulator cost, not AWS's), but each still makes one
 * real, cheap call: the same operation asking for a name that does not exist.
 */
const CHEAP_INPUT: Readonly<Record<string, (input: Record<string, unknown>) => Record<string, unknown>>> = {
  DescribePoliciesCommand: () => ({ PolicyNames: [NONE] }),
  DescribeScheduledActionsCommand: () => ({ ScheduledActionNames: [NONE] }),
  DescribeAlarmsCommand: () => ({ AlarmNames: [NONE] }),
  DescribeInstancesCommand: () => ({ Filters: [{ Name: 'instance-id', Values: ['i-00000000000000000'] }] }),
};

let extraFetches = 0;

/** HTTP requests the emulation made beyond the calls it answered (moto's own DescribeInstances pages). */
export function emulationFetches(): number {
  return extraFetches;
}

interface Cursor {
  readonly list: number;
  readonly offset: number;
}

function cursorOf(token: unknown): Cursor | undefined {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) return undefined;
  const [list, offset] = token.slice(TOKEN_PREFIX.length).split(':').map(Number);
  return list === undefined || offset === undefined ? undefined : { list, offset };
}

/** The middleware: slices the one-page answers of {@link PAGED} and DescribeInstances. */
export function awsPaging(): InitializeMiddleware<object, MetadataBearer> {
  const lists = new Map<number, unknown[]>();
  let nextList = 0;
  /** Fetches a page: from the cached list (with one cheap real call) or, for a first page, from moto. */
  const fetch = async (
    next: Parameters<InitializeMiddleware<object, MetadataBearer>>[0],
    args: InitializeHandlerArguments<object>,
    command: string,
    input: Record<string, unknown>,
    strip: readonly string[],
    token: unknown,
    all: (output: Record<string, unknown>) => unknown[],
  ): Promise<{
    result: InitializeHandlerOutput<MetadataBearer>;
    list: number;
    items: unknown[];
    offset: number;
  }> => {
    const cursor = cursorOf(token);
    const cached = cursor === undefined ? undefined : lists.get(cursor.list);
    const cheap = CHEAP_INPUT[command];
    if (cursor !== undefined && cached !== undefined && cheap !== undefined) {
      const result = await next({ ...args, input: cheap(input) });
      return { result, list: cursor.list, items: cached, offset: cursor.offset };
    }
    const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !strip.includes(k)));
    const result = await next({
      ...args,
      input: command === 'DescribeInstancesCommand' ? { ...rest, MaxResults: 1000 } : rest,
    });
    const items = all(result.output as unknown as Record<string, unknown>);
    // moto pages DescribeInstances by reservations (100 by default, at most 1000): fetch the rest.
    let motoToken =
      command === 'DescribeInstancesCommand'
        ? (result.output as { NextToken?: string }).NextToken
        : undefined;
    for (let guard = 0; motoToken !== undefined && guard < 1000; guard++) {
      extraFetches++;
      const more = await next({ ...args, input: { ...rest, MaxResults: 1000, NextToken: motoToken } });
      items.push(...all(more.output as unknown as Record<string, unknown>));
      motoToken = (more.output as { NextToken?: string }).NextToken;
    }
    const list = nextList++;
    lists.set(list, items);
    return { result, list, items, offset: cursor?.offset ?? 0 };
  };
  const tokenFor = (list: number, offset: number, limit: number, total: number): string | undefined =>
    offset + limit < total ? `${TOKEN_PREFIX}${list}:${offset + limit}` : undefined;

  return (next, context) => async (args: InitializeHandlerArguments<object>) => {
    const command = String(context.commandName);
    const input = args.input as Record<string, unknown>;
    if (command === 'DescribeInstancesCommand' && typeof input.MaxResults === 'number') {
      const limit = Math.min(input.MaxResults, INSTANCES_MAX);
      type Reservation = { Instances?: unknown[] };
      const page = await fetch(
        next,
        args,
        command,
        input,
        ['MaxResults', 'NextToken'],
        input.NextToken,
        (output) =>
          ((output.Reservations as Reservation[] | undefined) ?? []).flatMap((r) =>
            (r.Instances ?? []).map((i) => ({ r, i })),
          ),
      );
      const slice = (page.items as { r: Reservation; i: unknown }[]).slice(page.offset, page.offset + limit);
      const reservations = new Map<Reservation, unknown[]>();
      for (const { r, i } of slice) reservations.set(r, [...(reservations.get(r) ?? []), i]);
      const output = page.result.output as unknown as Record<string, unknown>;
      output.Reservations = [...reservations].map(([r, instances]) => ({ ...r, Instances: instances }));
      output.NextToken = tokenFor(page.list, page.offset, limit, page.items.length);
      return page.result;
    }
    const paged = PAGED[command];
    if (paged === undefined) return next(args);
    const asked = input[paged.limit];
    const limit = Math.min(typeof asked === 'number' ? asked : paged.defaultLimit, paged.maxLimit);
    const page = await fetch(
      next,
      args,
      command,
      input,
      [paged.token],
      input[paged.token],
      (output) => (output[paged.items] as unknown[] | undefined) ?? [],
    );
    const output = page.result.output as unknown as Record<string, unknown>;
    output[paged.items] = page.items.slice(page.offset, page.offset + limit);
    output[paged.token] = tokenFor(page.list, page.offset, limit, page.items.length);
    return page.result;
  };
}

/** Installs {@link awsPaging} on the clients that need it (built now if not yet). */
export function withAwsPaging(clients: AwsClients): void {
  // Four clients, four stack types: one shape for all of them here.
  const stacks = [clients.autoscaling, clients.cloudwatch, clients.ecs, clients.ec2].map(
    (c) => c.middlewareStack as unknown as { add(middleware: unknown, options: object): void },
  );
  for (const stack of stacks) {
    stack.add(awsPaging(), { step: 'initialize', priority: 'low', name: 'benchAwsPaging' });
  }
}
