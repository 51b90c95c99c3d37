/**
 * The project config — `gatehouse.config.ts` — as its author writes it: the routes the API serves,
 * the cores they call, and how callers are admitted. The local stack, the CLI and the CDK construct
 * all read this one object, so what runs locally is what deploys.
 *
 * Schemas are any Standard Schema validator (zod, valibot, arktype): the edge validates with the
 * project's own schema, bundled into it, and the browser client infers its types from the same one.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AuthOption } from './auth-modes';
import type { JobOptions } from './jobs';

/** Lambda runtimes a core can use, locally and on AWS. */
export const CORE_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'python3.12', 'python3.13', 'provided.al2023'] as const;
export type CoreRuntime = (typeof CORE_RUNTIMES)[number];

/**
 * What the core receives: `enriched` wraps the validated input with the caller's identity and the
 * request's facts (`{ input, pathParameters, identity, requestMeta }`); `input` sends the validated
 * input alone — the core then learns nothing of who called.
 */
export const PAYLOAD_MODES = ['enriched', 'input'] as const;
export type PayloadMode = (typeof PAYLOAD_MODES)[number];

export interface RouteConfig<Schema extends StandardSchemaV1 = StandardSchemaV1> {
  /** The core this route invokes: a key of `cores`. */
  readonly core: string;
  /**
   * Validates the JSON body (POST, PUT, PATCH: required) or the query string parameters (GET,
   * DELETE: optional). A failure answers 422 with one entry per field; the core never runs.
   */
  readonly schema?: Schema;
  /** @default 'enriched' */
  readonly payload?: PayloadMode;
  /** The caller must be in at least one of these Cognito groups (or API-key groups); 403 otherwise. */
  readonly groups?: readonly string[];
  /** A valid request body, used by `gatehouse dev`'s printed curl, `gatehouse doctor` and the console. */
  readonly example?: StandardSchemaV1.InferInput<Schema>;
  /** One line for the console and the docs. */
  readonly description?: string;
  /**
   * Makes this a job route: it answers `202 Accepted` with a job id at once, and the core runs
   * for up to `timeoutSeconds` (beyond the 30 s an HTTP API waits); `GET /jobs/{jobId}` reads it.
   * See docs/JOBS.md. @default none (the core's answer is the response)
   */
  readonly job?: JobOptions;
}

/** Where the local stack finds a deployed core to call instead of running it (`gatehouse dev`). */
export interface RemoteCoreConfig {
  /** Function name or ARN. */
  readonly function: string;
  /** @default the ARN's region, else AWS_REGION */
  readonly region?: string;
  /** A profile of your AWS config (SSO included). @default the SDK's standard provider chain */
  readonly profile?: string;
}

export interface CoreConfig {
  readonly runtime: CoreRuntime;
  /** The code folder, relative to the config file (Lambda's task root). */
  readonly code: string;
  /**
   * Lambda's handler string, relative to `code`: `handler.handler` (Python `handler.py`, function
   * `handler`), `src/handler.handler` (Node: `src/handler.ts` or `.js`, export `handler`). Ignored
   * for `provided.al2023` beyond being passed as `_HANDLER`.
   */
  readonly handler: string;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMb?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** On AWS, use this existing function (name or ARN) instead of deploying `code`. */
  readonly existing?: string;
  /** Locally, call this deployed function with your own AWS credentials instead of running `code`. */
  readonly remote?: RemoteCoreConfig;
  /**
   * The AWS credentials the core's own AWS calls use locally (on AWS it always uses its execution
   * role): `'developer'` — yours, from the SDK's standard chain (environment, `AWS_PROFILE`, SSO,
   * `credential_process`); `{ profile }` — a profile of your AWS config; `{ assumeRole }` — a role
   * assumed with yours, `'deployed'` meaning the core's own deployed execution role. The core gets
   * them from a credentials endpoint, refreshed as on Lambda, never as keys in its environment.
   * @default 'developer'
   */
  readonly credentials?: CoreCredentials;
  /**
   * IAM statements added to the deployed core's execution role. No `*` action; a wildcard in an
   * action or resource needs a `reason` (it is the cdk-nag acknowledgement).
   */
  readonly permissions?: readonly CorePermission[];
  /** The deployed function's instruction set; Python dependencies are installed for it. @default 'arm64' */
  readonly architecture?: CoreArchitecture;
}

export const CORE_ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type CoreArchitecture = (typeof CORE_ARCHITECTURES)[number];

export type CoreCredentials =
  | 'developer'
  | { readonly profile: string }
  /** `'deployed'` or a role ARN. */
  | { readonly assumeRole: string };

export interface CorePermission {
  /** IAM actions, e.g. `bedrock:InvokeModel`, `s3:GetObject`. */
  readonly actions: readonly string[];
  /** Resource ARNs, or `*` for actions without resource-level permissions (needs `reason`). */
  readonly resources: readonly string[];
  /** Why a wildcard is needed: required when an action or resource has a `*`. */
  readonly reason?: string;
}

export interface GatehouseConfig {
  /** Names the API and prefixes function names. @default 'gatehouse' */
  readonly name?: string;
  /** @default 'prod' */
  readonly stage?: string;
  /** Route key (`POST /inference`, `GET /items/{id}`, `ANY /files/{proxy+}`) → route. */
  readonly routes: Readonly<Record<string, RouteConfig>>;
  readonly cores: Readonly<Record<string, CoreConfig>>;
  /** @default { mode: 'cognito' } */
  readonly auth?: AuthOption;
  /** The deployed web app's origins. The local stack always adds its own web origins. `*` is refused. */
  readonly origins?: readonly string[];
  /** The token the edge accepts with Cognito. @default 'id' */
  readonly tokenUse?: 'id' | 'access';
  /** Groups every route requires (each route may add its own). */
  readonly requiredGroups?: readonly string[];
  readonly limits?: {
    /** Largest request body the edge reads. @default 262144 */
    readonly maxBodyBytes?: number;
  };
  readonly deadlines?: {
    /** How long the edge waits for a core. @default 8000 (below the 30 s the API waits) */
    readonly coreTimeoutMs?: number;
  };
  readonly web?: {
    /**
     * The local web app's main page: a module, relative to this file, whose default export is a
     * React component (`{ apiUrl, client, … }` props, see packages/web). Without it the route
     * console is the main page. @default none
     */
    readonly panel?: string;
  };
}

/**
 * Types a project config without changing it; `const` keeps each route's schema type, so the
 * browser client knows every route's input.
 *
 * @example
 * export default defineConfig({
 *   routes: { 'POST /ask': { core: 'ask', schema: z.object({ prompt: z.string() }), payload: 'input' } },
 *   cores: { ask: { runtime: 'python3.12', code: './core', handler: 'handler.handler' } },
 * });
 */
export function defineConfig<const Config extends GatehouseConfig>(config: Config): Config {
  return config;
}

/** The input type of a route's schema (what a client sends). */
export type RouteInput<
  Config extends GatehouseConfig,
  Key extends keyof Config['routes'],
> = Config['routes'][Key] extends { schema: infer Schema extends StandardSchemaV1 }
  ? StandardSchemaV1.InferInput<Schema>
  : undefined;
