/**
 * Whether the AWS SDK can find credentials at all, asked once before planning: a pull request
 * from a fork, or a workflow without `aws-actions/configure-aws-credentials`, has none, and that
 * deserves one clear sentence rather than every AWS read failing with the same error.
 *
 * The SDK's own chain is used (environment, shared files, web identity token, SSO, container and
 * instance metadata), exactly what the pipeline's clients will use.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export type CredentialCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export type CredentialProvider = () => Promise<unknown>;

export async function checkAwsCredentials(
  provider: CredentialProvider = fromNodeProviderChain(),
): Promise<CredentialCheck> {
  try {
    await provider();
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: message || 'no credentials' };
  }
}
