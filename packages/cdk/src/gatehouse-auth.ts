/**
 * Who admits callers, as small strategy objects made by static factories — the way
 * `aws-apigatewayv2-authorizers` offers `HttpUserPoolAuthorizer` and `HttpLambdaAuthorizer`:
 * `GatehouseAuth.cognito()`, `.lambdaEmailAllowList([...])`, `.lambdaApiKeys()`, `.iam()`,
 * `.none({ acknowledgePublic: true })`. Each carries the contract's `AuthOption` (the local stack
 * takes the very same one) and says whether it needs a Cognito user pool, so a mode that never
 * reads a token never gets a pool created for it.
 */
import { type AuthOption, authOptionProblem } from '@gatehouse/contract';
import { GatehouseConfigError } from './errors';

export class GatehouseAuth {
  /** API Gateway's JWT authorizer checks a Cognito token (ID token by default). */
  static cognito(): GatehouseAuth {
    return new GatehouseAuth({ mode: 'cognito' });
  }

  /** A Lambda authorizer verifies the Cognito token itself and admits only these emails or `@domains`. */
  static lambdaEmailAllowList(allowedEmails: readonly string[]): GatehouseAuth {
    return GatehouseAuth.fromOption({ mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails } });
  }

  /**
   * A Lambda authorizer admits callers whose `x-api-key` is in the SSM parameter (hashed keys,
   * issued with `gatehouse keys`). No user pool is involved.
   */
  static lambdaApiKeys(options: { readonly keysParameterName?: string; readonly cacheSeconds?: number } = {}) {
    return GatehouseAuth.fromOption({ mode: 'lambda', lambda: { kind: 'api-key', ...options } });
  }

  /** Callers sign with SigV4; give them access with `GatehouseApi.grantInvoke`. */
  static iam(): GatehouseAuth {
    return new GatehouseAuth({ mode: 'iam' });
  }

  /** A public API. The acknowledgement is required, so a public API is never an accident. */
  static none(options: { readonly acknowledgePublic: true }): GatehouseAuth {
    return GatehouseAuth.fromOption({ mode: 'none', acknowledgePublic: options.acknowledgePublic });
  }

  /** From the project config's `auth` (or any `AuthOption`); refused when the contract finds it wrong. */
  static fromOption(option: AuthOption): GatehouseAuth {
    const problem = authOptionProblem(option);
    if (problem) throw new GatehouseConfigError(problem);
    return new GatehouseAuth(option);
  }

  private constructor(readonly option: AuthOption) {}

  get mode(): AuthOption['mode'] {
    return this.option.mode;
  }

  /** Cognito tokens are read in this mode, so the API needs a user pool and its client(s). */
  get usesUserPool(): boolean {
    return (
      this.option.mode === 'cognito' || (this.option.mode === 'lambda' && this.option.lambda.kind === 'email-allowlist')
    );
  }
}
