/**
 * `@gatehouse/client/amplify`: what an Amplify v6 app needs beside the client — its configuration
 * from `amplify_outputs.json` (local or deployed) and the token source. Apart from the root export
 * so apps that get tokens elsewhere never load aws-amplify.
 */
export { type AmplifyOutputsInput, amplifyConfig, gatehouseApiUrl } from './amplify-config';
export { amplifyTokens } from './amplify-tokens';
