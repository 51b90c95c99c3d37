export { CoreCredentialSource, type CoreCredentialSourceOptions } from './core-credential-source';
export { type CredentialsEndpoint, startCredentialsEndpoint } from './credentials-endpoint';
