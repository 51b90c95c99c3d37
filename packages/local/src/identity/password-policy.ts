/**
 * Cognito's default password policy (what a new pool gets, and what gatehouse's CDK pool keeps):
 * at least 8 characters with a digit, a lower-case and an upper-case letter and a symbol. The
 * message is AWS's, which the Authenticator shows as is.
 */
import { CognitoError } from './cognito-error';

const RULES: Array<[RegExp, string]> = [
  [/^.{8,}$/su, 'Password not long enough'],
  [/[a-z]/, 'Password must have lowercase characters'],
  [/[A-Z]/, 'Password must have uppercase characters'],
  [/[0-9]/, 'Password must have numeric characters'],
  [/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/, 'Password must have symbol characters'],
];

export function checkPasswordPolicy(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0)
    throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
  for (const [rule, reason] of RULES) {
    if (!rule.test(password))
      throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
  }
  return password;
}
