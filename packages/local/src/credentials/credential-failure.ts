/**
 * Why a core's credentials could not be had, as one line that says what to run — the SDK's own
 * messages name a provider, not the fix.
 */
import type { ResolvedCoreCredentials } from '@gatehouse/contract';

export function explainCredentialFailure(error: unknown, credentials: ResolvedCoreCredentials): string {
  const e = error as { name?: string; message?: string; Code?: string };
  const message = e.message ?? String(error);
  const profile = credentials.kind === 'profile' ? credentials.profile : process.env.AWS_PROFILE;
  const login = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
  if (/sso/i.test(message) && /expired|invalid|refresh/i.test(message)) {
    return `the SSO session has expired: run \`${login}\``;
  }
  if (e.name === 'CredentialsProviderError' || e.name === 'TokenProviderError') {
    const where = profile ? `profile ${profile}` : 'the environment, ~/.aws/credentials or ~/.aws/config';
    return `no AWS credentials found in ${where}: run \`aws configure${profile ? ` --profile ${profile}` : ''}\` or \`${login}\` (${message})`;
  }
  if (e.name === 'ExpiredToken' || e.name === 'ExpiredTokenException') {
    return `your AWS credentials have expired: run \`${login}\` or refresh them`;
  }
  if (credentials.kind === 'assumeRole' && (e.name === 'AccessDenied' || e.name === 'AccessDeniedException')) {
    const role = credentials.role === 'deployed' ? "the core's deployed execution role" : credentials.role;
    const fix =
      credentials.role === 'deployed'
        ? "deploy with the construct's developerAccess prop naming you, so the role's trust policy admits you (docs/CORES-ON-AWS.md)"
        : "add your identity to the role's trust policy";
    return `you may not assume ${role}: ${fix} (${message})`;
  }
  return `the credentials could not be had: ${message}`;
}
