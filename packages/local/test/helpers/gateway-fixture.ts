/**
 * Starts the gateway on a free loopback port in front of a test issuer and a stub Lambda service,
 * with the contract's API (or a widened one), and stops all three.
 */
import { parseAllowedOrigins } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import {
  type GatewayApiDescription,
  type GatewayAuthorizerOptions,
  type GatewayLogEntry,
  type RunningGateway,
  startGateway,
} from '../../src/gateway';
import { type GatewayTestIssuer, startGatewayIssuer } from './gateway-issuer';
import { type LambdaStub, startLambdaStub } from './gateway-lambda-stub';
import { testCredential } from './test-credential';

export const ALLOWED_ORIGIN = 'https://app.example.com';

export interface GatewayFixture {
  gateway: RunningGateway;
  issuer: GatewayTestIssuer;
  lambda: LambdaStub;
  log: GatewayLogEntry[];
  close(): Promise<void>;
}

export interface GatewayFixtureOptions {
  api?: GatewayApiDescription;
  integrationTimeoutMs?: number;
  authorizerTimeoutMs?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** JWT authorizer only: the configured JWKS URL, or null for none (default: the test issuer's). */
  jwksUri?: string | null;
  /** JWT authorizer only: least time between JWKS refetches for unknown kids (default: the gateway's). */
  jwksRefetchCooldownMs?: number;
  /** Default: the JWT authorizer on the test issuer. */
  authorizer?: GatewayAuthorizerOptions;
}

export async function startGatewayFixture(options: GatewayFixtureOptions = {}): Promise<GatewayFixture> {
  const issuer = await startGatewayIssuer();
  const lambda = await startLambdaStub();
  const log: GatewayLogEntry[] = [];
  const gateway = await startGateway({
    port: 0,
    api: options.api ?? SAMPLE_API,
    allowedOrigins: parseAllowedOrigins([ALLOWED_ORIGIN, 'http://*']),
    authorizer: options.authorizer ?? {
      type: 'jwt',
      issuer: issuer.issuer,
      audiences: [issuer.clientId],
      ...(options.jwksUri === null ? {} : { jwksUri: options.jwksUri ?? issuer.jwksUri }),
      ...(options.jwksRefetchCooldownMs === undefined ? {} : { jwksRefetchCooldownMs: options.jwksRefetchCooldownMs }),
    },
    lambdaEndpoint: lambda.endpoint,
    lambdaCredential: testCredential,
    functionNames: { edge: 'gatehouse-edge' },
    accountId: '123456789012',
    apiId: 'a1b2c3d4e5',
    ...(options.integrationTimeoutMs === undefined ? {} : { integrationTimeoutMs: options.integrationTimeoutMs }),
    ...(options.authorizerTimeoutMs === undefined ? {} : { authorizerTimeoutMs: options.authorizerTimeoutMs }),
    ...(options.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: options.headersTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    onRequest: (entry) => log.push(entry),
  });
  return {
    gateway,
    issuer,
    lambda,
    log,
    close: async () => {
      await gateway.close();
      await Promise.all([lambda.close(), issuer.close()]);
    },
  };
}

/** The contract's API with extra routes for routing tests (`ANY`, params, greedy, `$default`). */
export const WIDE_API: GatewayApiDescription = {
  ...SAMPLE_API,
  routes: [
    ...SAMPLE_API.routes,
    { method: 'GET', path: '/items/special', integration: 'edge', authorization: 'none', scopes: [] },
    { method: 'GET', path: '/items/{id}', integration: 'edge', authorization: 'none', scopes: [] },
    { method: 'ANY', path: '/items/{id}', integration: 'edge', authorization: 'none', scopes: [] },
    { method: 'ANY', path: '/files/{proxy+}', integration: 'edge', authorization: 'none', scopes: [] },
    { method: 'GET', path: '/admin', integration: 'edge', authorization: 'jwt', scopes: ['gatehouse/admin'] },
    { method: 'ANY', path: '$default', integration: 'edge', authorization: 'none', scopes: [] },
  ],
};
