/**
 * The AWS SDK's own settings, read the way the SDK (and the AWS CLI) read them, so that a runner
 * configured for AWS behaves as the user's other AWS tools do. Our values are defaults only:
 *
 * - retries: `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`, else the profile's `max_attempts` /
 *   `retry_mode`, else ours (5 attempts, adaptive: a large plan's reads back off together when
 *   AWS throttles them);
 * - the application id in the User-Agent (`app/…`): `AWS_SDK_UA_APP_ID`, else the profile's
 *   `sdk_ua_app_id`, else `autoscale-gitops`, so AWS-side logs and support can tell our calls
 *   apart;
 * - the default region: `--region` / the input, then `AWS_REGION`, `AWS_DEFAULT_REGION` (the
 *   AWS CLI's), then the profile's `region` in the shared config file (`AWS_CONFIG_FILE`, else
 *   ~/.aws/config; profile `AWS_PROFILE`, else `default`);
 * - proxies: `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (upper or lower case), as curl and the
 *   AWS CLI honour them; self-hosted runners often reach AWS only through one. Node's own agent
 *   does the proxying (`proxyEnv`, Node 24.5 and later), so no proxy package is bundled.
 *
 * The profile is read with the SDK's own loaders (the ones every client uses internally).
 */
import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { loadConfig } from '@smithy/core/config';
import { NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';
import type { Provider } from '@smithy/types';

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_MODE = 'adaptive';
/** Up to 50 characters (the SDK warns beyond); the version is in our own logs, not needed here. */
export const DEFAULT_APP_ID = 'autoscale-gitops';

export interface SdkSettings {
  readonly maxAttempts: number | Provider<number>;
  readonly retryMode: string | Provider<string>;
  readonly userAgentAppId: Provider<string | undefined>;
}

/** Client settings: an explicit `maxAttempts` (tests, benches) wins over everything. */
export function sdkSettings(explicit: { readonly maxAttempts?: number } = {}): SdkSettings {
  return {
    maxAttempts:
      explicit.maxAttempts ??
      loadConfig({ ...NODE_MAX_ATTEMPT_CONFIG_OPTIONS, default: DEFAULT_MAX_ATTEMPTS }),
    retryMode: loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: DEFAULT_RETRY_MODE }),
    userAgentAppId: loadConfig<string | undefined>({
      ...NODE_APP_ID_CONFIG_OPTIONS,
      default: DEFAULT_APP_ID,
    }),
  };
}

/**
 * The region for files that name none, or undefined. `env` is the run's environment (the CLI's
 * and the Action's process environment); the profile comes from the shared config file.
 */
export async function defaultRegion(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const fromEnv = explicit || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  const fromProfile = loadConfig<string | undefined>(
    {
      // Already looked at above, from the run's own environment.
      environmentVariableSelector: () => undefined,
      configFileSelector: (profile) => profile.region || undefined,
      default: () => undefined,
    },
    {
      ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}),
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    },
  );
  try {
    return await fromProfile();
  } catch {
    // An unreadable or malformed config file: no region from it (the SDK's own chain would fail
    // the same way later, with its own message, if a client needed it).
    return undefined;
  }
}

/**
 * Agent options for the SDK's request handler: Node's agent proxies by itself when given the
 * environment. Empty when no proxy variable is set, so nothing changes for the usual runner.
 */
export function proxyAgentOptions(env: NodeJS.ProcessEnv = process.env): { proxyEnv?: NodeJS.ProcessEnv } {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
  // A copy: the agent keeps what the environment said when the client was built.
  return names.some((name) => env[name]) ? { proxyEnv: { ...env } } : {};
}
