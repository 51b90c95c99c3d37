/**
 * IAM authorization (routes with AWS_IAM) as API Gateway applies it: the request must carry a SigV4
 * signature for `execute-api` in the API's region, made with a key the account knows — here, the
 * local stack's keys (`verifySigV4`, which recomputes the signature with the AWS SDK's signer). A
 * refusal is a 403 with the verifier's message, worded as AWS words it; an admitted caller reaches
 * the integration as `requestContext.authorizer.iam`.
 *
 * Not emulated: IAM policies (every valid signature with a local key is admitted) and Cognito
 * identity pools (`cognitoIdentity` is always null).
 */
import { type LocalCredential, verifySigV4 } from '../iam';
import { type AuthorizationRequest, type AuthorizerVerdict, type RouteAuthorizer, refused } from './authorizer-verdict';
import type { IamAuthorizerFields } from './event-v2';

export interface IamAuthorizerOptions {
  type: 'iam';
  /** The region signatures must be scoped to. */
  region: string;
  /** The local stack's credentials by access key id; undefined for a key it does not know. */
  lookup(accessKeyId: string): LocalCredential | undefined;
}

export class IamAuthorizer implements RouteAuthorizer {
  constructor(private readonly options: IamAuthorizerOptions) {}

  async authorize(request: AuthorizationRequest): Promise<AuthorizerVerdict> {
    const result = await verifySigV4(
      { method: request.method, url: request.url, headers: request.headers, body: request.body },
      { region: this.options.region, lookup: (id) => this.options.lookup(id) },
    );
    if (!result.ok) {
      return refused(
        {
          status: result.status,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(JSON.stringify({ message: result.message })),
        },
        result.message,
      );
    }
    return { admitted: true, authorizer: { iam: iamFields(result.credential) } };
  }
}

/** For an IAM user, API Gateway reports the user id as the caller id too. */
function iamFields(credential: LocalCredential): IamAuthorizerFields {
  return {
    accessKey: credential.accessKeyId,
    accountId: credential.accountId,
    callerId: credential.userId,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: credential.userArn,
    userId: credential.userId,
  };
}
