/**
 * What the authorizer hands API Gateway when it admits a caller. API Gateway passes it to the edge
 * as `requestContext.authorizer.lambda`, where the edge reads the same identity fields it reads
 * from JWT claims, so the core sees one identity shape whichever way the caller got in.
 */
export interface AuthorizerContext {
  /** `user` for a verified Cognito token, `api-key` for a key. */
  principal: 'user' | 'api-key';
  sub: string;
  username: string;
  /** Omitted when unknown (API Gateway context values cannot be null). */
  email?: string;
  groups: string[];
}
