import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  NODE_APP_ID_CONFIG_OPTIONS,
  NODE_MAX_ATTEMPT_CONFIG_OPTIONS,
  NODE_RETRY_MODE_CONFIG_OPTIONS
} from "./chunk-OH2HIJBA.js";
import {
  loadConfig
} from "./chunk-NHRM3HTZ.js";

// src/aws/settings.ts
var DEFAULT_MAX_ATTEMPTS = 5;
var DEFAULT_RETRY_MODE = "adaptive";
var DEFAULT_APP_ID = "autoscale-gitops";
function sdkSettings(explicit = {}) {
  return {
    maxAttempts: explicit.maxAttempts ?? loadConfig({ ...NODE_MAX_ATTEMPT_CONFIG_OPTIONS, default: DEFAULT_MAX_ATTEMPTS }),
    retryMode: loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: DEFAULT_RETRY_MODE }),
    userAgentAppId: loadConfig({
      ...NODE_APP_ID_CONFIG_OPTIONS,
      default: DEFAULT_APP_ID
    })
  };
}
async function defaultRegion(explicit, env) {
  const fromEnv = explicit || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  const fromProfile = loadConfig(
    {
      // Already looked at above, from the run's own environment.
      environmentVariableSelector: () => void 0,
      configFileSelector: (profile) => profile.region || void 0,
      default: () => void 0
    },
    {
      ...env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {},
      ...env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}
    }
  );
  try {
    return await fromProfile();
  } catch {
    return void 0;
  }
}
function proxyAgentOptions(env = process.env) {
  const names = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];
  return names.some((name) => env[name]) ? { proxyEnv: { ...env } } : {};
}

export {
  sdkSettings,
  defaultRegion,
  proxyAgentOptions
};
