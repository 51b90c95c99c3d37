/**
 * The API-key store of a running local stack, for tests that issue and revoke keys without the
 * CLI: the stack's Parameter Store is found through `services.json` in its state directory and
 * signed for with the local credential, exactly as `gatehouse keys --local` does.
 */
import { createSsmParameterClient, KeyStore } from '@gatehouse/authorizer';
import { LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { loadLocalCredential, readServices } from '@gatehouse/local';

export function localKeyStore(stateDir: string): KeyStore {
  const services = readServices(stateDir);
  const credential = loadLocalCredential(stateDir);
  const client = createSsmParameterClient({
    AWS_ENDPOINT_URL_SSM: services.ssmEndpoint,
    AWS_REGION: services.region,
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
  });
  // A cache period of 0: a test reads back what it just wrote.
  return new KeyStore(client, LAMBDA_AUTHORIZER.defaultKeysParameter, 0);
}
