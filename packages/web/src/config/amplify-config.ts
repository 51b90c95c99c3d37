/**
 * Turns the runtime configuration into Amplify's, and the Authenticator's `services` that pick the
 * sign-in flow. Locally and on AWS the config says `USER_SRP_AUTH`, Amplify's default, so the
 * password never leaves the browser and the flow AWS runs is the one tried locally; a deployment
 * may still choose `USER_PASSWORD_AUTH`.
 */
import type { WebConfig } from '@gatehouse/contract';
import type { ResourcesConfig } from 'aws-amplify';
import { type SignInInput, type SignUpInput, signIn, signUp } from 'aws-amplify/auth';

export function amplifyConfig(config: WebConfig): ResourcesConfig {
  return {
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.userPoolEndpoint ? { userPoolEndpoint: config.userPoolEndpoint } : {}),
        // The pools gatehouse makes (local and AWS) use the email address as the username.
        loginWith: { email: true },
        signUpVerificationMethod: 'code',
      },
    },
  };
}

/**
 * The `services` prop of `<Authenticator>`: sign-in and sign-up's auto sign-in use the configured flow.
 * The Authenticator types these as `typeof signIn`/`typeof signUp`, whose overloads include the
 * server-side `(context, input)` form it never calls; hence the casts.
 */
export function authenticatorServices(config: WebConfig): { handleSignIn: typeof signIn; handleSignUp: typeof signUp } {
  const authFlowType = config.authFlowType;
  const handleSignIn = (input: SignInInput) => signIn({ ...input, options: { ...input.options, authFlowType } });
  const handleSignUp = (input: SignUpInput) =>
    signUp({
      ...input,
      options: { userAttributes: {}, ...input.options, autoSignIn: { authFlowType } },
    });
  return { handleSignIn: handleSignIn as typeof signIn, handleSignUp: handleSignUp as typeof signUp };
}
