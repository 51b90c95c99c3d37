/**
 * The local stack as an Amplify Gen 2 app reads its backend: an `amplify_outputs.json` (schema
 * version 1) naming the local pool and client, with the API URL under `custom.gatehouseApiUrl`, as
 * the `backend.ts` lines of `gatehouse init` publish it on AWS.
 *
 * Amplify's outputs have no field for a user-pool endpoint, so the local identity service's URL is
 * in `custom.gatehouseUserPoolEndpoint` and the app hands it to Amplify v6's
 * `Auth.Cognito.userPoolEndpoint` itself — the one change an app makes (see the README).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalConfig } from '@gatehouse/local';

export const AMPLIFY_OUTPUTS_FILE = 'amplify_outputs.json';

export interface LocalAmplifyOutputs {
  version: '1.3';
  auth: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    username_attributes: ['email'];
    standard_required_attributes: ['email'];
  };
  custom: { gatehouseApiUrl: string; gatehouseUserPoolEndpoint: string };
}

export function localAmplifyOutputs(config: LocalConfig): LocalAmplifyOutputs {
  return {
    version: '1.3',
    auth: {
      aws_region: config.cognito.region,
      user_pool_id: config.cognito.userPoolId,
      user_pool_client_id: config.cognito.clientId,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
    },
    custom: { gatehouseApiUrl: config.apiUrl, gatehouseUserPoolEndpoint: config.cognito.endpoint },
  };
}

/** Writes the outputs file into `dir` and returns its path. */
export function writeAmplifyOutputs(dir: string, config: LocalConfig): string {
  const file = path.join(dir, AMPLIFY_OUTPUTS_FILE);
  writeFileSync(file, `${JSON.stringify(localAmplifyOutputs(config), null, 2)}\n`);
  return file;
}
