/**
 * Where a local core's AWS credentials come from, resolved in the stack's process with the SDK's
 * own providers: the developer's standard chain (environment, `AWS_PROFILE`, SSO,
 * `credential_process`), a named profile, or a role assumed with either — `'deployed'` being the
 * core's own execution role, found by the name the construct gives it. Credentials are kept until
 * shortly before they expire, so a core's refresh gets fresh ones (an SSO session renewed mid-run
 * keeps working) without a provider call per request.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { deployedCoreRoleName, type ResolvedCoreCredentials } from '@gatehouse/contract';
import { explainCredentialFailure } from './credential-failure';

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;
type CredentialIdentity = Awaited<ReturnType<CredentialProvider>>;

export interface CoreCredentialSourceOptions {
  /** The project's name: with the core's, it names the deployed execution role. */
  project: string;
  /** The core's name in the config. */
  core: string;
  credentials: ResolvedCoreCredentials;
  /** STS's region (AssumeRole, GetCallerIdentity). @default AWS_REGION, else us-east-1 */
  stsRegion?: string;
  /** Another STS endpoint (tests). */
  stsEndpoint?: string;
}

/** Served credentials always carry an expiry; ones that have none are re-read after this long. */
const UNEXPIRING_LIFETIME_MS = 60 * 60_000;
/**
 * boto3 refreshes 15 minutes before expiry and the JS SDK 5: credentials closer than this to expiry
 * are fetched anew, so a core's refresh never gets the ones it is replacing.
 */
const REFRESH_BEFORE_EXPIRY_MS = 20 * 60_000;
/** Credentials this close to expiry are not served after a failed refresh: the core's call might outlive them. */
const STILL_USABLE_MS = 60_000;
const ASSUMED_ROLE_SECONDS = 3_600;

export interface ServedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  expiration: Date;
}

export class CoreCredentialError extends Error {
  override name = 'CoreCredentialError';
}

export class CoreCredentialSource {
  private readonly provider: CredentialProvider;
  private cached: ServedCredentials | undefined;
  private pending: Promise<ServedCredentials> | undefined;

  constructor(private readonly options: CoreCredentialSourceOptions) {
    this.provider = this.chooseProvider();
  }

  /**
   * The credentials to serve `now` (tests move the clock).
   * @throws CoreCredentialError saying what to run.
   */
  get(now = Date.now()): Promise<ServedCredentials> {
    if (this.cached && this.cached.expiration.getTime() - now > REFRESH_BEFORE_EXPIRY_MS) {
      return Promise.resolve(this.cached);
    }
    this.pending ??= this.fetch(this.cached !== undefined, now).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(forceRefresh: boolean, now: number): Promise<ServedCredentials> {
    let identity: CredentialIdentity;
    try {
      identity = await this.provider({ forceRefresh });
    } catch (error) {
      // An early refresh that fails (the SSO session just ended) still leaves the core what it had.
      if (this.cached && this.cached.expiration.getTime() - now > STILL_USABLE_MS) return this.cached;
      throw new CoreCredentialError(explainCredentialFailure(error, this.options.credentials), { cause: error });
    }
    this.cached = {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
      expiration: identity.expiration ?? new Date(now + UNEXPIRING_LIFETIME_MS),
    };
    return this.cached;
  }

  private chooseProvider(): CredentialProvider {
    const { credentials } = this.options;
    if (credentials.kind === 'developer') return fromNodeProviderChain();
    if (credentials.kind === 'profile') return fromIni({ profile: credentials.profile });
    const master = fromNodeProviderChain();
    const clientConfig = this.stsConfig();
    const roleArn =
      credentials.role === 'deployed' ? () => this.deployedRoleArn(master) : () => Promise.resolve(credentials.role);
    let assumed: { arn: string; provider: CredentialProvider } | undefined;
    return async (options) => {
      const arn = await roleArn();
      if (assumed?.arn !== arn) {
        assumed = {
          arn,
          provider: fromTemporaryCredentials({
            masterCredentials: master,
            params: {
              RoleArn: arn,
              RoleSessionName: `gatehouse-local-${this.options.core}`.slice(0, 64),
              DurationSeconds: ASSUMED_ROLE_SECONDS,
            },
            clientConfig,
          }),
        };
      }
      return assumed.provider(options);
    };
  }

  /** The construct names a core's role `<project>-<core>-core` when developers may assume it. */
  private async deployedRoleArn(master: CredentialProvider): Promise<string> {
    const sts = new STSClient({ ...this.stsConfig(), credentials: master });
    try {
      const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
      const region = this.stsConfig().region;
      const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
      return `arn:${partition}:iam::${account}:role/${deployedCoreRoleName(this.options.project, this.options.core)}`;
    } finally {
      sts.destroy();
    }
  }

  private stsConfig(): { region: string; endpoint?: string; maxAttempts: number } {
    const region = this.options.stsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    return { region, maxAttempts: 1, ...(this.options.stsEndpoint ? { endpoint: this.options.stsEndpoint } : {}) };
  }
}
