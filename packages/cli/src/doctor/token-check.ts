/**
 * The token, decoded and held against what the API expects: the kind (`token_use`), the issuer (the
 * user pool), the audience (the app client), the expiry. Each mismatch is explained with its usual
 * cause — an access token where the ID token belongs, a token from another pool or app client, an
 * expired session — because the authorizer itself only says "Unauthorized".
 */
import { freshTokenAdvice, gatehouseCommand } from './advice';
import type { CheckResult } from './check-result';
import { DEPLOYED_COGNITO, type DoctorTarget } from './doctor-target';
import type { TokenExpectations } from './expectations';
import { decodeToken, TokenDecodeError, tokenLabel } from './jwt-claims';

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(([a-z0-9-]+)_[A-Za-z0-9]+)$/;

export function tokenCheck(
  raw: string,
  expect: TokenExpectations,
  nowSeconds: number,
  target: DoctorTarget = DEPLOYED_COGNITO,
): CheckResult {
  const local = target.isLocal;
  const base = { id: 'token', title: `Token ${tokenLabel(raw)}` };
  let claims: Record<string, unknown>;
  let header: Record<string, unknown>;
  try {
    ({ claims, header } = decodeToken(raw));
  } catch (error) {
    if (!(error instanceof TokenDecodeError)) throw error;
    return {
      ...base,
      status: 'fail',
      summary: `this is not a JWT: ${error.message}`,
      fix: `pass the ID token itself: ${freshTokenAdvice(target)}`,
    };
  }
  const tokenUse = claims.token_use;
  const audience = tokenUse === 'access' ? claims.client_id : claims.aud;
  const details = [
    `token_use: ${String(tokenUse ?? '(absent)')}`,
    `iss: ${String(claims.iss ?? '(absent)')}`,
    `${tokenUse === 'access' ? 'client_id' : 'aud'}: ${String(audience ?? '(absent)')}`,
    `exp: ${describeTime(claims.exp, nowSeconds)}`,
    `alg: ${String(header.alg)}, kid: ${String(header.kid)}`,
  ];
  if (expect.source) details.push(`expected values from ${expect.source}`);
  const problems: string[] = [];
  const fixes: string[] = [];

  if (tokenUse !== expect.tokenUse) {
    problems.push(
      `it is ${tokenUse === 'access' ? 'an access' : tokenUse === 'id' ? 'an ID' : 'not a Cognito'} token; the API expects the ${expect.tokenUse === 'id' ? 'ID' : 'access'} token`,
    );
    fixes.push(
      expect.tokenUse === 'id'
        ? local
          ? `send the ID token (it carries aud, email and groups): ${freshTokenAdvice(target)}`
          : 'send the ID token (it carries aud, email and groups): Amplify tokens.idToken, not tokens.accessToken'
        : local
          ? `send the access token: --token "$(${gatehouseCommand(target, 'token --access')})"`
          : 'send the access token (Amplify tokens.accessToken), or deploy with tokenUse "id"',
    );
  }
  if (typeof claims.exp !== 'number') {
    problems.push('it has no exp claim');
  } else if (claims.exp <= nowSeconds) {
    problems.push(`it expired ${formatDuration(nowSeconds - claims.exp)} ago`);
    fixes.push(
      local
        ? `a fresh one: ${freshTokenAdvice(target)}`
        : 'sign in again (Amplify refreshes tokens by itself while the refresh token is valid; a copied token does not)',
    );
  }
  if (header.alg !== 'RS256') {
    problems.push(`it is signed with ${String(header.alg)}; API Gateway's JWT authorizer accepts RSA signatures only`);
  }
  if (typeof claims.iss !== 'string') {
    problems.push('it has no iss claim');
  } else if (expect.issuer && claims.iss !== expect.issuer) {
    problems.push(`it comes from another user pool (${claims.iss}); the API trusts ${expect.issuer}`);
    fixes.push(
      local
        ? `use a token of this local stack (its issuer carries the identity port): ${freshTokenAdvice(target)}`
        : 'sign in through the user pool the API was deployed with (compare userPoolId in gatehouse-config.json with the stack output UserPoolId)',
    );
  } else if (!expect.issuer) {
    const match = COGNITO_ISSUER.exec(claims.iss);
    if (match && match[1] !== match[3]) {
      problems.push(`its issuer names region ${match[1]} but pool ${match[2]} lives in ${match[3]}`);
    }
  }
  if (expect.clientIds.length > 0 && !expect.clientIds.includes(String(audience))) {
    problems.push(`it was issued to app client ${String(audience)}; the API accepts ${expect.clientIds.join(', ')}`);
    fixes.push(
      local
        ? `use a token issued to the local web client: ${freshTokenAdvice(target)}`
        : 'sign in with the app client the API lists (userPoolClientId in the web config), or add this client id to userPoolClientIds and deploy',
    );
  }

  if (problems.length > 0) {
    return {
      ...base,
      status: 'fail',
      summary: `the API will refuse it: ${problems.join('; ')}`,
      details,
      fix: fixes.join('; ') || `use a token the user pool issued: ${freshTokenAdvice(target)}`,
    };
  }
  const compared =
    expect.issuer || expect.clientIds.length > 0
      ? 'matches the API’s issuer and client'
      : 'is well-formed (pass --config to compare issuer and client)';
  return { ...base, status: 'pass', summary: `a current ${String(tokenUse)} token that ${compared}`, details };
}

function describeTime(value: unknown, now: number): string {
  if (typeof value !== 'number') return '(absent)';
  const when = new Date(value * 1000).toISOString();
  return value > now ? `${when} (in ${formatDuration(value - now)})` : `${when} (${formatDuration(now - value)} ago)`;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
