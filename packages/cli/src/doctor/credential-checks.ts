/**
 * What the doctor can tell about the caller's credential before the real call, per auth mode:
 * - email allow-list: the token's email, whether Cognito verified it, and — for the local stack,
 *   whose list is in services.json — whether the list admits it (the authorizer only says 403);
 * - API keys: for the local stack, whether the key is in its key list (unknown and revoked keys
 *   look the same: revoking removes the hash);
 * - IAM: which credential signs, for which region, and whether that region is the API's.
 */
import { createSsmParameterClient, findApiKey, KeyStore } from '@gatehouse/authorizer';
import { apiKeysParameterName, isEmailAllowed, parseEmailAllowList } from '@gatehouse/contract';
import { loadLocalCredential } from '@gatehouse/local';
import { gatehouseCommand } from './advice';
import type { CheckResult } from './check-result';
import { type DoctorTarget, devFlags } from './doctor-target';
import { decodeToken, TokenDecodeError } from './jwt-claims';
import type { IamCredential } from './route-request';

/** The token's email as the allow-list sees it. */
export interface EmailClaims {
  email?: string;
  verified: boolean;
}

export function emailClaims(token: string): EmailClaims | undefined {
  try {
    const { claims } = decodeToken(token);
    const verified = claims.email_verified === true || claims.email_verified === 'true';
    return { ...(typeof claims.email === 'string' ? { email: claims.email } : {}), verified };
  } catch (error) {
    if (error instanceof TokenDecodeError) return undefined;
    throw error;
  }
}

export function allowListCheck(token: string, target: DoctorTarget): CheckResult {
  const base = { id: 'allow-list', title: 'Email allow-list' };
  const claims = emailClaims(token);
  const list = target.auth.mode === 'lambda' ? target.auth.allowedEmails : undefined;
  if (!claims) return { ...base, status: 'skip', summary: 'the token cannot be read (see the token check above)' };
  if (!claims.email) {
    return {
      ...base,
      status: 'fail',
      summary: 'the token has no email claim, and the allow-list admits by email',
      fix: 'send the ID token (the access token carries no email), from a user pool whose users have an email',
    };
  }
  if (!claims.verified) {
    return {
      ...base,
      status: 'fail',
      summary: `${claims.email} is not verified (email_verified is not true), and only verified emails count`,
      fix: target.isLocal
        ? `confirm the user's email in the local web app, or use a seeded user: ${gatehouseCommand(target, 'token')}`
        : 'the user confirms the email with the code Cognito sends (or an admin sets email_verified), then signs in again',
    };
  }
  if (!list) {
    return {
      ...base,
      status: 'pass',
      summary: `the token carries ${claims.email}, verified; the deployed list is not visible from here — the real call tells whether it admits it`,
    };
  }
  if (!isEmailAllowed(parseEmailAllowList(list), claims.email, true)) {
    const widened = {
      mode: 'lambda' as const,
      authorizer: 'email-allowlist' as const,
      allowedEmails: [...list, claims.email],
    };
    return {
      ...base,
      status: 'fail',
      summary: `${claims.email} is not on the allow-list (${list.join(', ')})`,
      fix: target.isLocal
        ? `restart the local stack with the address (or its @domain) on the list: npx gatehouse dev${devFlags(widened)}; or sign in as a listed user`
        : `add ${claims.email} (or @${claims.email.split('@')[1]}) to allowedEmails and deploy, or sign in as a listed user`,
    };
  }
  return { ...base, status: 'pass', summary: `${claims.email}, verified, is on the allow-list (${list.join(', ')})` };
}

/** The local stack's key list, read as `gatehouse keys list --local` reads it. */
export async function apiKeyCheck(apiKey: string, target: DoctorTarget): Promise<CheckResult> {
  const base = { id: 'api-key', title: 'API key' };
  const local = target.local;
  if (!local) {
    return {
      ...base,
      status: 'skip',
      summary: 'the deployed key list is not read from here — the real call tells whether the key is accepted',
    };
  }
  const settings = local.services.lambda?.kind === 'api-key' ? local.services.lambda : {};
  const credential = loadLocalCredential(local.stateDir);
  const client = createSsmParameterClient({
    AWS_REGION: local.services.region,
    AWS_ENDPOINT_URL_SSM: local.services.ssmEndpoint,
    // The local Parameter Store admits only requests signed with the local credential.
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
  });
  let records: Awaited<ReturnType<KeyStore['records']>>;
  try {
    records = await new KeyStore(client, apiKeysParameterName(settings), 0).records();
  } catch (error) {
    return {
      ...base,
      status: 'warn',
      summary: `the local key list could not be read: ${(error as Error).message}`,
      fix: `is the local stack running? ${gatehouseCommand(target, 'dev')}${devFlags(target.auth)}`,
    };
  }
  const record = findApiKey(records, apiKey);
  if (!record) {
    return {
      ...base,
      status: 'fail',
      summary: `the key is not in the local key list (${records.length} key${records.length === 1 ? '' : 's'} issued): it was never issued by this stack, or it was revoked`,
      fix: `issue one — KEY=$(${gatehouseCommand(target, 'keys add doctor --local')}) — and pass --api-key "$KEY"`,
    };
  }
  return {
    ...base,
    status: 'pass',
    summary: `issued as "${record.id}" (groups: ${record.groups.join(', ') || 'none'})`,
  };
}

const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

export function iamCredentialCheck(credential: IamCredential, url: URL): CheckResult {
  const base = { id: 'signature', title: 'SigV4 credential' };
  const summary = `signing as ${credential.accessKeyId.slice(0, 4)}… for execute-api in ${credential.region} (${credential.source})`;
  const apiRegion = EXECUTE_API_HOST.exec(url.hostname)?.[1];
  if (apiRegion && apiRegion !== credential.region) {
    return {
      ...base,
      status: 'fail',
      summary: `${summary}, but the API is in ${apiRegion}`,
      fix: `sign for the API's region: AWS_REGION=${apiRegion}`,
    };
  }
  return { ...base, status: 'pass', summary };
}
