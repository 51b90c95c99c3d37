/**
 * How a core reaches AWS: the credentials its calls use locally, the IAM statements its deployed
 * role gets, and the architecture it is deployed for — checked here so `gatehouse dev` and a synth
 * refuse the same bad value with the same message.
 */
import { CORE_ARCHITECTURES, type CoreArchitecture, type CorePermission } from './project-config';

/** The credentials a local core's AWS calls use, resolved from the config's `credentials`. */
export type ResolvedCoreCredentials =
  | { readonly kind: 'developer' }
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'assumeRole'; readonly role: 'deployed' | string };

export type AccessReport = (key: string, message: string) => void;

/** Names `~/.aws/config` accepts in `[profile …]` (no spaces, no brackets). */
const PROFILE = /^[A-Za-z0-9_.+@=,/-]{1,128}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
/** `service:Action`, where the action may hold `*` (`s3:Get*`). */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const RESOURCE = /^(\*|arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+)$/;

export function resolveCoreCredentials(value: unknown, at: string, problem: AccessReport): ResolvedCoreCredentials {
  const developer = { kind: 'developer' } as const;
  if (value === undefined || value === 'developer') return developer;
  const allowed = `must be "developer", { profile: "<name>" } or { assumeRole: "deployed" | "<role ARN>" }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 1) {
    problem(at, `${allowed} (got ${describeValue(value)})`);
    return developer;
  }
  const { profile, assumeRole } = value as { profile?: unknown; assumeRole?: unknown };
  if ('profile' in value) {
    if (typeof profile === 'string' && PROFILE.test(profile)) return { kind: 'profile', profile };
    problem(`${at}.profile`, `must be a profile name of your AWS config (got ${describeValue(profile)})`);
    return developer;
  }
  if ('assumeRole' in value) {
    if (assumeRole === 'deployed' || (typeof assumeRole === 'string' && ROLE_ARN.test(assumeRole)))
      return { kind: 'assumeRole', role: assumeRole };
    problem(
      `${at}.assumeRole`,
      `must be "deployed" or a role ARN like arn:aws:iam::123456789012:role/name (got ${describeValue(assumeRole)})`,
    );
    return developer;
  }
  problem(at, `${allowed} (got ${describeValue(value)})`);
  return developer;
}

/**
 * Least privilege, as cdk-nag checks it: every action named (`*` and `service:*` refused), every
 * resource an ARN or `*`, and each wildcard explained by a `reason`, which becomes the statement's
 * acknowledgement.
 */
export function resolveCorePermissions(value: unknown, at: string, problem: AccessReport): readonly CorePermission[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problem(at, `must be a list of { actions, resources } statements (got ${describeValue(value)})`);
    return [];
  }
  const resolved: CorePermission[] = [];
  value.forEach((statement: unknown, index) => {
    const here = `${at}[${index}]`;
    if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
      problem(
        here,
        `must be { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] } (got ${describeValue(statement)})`,
      );
      return;
    }
    const { actions, resources, reason, ...rest } = statement as Record<string, unknown>;
    for (const key of Object.keys(rest))
      problem(`${here}.${key}`, 'is not a statement setting (known: actions, resources, reason)');
    const ok = [
      stringList(actions, `${here}.actions`, 'IAM actions like "bedrock:InvokeModel"', problem, (action) =>
        action === '*' || action.endsWith(':*')
          ? `${JSON.stringify(action)} allows every action${action === '*' ? '' : ' of the service'}: name the actions the core calls`
          : ACTION.test(action)
            ? undefined
            : `${JSON.stringify(action)} is not an IAM action ("service:Action")`,
      ),
      stringList(resources, `${here}.resources`, 'resource ARNs, or "*"', problem, (resource) =>
        RESOURCE.test(resource) ? undefined : `${JSON.stringify(resource)} is neither an ARN nor "*"`,
      ),
    ];
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim().length < 10)) {
      problem(`${here}.reason`, `must be a sentence saying why the wildcard is needed (got ${describeValue(reason)})`);
      return;
    }
    if (!ok.every(Boolean)) return;
    const wildcards = [...(actions as string[]), ...(resources as string[])].filter((s) => s.includes('*'));
    if (wildcards.length > 0 && reason === undefined) {
      problem(
        here,
        `${wildcards.map((w) => JSON.stringify(w)).join(', ')} needs a reason: say why nothing narrower works (it becomes the cdk-nag acknowledgement)`,
      );
      return;
    }
    resolved.push({
      actions: actions as string[],
      resources: resources as string[],
      ...(typeof reason === 'string' ? { reason } : {}),
    });
  });
  return resolved;
}

export function resolveCoreArchitecture(value: unknown, at: string, problem: AccessReport): CoreArchitecture {
  if (value === undefined) return 'arm64';
  if ((CORE_ARCHITECTURES as readonly unknown[]).includes(value)) return value as CoreArchitecture;
  problem(at, `must be one of ${CORE_ARCHITECTURES.join(', ')} (got ${describeValue(value)})`);
  return 'arm64';
}

function stringList(
  value: unknown,
  at: string,
  what: string,
  problem: AccessReport,
  check: (item: string) => string | undefined,
): boolean {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    problem(at, `must be a non-empty list of ${what} (got ${describeValue(value)})`);
    return false;
  }
  const failures = value.map(check).filter((f): f is string => f !== undefined);
  for (const failure of failures) problem(at, failure);
  return failures.length === 0;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** IAM's limit on a role name. */
export const ROLE_NAME_MAX_LENGTH = 64;

/**
 * The name the construct gives a core's execution role when developers may assume it
 * (`developerAccess`), so the local stack finds it for `credentials: { assumeRole: 'deployed' }`
 * from the project's and core's names alone.
 */
export function deployedCoreRoleName(project: string, core: string): string {
  return `${project}-${core}-core`;
}
