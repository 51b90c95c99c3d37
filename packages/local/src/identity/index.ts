export { type AdminSigning, type AuthenticationResult, CognitoApiError, callCognito, signIn } from './cognito-api';
export { MAILBOX_PATH } from './identity-server';
export {
  type IdentityOptions,
  type IdentityService,
  mailLine,
  startIdentity,
} from './identity-service';
export { ADMIN_USER, DEMO_USER, LOCAL_POOL, SEED_USERS, type SeedUser } from './seed';
export { signingKeyFile } from './signing-key';
export type { Mail, MailPurpose } from './user-store';
