/**
 * An error the identity service answers with, as Cognito's JSON protocol spells it: the exception
 * name in `__type` and `x-amzn-errortype`, and its message. Amplify maps the name to its own errors
 * (`UserNotConfirmedException` → the confirm-sign-up step), so the names must be AWS's exactly.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = type;
  }
}

/** What AWS answers for a wrong password or an unknown user when the client prevents user-existence errors. */
export const incorrectCredentials = () => new CognitoError('NotAuthorizedException', 'Incorrect username or password.');

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
