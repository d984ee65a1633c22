/**
 * The commands that never reach AWS: validate, schema, iam-policy. A module of its own so that
 * they load the configuration's modules but not the AWS SDK or the GitHub client.
 */
import { defaultRegion } from '../aws/settings.ts';
import { loadConfig, loadSchema } from '../config/index.ts';
import { iamPolicy } from '../iam/policy.ts';
import { type CliIo, type CliOptions, EXIT_ERROR, EXIT_OK, reportDiagnostics } from './io.ts';

export function schemaCommand(io: CliIo): number {
  io.stdout(`${JSON.stringify(loadSchema(), null, 2)}\n`);
  return EXIT_OK;
}

/** The region a file without `region:` belongs to: --region, the environment, the profile. */
function regionOf(options: CliOptions, io: CliIo): Promise<string | undefined> {
  return defaultRegion(options.region, io.env);
}

async function configOptions(options: CliOptions, io: CliIo) {
  const region = await regionOf(options, io);
  return {
    env: io.env,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(region === undefined ? {} : { region }),
  };
}

export async function iamPolicyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const result = await loadConfig(options.config, await configOptions(options, io));
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) return EXIT_ERROR;
  io.stdout(`${JSON.stringify(iamPolicy(result.clusters, await regionOf(options, io)), null, 2)}\n`);
  return EXIT_OK;
}

export async function validateCommand(options: CliOptions, io: CliIo): Promise<number> {
  // Checking files offline needs no secrets: a variable not set is a warning, its value unknown.
  const result = await loadConfig(options.config, {
    ...(await configOptions(options, io)),
    missingEnv: options.strictEnv ? 'error' : 'warning',
  });
  if (reportDiagnostics(result.diagnostics, result.secrets, io)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(`${errors} error${errors === 1 ? '' : 's'} in ${options.config}\n`);
    return EXIT_ERROR;
  }
  io.stdout(
    `${result.files.length} file${result.files.length === 1 ? '' : 's'} valid in ${options.config}\n`,
  );
  return EXIT_OK;
}
