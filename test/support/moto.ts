/**
 * vitest glue for moto: one server per test file, reset before each test. The server itself and
 * the list of moto's quirks live in moto-server.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type AwsClients, type CreateAwsClientsOptions, createAwsClients } from '../../src/aws/clients.ts';
import {
  type MotoServer,
  motoEnv,
  type StartMotoOptions,
  startMoto,
  TEST_CREDENTIALS,
  TEST_REGION,
} from './moto-server.ts';

export * from './moto-server.ts';

export interface MotoHandle {
  /** The running server (throws outside the hooks' lifetime). */
  readonly server: MotoServer;
  readonly endpoint: string;
  /**
   * Fresh clients bound to this moto (region us-east-1, dummy credentials, a new counter, the
   * factory's retry defaults). Destroyed after each test.
   */
  clients(overrides?: Partial<CreateAwsClientsOptions>): AwsClients;
  /** {@link motoEnv} for this server: the environment for a CLI or Action child process. */
  env(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

const ISOLATED_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_EC2_METADATA_DISABLED',
] as const;

/**
 * Registers vitest hooks for the calling test file: start moto before all tests, reset it before
 * each, stop it after all. While the file runs, this process's default AWS credentials are the
 * dummy ones (real ones in the environment are hidden, then restored), so code that falls back to
 * the SDK's chain cannot sign with a real identity.
 */
export function useMoto(options: StartMotoOptions = {}): MotoHandle {
  let server: MotoServer | undefined;
  const saved = new Map<string, string | undefined>();
  const created: AwsClients[] = [];

  beforeAll(async () => {
    for (const key of ISOLATED_ENV) saved.set(key, process.env[key]);
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    server = await startMoto(options);
  });
  beforeEach(async () => {
    await server?.reset();
  });
  afterEach(() => {
    for (const clients of created.splice(0)) clients.destroy();
  });
  afterAll(async () => {
    await server?.stop();
    server = undefined;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const running = (): MotoServer => {
    if (server === undefined) throw new Error('moto is not running: use the handle inside tests or hooks');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get endpoint() {
      return running().endpoint;
    },
    clients(overrides = {}) {
      const clients = createAwsClients({
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        ...overrides,
        endpoint: overrides.endpoint ?? running().endpoint,
      });
      created.push(clients);
      return clients;
    },
    env(base) {
      return motoEnv(running().endpoint, base);
    },
  };
}
