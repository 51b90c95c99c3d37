export { type AuthenticationResult, CognitoApiError, callCognito, signIn } from './cognito-api';
export { type IdentityOptions, type IdentityService, startIdentity } from './identity-service';
export { ADMIN_USER, DEMO_USER, LOCAL_POOL, SEED_USERS, type SeedUser } from './seed';
