/**
 * The token attack catalogue: the classes aws-jwt-verify's tests and the JWT attack literature
 * list (alg `none` and its case variants, HS/RS confusion with the issuer's public key, embedded
 * `jwk`, `jku`/`x5u`, `kid` tricks, tampering, time claims, issuer and audience mix-ups, the wrong
 * kind of token, a huge token, odd bytes around `Bearer`), each an `Authorization` value and the
 * refusal it must meet. The gateway suite, the Lambda authorizer suite and the bench share it.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { RawValue } from '@gatehouse/testing';
import { type AttackerKeys, base64url, forgeJwt } from './jwt-forge';

/**
 * Who must refuse it on the local stack:
 * - `gateway`: the JWT authorizer, 401 `{"message":"Unauthorized"}` with a `www-authenticate` challenge;
 * - `edge`: the gateway admits a well-signed token of the wrong kind, the edge answers 401 `wrong_token_use`;
 * - `head-limit`: the request head is over 10,240 bytes, 431 before any check;
 * - `parser`: bytes HTTP forbids in a header value, 400 from the HTTP parser.
 */
export type Refusal = 'gateway' | 'edge' | 'head-limit' | 'parser';

export interface TokenAttack {
  family: string;
  name: string;
  /** The whole `Authorization` header value (with or without `Bearer `). */
  authorization: RawValue;
  refusal: Refusal;
  /** Only an HTTP front door can see it (a Lambda authorizer never receives such a request). */
  gatewayOnly?: boolean;
}

export interface TokenAttackTarget {
  issuer: string;
  clientId: string;
  /** The issuer's real private signing key and its `kid`. */
  key: KeyObject;
  kid: string;
  /** Claims the target would admit in an ID token besides the standard ones (e.g. an allow-listed email). */
  claims?: Record<string, unknown>;
}

/** A well-formed ID token the target admits: the control every suite sends first. */
export function validIdToken(target: TokenAttackTarget, claims: Record<string, unknown> = {}): string {
  return forgeJwt(header(target), idClaims(target, claims), rs256(target.key));
}

export function tokenAttacks(target: TokenAttackTarget, attacker: AttackerKeys): TokenAttack[] {
  const now = Math.floor(Date.now() / 1000);
  const claims = idClaims(target);
  const real = (payload: Record<string, unknown>, extraHeader: Record<string, unknown> = {}) =>
    forgeJwt({ ...header(target), ...extraHeader }, payload, rs256(target.key));
  const valid = real(claims);
  const [h, p, s] = valid.split('.') as [string, string, string];
  const publicKey = createPublicKey(target.key);
  const publicForms: [string, Buffer][] = [
    ['SPKI PEM', Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }))],
    ['PKCS#1 PEM', Buffer.from(publicKey.export({ type: 'pkcs1', format: 'pem' }))],
    ['SPKI DER', publicKey.export({ type: 'spki', format: 'der' })],
    ['JWK JSON', Buffer.from(JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: target.kid }))],
  ];
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const byAttacker = (extraHeader: Record<string, unknown>, payload = claims) =>
    forgeJwt({ alg: 'RS256', ...extraHeader }, payload, rs256(attacker.key));
  const unsigned = (alg: string) => forgeJwt({ alg, kid: target.kid }, claims, { kind: 'none' });
  const hugeValid = real({ ...claims, padding: 'x'.repeat(12_000) });
  const bearer = (separator: RawValue, token = valid): Buffer =>
    Buffer.concat([
      Buffer.from('Bearer'),
      typeof separator === 'string' ? Buffer.from(separator) : separator,
      Buffer.from(token),
    ]);

  const attacks: TokenAttack[] = [
    // alg none and its spellings
    ...['none', 'None', 'NONE', 'nOnE'].map((alg) => gw('alg none', `alg "${alg}", no signature`, unsigned(alg))),
    gw('alg none', 'alg "none" keeping the real signature', `${base64url({ alg: 'none', kid: target.kid })}.${p}.${s}`),
    gw('alg none', 'no alg at all', forgeJwt({ kid: target.kid }, claims, { kind: 'none' })),
    gw('alg none', 'alg "none" without a kid', forgeJwt({ alg: 'none' }, claims, { kind: 'none' })),
    // RS/HS confusion: HMAC keyed with the issuer's public key in every form a verifier might hold it
    ...publicForms.flatMap(([form, secret]) =>
      (['sha256', 'sha384', 'sha512'] as const).map((hash) =>
        gw(
          'HS/RS confusion',
          `HS${hash.slice(3)} keyed with the public key (${form})`,
          forgeJwt({ alg: `HS${hash.slice(3)}`, kid: target.kid }, claims, { kind: 'hmac', hash, secret }),
        ),
      ),
    ),
    gw('HS/RS confusion', 'HS256 with an empty secret', hmac({ alg: 'HS256', kid: target.kid }, claims, '')),
    // other algorithms
    gw(
      'algorithm',
      'ES256 by an attacker key, real kid',
      forgeJwt({ alg: 'ES256', kid: target.kid }, claims, { kind: 'ec', key: ec }),
    ),
    gw(
      'algorithm',
      'PS256 by the real key',
      forgeJwt({ alg: 'PS256', kid: target.kid }, claims, { kind: 'rsa-pss', hash: 'sha256', key: target.key }),
    ),
    gw('algorithm', 'header says RS512, signed RS256', real(claims, { alg: 'RS512' })),
    // keys the token brings along
    gw('embedded jwk', 'attacker jwk in the header, real kid', byAttacker({ kid: target.kid, jwk: attacker.jwk })),
    gw('embedded jwk', 'attacker jwk in the header, its own kid', byAttacker({ kid: attacker.kid, jwk: attacker.jwk })),
    gw('embedded jwk', 'attacker jwk in the header, no kid', byAttacker({ jwk: attacker.jwk })),
    gw('jku/x5u', 'jku to the attacker JWKS, its kid', byAttacker({ kid: attacker.kid, jku: attacker.jwksUrl })),
    gw('jku/x5u', 'jku to the attacker JWKS, real kid', byAttacker({ kid: target.kid, jku: attacker.jwksUrl })),
    gw('jku/x5u', 'x5u to the attacker server', byAttacker({ kid: attacker.kid, x5u: attacker.x5uUrl })),
    // kid tricks
    gw(
      'kid',
      'path traversal to /dev/null, HS256 empty secret',
      hmac({ alg: 'HS256', kid: '../../../../../../dev/null' }, claims, ''),
    ),
    gw('kid', 'path traversal, attacker RSA key', byAttacker({ kid: '../../../../../../etc/passwd' })),
    gw('kid', "SQL-ish kid ' OR '1'='1, HS256 keyed '1'", hmac({ alg: 'HS256', kid: "x' OR '1'='1" }, claims, '1')),
    gw('kid', 'SQL-ish kid, UNION SELECT', byAttacker({ kid: "x' UNION SELECT 'key' --" })),
    gw('kid', 'empty kid, attacker key', byAttacker({ kid: '' })),
    gw('kid', 'empty kid, real key', real(claims, { kid: '' })),
    gw('kid', 'no kid, attacker key', byAttacker({})),
    gw('kid', 'kid as a number', byAttacker({ kid: 0 })),
    gw('kid', 'kid as an array holding the real kid', byAttacker({ kid: [target.kid] })),
    gw('kid', 'real kid, attacker key', byAttacker({ kid: target.kid })),
    gw('kid', 'another key kid, attacker key', byAttacker({ kid: attacker.kid })),
    gw('kid', 'real kid with a trailing space, attacker key', byAttacker({ kid: `${target.kid} ` })),
    gw('kid', 'real kid in other case, attacker key', byAttacker({ kid: target.kid.toUpperCase() })),
    // tampering
    gw(
      'tampered',
      'payload changed, signature kept',
      `${h}.${base64url({ ...claims, sub: 'admin', 'cognito:groups': ['admins'] })}.${s}`,
    ),
    gw('tampered', 'header changed, signature kept', `${base64url({ ...header(target), typ: 'JWT', x: 1 })}.${p}.${s}`),
    gw('tampered', 'signature with one character changed', `${h}.${p}.${flip(s)}`),
    gw('tampered', 'signature truncated', `${h}.${p}.${s.slice(0, s.length / 2)}`),
    gw('tampered', 'signature empty', `${h}.${p}.`),
    gw('tampered', 'two segments', `${h}.${p}`),
    gw('tampered', 'a fourth segment', `${valid}.${s}`),
    gw('tampered', 'JWE-shaped, five segments', `${h}.${p}.${s}.${s}.${s}`),
    gw('tampered', 'base64 padding added', `${h}==.${p}.${s}`),
    gw('tampered', 'payload not JSON', `${h}.${base64url('not json')}.${s}`),
    gw('tampered', 'not a JWT at all', 'not-a-jwt'),
    // time
    gw('time', 'expired a second ago', real({ ...claims, exp: now - 1 })),
    gw('time', 'expired a year ago', real({ ...claims, iat: now - 31_536_000, exp: now - 31_536_000 + 3600 })),
    gw('time', 'no exp', real(omit(claims, 'exp'))),
    gw('time', 'exp as a string', real({ ...claims, exp: String(now + 600) })),
    gw('time', 'nbf ten minutes ahead', real({ ...claims, nbf: now + 600 })),
    gw('time', 'iat ten minutes ahead', real({ ...claims, iat: now + 600 })),
    gw('time', 'iat a year ahead, exp after it', real({ ...claims, iat: now + 31_536_000, exp: now + 31_536_600 })),
    // issuer and audience
    gw(
      'issuer',
      'another issuer',
      real({ ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Attacker' }),
    ),
    gw('issuer', 'another pool on the same issuer host (same key)', real({ ...claims, iss: otherPool(target.issuer) })),
    gw('issuer', 'issuer with a trailing slash', real({ ...claims, iss: `${target.issuer}/` })),
    gw('issuer', 'issuer in other case', real({ ...claims, iss: target.issuer.toUpperCase() })),
    gw('issuer', 'no iss', real(omit(claims, 'iss'))),
    gw('audience', 'another client (aud)', real({ ...claims, aud: 'another-app-client' })),
    gw(
      'audience',
      'wrong aud with the right client_id',
      real({ ...claims, aud: 'another-app-client', client_id: target.clientId }),
    ),
    gw('audience', 'aud list without this client', real({ ...claims, aud: ['another-app-client', 'a-third'] })),
    gw('audience', 'no aud and no client_id', real(omit(claims, 'aud'))),
    gw('audience', 'access token of another client', real(accessClaims(target, 'another-app-client'))),
    // the wrong kind of token, well signed: the gateway admits it, the edge must not
    edge('token use', 'access token where an ID token is required', real(accessClaims(target, target.clientId))),
    edge('token use', 'ID token without token_use', real(omit(claims, 'token_use'))),
    edge('token use', 'ID token with token_use "refresh"', real({ ...claims, token_use: 'refresh' })),
    // size
    {
      family: 'size',
      name: 'huge well-signed token (> request-head limit)',
      authorization: `Bearer ${hugeValid}`,
      refusal: 'head-limit',
      gatewayOnly: true,
    },
    // bytes around Bearer
    gw('header bytes', 'Bearer<NBSP>token (one 0xA0 byte)', bearer(Buffer.from([0xa0]))),
    gw('header bytes', 'Bearer<NBSP>token (UTF-8 NBSP)', bearer('\u00a0')),
    gw('header bytes', 'Bearer<EM SPACE>token', bearer('\u2003')),
    gw('header bytes', 'Bearer<IDEOGRAPHIC SPACE>token', bearer('\u3000')),
    gw('header bytes', 'zero-width space after Bearer', bearer(' \u200b')),
    gw('header bytes', 'zero-width space before Bearer', Buffer.concat([Buffer.from('\u200b'), bearer(' ')])),
    gw('header bytes', 'fullwidth Ｂｅａｒｅｒ', Buffer.from(`Ｂｅａｒｅｒ ${valid}`)),
    gw('header bytes', 'Bearer glued to the token', `Bearer${valid}`),
    gw('header bytes', 'Basic scheme', `Basic ${valid}`),
    gw('header bytes', 'Bearer twice', `Bearer Bearer ${valid}`),
    gw('header bytes', 'token, comma, forged token', `${valid}, ${byAttacker({ kid: target.kid })}`),
    gw('header bytes', 'a trailing dot', `Bearer ${valid}.`),
    {
      family: 'header bytes',
      name: 'NUL after the token',
      authorization: `Bearer ${valid}\u0000`,
      refusal: 'parser',
      gatewayOnly: true,
    },
    {
      family: 'header bytes',
      name: 'vertical tab after Bearer',
      authorization: bearer('\u000b'),
      refusal: 'parser',
      gatewayOnly: true,
    },
    {
      family: 'header bytes',
      name: 'obs-fold line break inside',
      authorization: bearer('\r\n '),
      refusal: 'parser',
      gatewayOnly: true,
    },
  ];
  return attacks;
}

function gw(family: string, name: string, authorization: RawValue): TokenAttack {
  return { family, name, authorization, refusal: 'gateway' };
}

function edge(family: string, name: string, authorization: RawValue): TokenAttack {
  return { family, name, authorization, refusal: 'edge' };
}

function header(target: TokenAttackTarget): Record<string, unknown> {
  return { alg: 'RS256', kid: target.kid };
}

function rs256(key: KeyObject) {
  return { kind: 'rsa', hash: 'sha256', key } as const;
}

function hmac(head: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  return forgeJwt(head, payload, { kind: 'hmac', hash: 'sha256', secret: Buffer.from(secret) });
}

function idClaims(target: TokenAttackTarget, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '0b6a8f02-5f6e-4c1b-9a34-attacker0001',
    aud: target.clientId,
    iss: target.issuer,
    token_use: 'id',
    auth_time: now - 60,
    iat: now - 60,
    exp: now + 600,
    'cognito:username': 'mallory',
    email: 'mallory@example.com',
    email_verified: true,
    ...target.claims,
    ...extra,
  };
}

function accessClaims(target: TokenAttackTarget, clientId: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '0b6a8f02-5f6e-4c1b-9a34-attacker0001',
    iss: target.issuer,
    client_id: clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: 'mallory',
    iat: now - 60,
    exp: now + 600,
  };
}

function omit(claims: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
}

function flip(signature: string): string {
  const at = Math.floor(signature.length / 2);
  const replacement = signature[at] === 'A' ? 'B' : 'A';
  return `${signature.slice(0, at)}${replacement}${signature.slice(at + 1)}`;
}

/** The same issuer host with another pool id: the local identity emulator signs every pool with one key. */
function otherPool(issuer: string): string {
  return issuer.replace(/[^/]+$/, 'us-east-1_OtherPool');
}
