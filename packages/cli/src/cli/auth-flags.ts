/**
 * `gatehouse dev`'s auth flags turned into the one `auth` option the stack (and the CDK construct)
 * takes. A public stack needs `--i-understand-this-is-public`, as the construct needs
 * `acknowledgePublic: true`; flags that mean nothing in the chosen mode are refused rather than
 * silently ignored.
 */
import { type AuthOption, type LambdaAuthorizerOption, parseAuthMode } from '@gatehouse/contract';
import { DEMO_USER } from '@gatehouse/local';
import { UsageError } from './cli-io';

export interface AuthFlags {
  auth?: string;
  authorizer?: string;
  'allowed-emails'?: string;
  'i-understand-this-is-public'?: boolean;
}

export const AUTH_USAGE = `  --auth MODE                  cognito (default), lambda, iam or none
  --authorizer KIND            with --auth lambda: email-allowlist (default) or api-key
  --allowed-emails LIST        with email-allowlist: emails and @domains, comma-separated
                               (default ${DEMO_USER.username}, the demo user)
  --i-understand-this-is-public   required with --auth none: anyone can call the API`;

export function authOptionFromFlags(flags: AuthFlags): AuthOption {
  let mode: ReturnType<typeof parseAuthMode>;
  try {
    mode = parseAuthMode(flags.auth);
  } catch (error) {
    throw new UsageError(`--${(error as Error).message}`);
  }
  if (mode !== 'lambda' && (flags.authorizer !== undefined || flags['allowed-emails'] !== undefined)) {
    throw new UsageError('--authorizer and --allowed-emails only apply with --auth lambda');
  }
  if (mode !== 'none' && flags['i-understand-this-is-public']) {
    throw new UsageError('--i-understand-this-is-public only applies with --auth none');
  }
  switch (mode) {
    case 'lambda':
      return { mode, lambda: lambdaSettings(flags) };
    case 'none':
      if (!flags['i-understand-this-is-public']) {
        throw new UsageError(
          '--auth none makes the local API public: anyone who can reach the port calls the core. ' +
            'Add --i-understand-this-is-public if that is what you want.',
        );
      }
      return { mode, acknowledgePublic: true };
    default:
      return { mode };
  }
}

function lambdaSettings(flags: AuthFlags): LambdaAuthorizerOption {
  const kind = flags.authorizer ?? 'email-allowlist';
  if (kind === 'api-key') {
    if (flags['allowed-emails'] !== undefined) throw new UsageError('--allowed-emails applies to email-allowlist only');
    return { kind };
  }
  if (kind !== 'email-allowlist') {
    throw new UsageError(`--authorizer must be email-allowlist or api-key (got ${JSON.stringify(kind)})`);
  }
  const allowedEmails = (flags['allowed-emails'] ?? DEMO_USER.username)
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (allowedEmails.length === 0) throw new UsageError('--allowed-emails is empty, so nobody could sign in');
  return { kind, allowedEmails };
}
