/**
 * The `amplify_outputs.json` `gatehouse dev` writes, read by Amplify v6's own parser: the app's
 * `Amplify.configure(outputs)` finds the local pool and client, and the one added line gives it
 * the local identity service's endpoint.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalConfig } from '@gatehouse/local';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAmplifyOutputs } from '../src/cli/amplify-outputs';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-outputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LOCAL = {
  apiUrl: 'http://127.0.0.1:3000/prod',
  cognito: {
    endpoint: 'http://127.0.0.1:9229',
    region: 'us-east-1',
    userPoolId: 'us-east-1_GateHouse',
    clientId: 'gatehouselocalwebclient0',
    issuer: 'http://127.0.0.1:9229/us-east-1_GateHouse',
  },
} as LocalConfig;

describe('amplify_outputs.json for the local stack', () => {
  it("is read by Amplify's parser as the local pool and client, with the API URL and endpoint under custom", () => {
    // Act
    const file = writeAmplifyOutputs(scratch, LOCAL);
    const outputs = JSON.parse(readFileSync(file, 'utf8'));
    const config = parseAmplifyConfig(outputs);

    // Assess
    expect(path.basename(file)).toBe('amplify_outputs.json');
    expect(config.Auth?.Cognito).toMatchObject({
      userPoolId: 'us-east-1_GateHouse',
      userPoolClientId: 'gatehouselocalwebclient0',
      loginWith: { email: true },
    });
    expect(outputs.custom).toEqual({
      gatehouseApiUrl: 'http://127.0.0.1:3000/prod',
      gatehouseUserPoolEndpoint: 'http://127.0.0.1:9229',
    });
  });
});
