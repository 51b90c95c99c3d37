/**
 * Amplify v6's configuration from an `amplify_outputs.json` — the deployed one (`ampx sandbox`,
 * `ampx pipeline-deploy`) or the one `gatehouse dev` writes for the local stack. The local outputs
 * name the local identity service in `custom.gatehouseUserPoolEndpoint` (Amplify's outputs have no
 * field for it); this hands it to `Auth.Cognito.userPoolEndpoint`. Deployed outputs have no such
 * key and pass through unchanged, so one line serves both.
 *
 * @example
 * import outputs from '../amplify_outputs.json';
 * Amplify.configure(amplifyConfig(outputs));
 */
import type { ResourcesConfig } from 'aws-amplify';
import { parseAmplifyConfig } from 'aws-amplify/utils';

export type AmplifyOutputsInput = Parameters<typeof parseAmplifyConfig>[0];

export function amplifyConfig(outputs: AmplifyOutputsInput): ResourcesConfig {
  const config = parseAmplifyConfig(outputs);
  const endpoint = customString(outputs, 'gatehouseUserPoolEndpoint');
  const cognito = config.Auth?.Cognito;
  if (endpoint === undefined || !cognito?.userPoolId) return config;
  // Amplify types `Cognito` as a union ("user pool", "identity pool", "both") its spread does not
  // narrow back into; with a user pool present the endpoint is one of the user pool's settings.
  return {
    ...config,
    Auth: { ...config.Auth, Cognito: { ...cognito, userPoolEndpoint: endpoint } },
  } as ResourcesConfig;
}

/** The gatehouse API's URL from the outputs (`custom.gatehouseApiUrl`, which `gatehouse init`'s backend lines publish). */
export function gatehouseApiUrl(outputs: AmplifyOutputsInput): string {
  const url = customString(outputs, 'gatehouseApiUrl');
  if (url === undefined) {
    throw new Error('amplify_outputs.json has no custom.gatehouseApiUrl: deploy the backend with the gatehouse stack');
  }
  return url;
}

function customString(outputs: AmplifyOutputsInput, key: string): string | undefined {
  const value = (outputs as { custom?: Record<string, unknown> }).custom?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
