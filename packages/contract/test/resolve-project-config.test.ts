/**
 * The project config's checks, one bad key at a time: each must be refused with the key's path,
 * the value found and what is allowed — the message an adopter reads when `gatehouse dev` or a
 * deploy refuses to start — and a good config must come back with its defaults filled in.
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeApi } from '../src/api';
import { JOB_DEFAULTS } from '../src/jobs';
import { PROJECT_DEFAULTS } from '../src/project-defaults';
import { ProjectConfigError, resolveProjectConfig } from '../src/resolve-project-config';

const schema = z.object({ prompt: z.string() });

type Settings = Record<string, unknown>;
interface DraftConfig {
  routes: { 'GET /prompts/{id}': Settings } & Record<string, Settings>;
  cores: { ask: Settings } & Record<string, Settings>;
  [key: string]: unknown;
}

/** A config that passes every check; each case below breaks exactly one thing in it. */
function goodConfig(): DraftConfig {
  return {
    routes: {
      'POST /completions': { core: 'ask', schema, payload: 'input' },
      'GET /prompts/{id}': { core: 'ask' },
    },
    cores: { ask: { runtime: 'python3.12', code: './core', handler: 'handler.handler' } },
  };
}

type Edit = (config: DraftConfig) => void;

function problemsOf(edit: Edit): Array<{ key: string; message: string }> {
  const config = goodConfig();
  edit(config);
  try {
    resolveProjectConfig(config, 'gatehouse.config.ts');
  } catch (error) {
    if (error instanceof ProjectConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('the config was accepted');
}

const route =
  (key: string, value: Settings = { core: 'ask' }): Edit =>
  (c) => {
    c.routes[key] = value;
  };

describe('resolveProjectConfig: a good config', () => {
  it('is accepted with its defaults filled in', () => {
    // Act
    const resolved = resolveProjectConfig(goodConfig());

    // Assess
    expect(resolved).toMatchObject({
      name: PROJECT_DEFAULTS.name,
      stage: 'prod',
      auth: { mode: 'cognito' },
      origins: [],
      tokenUse: 'id',
      maxBodyBytes: 262_144,
      coreTimeoutMs: 8_000,
    });
    expect(resolved.routes[0]).toMatchObject({
      key: 'POST /completions',
      method: 'POST',
      payload: 'input',
      hasBody: true,
    });
    expect(resolved.routes[1]).toMatchObject({
      method: 'GET',
      parameters: ['id'],
      payload: 'enriched',
      hasBody: false,
    });
    expect(resolved.cores[0]).toMatchObject({
      name: 'ask',
      timeoutSeconds: 10,
      memoryMb: 512,
      environment: {},
      credentials: { kind: 'developer' },
      permissions: [],
      architecture: 'arm64',
    });
  });

  it('accepts AWS access for a core: credentials, permissions with a reason for each wildcard, architecture', () => {
    // Prepare
    const config = goodConfig();
    const bedrock = {
      actions: ['bedrock:InvokeModel'],
      resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
    };
    const listing = {
      actions: ['bedrock:ListFoundationModels'],
      resources: ['*'],
      reason: 'ListFoundationModels has no resource-level permissions.',
    };
    Object.assign(config.cores.ask, {
      credentials: { assumeRole: 'arn:aws:iam::123456789012:role/ask-local' },
      permissions: [bedrock, listing],
      architecture: 'x86_64',
    });

    // Act
    const [core] = resolveProjectConfig(config).cores;

    // Assess
    expect(core).toMatchObject({
      credentials: { kind: 'assumeRole', role: 'arn:aws:iam::123456789012:role/ask-local' },
      permissions: [bedrock, listing],
      architecture: 'x86_64',
    });
    for (const credentials of ['developer', { profile: 'dev-sso' }, { assumeRole: 'deployed' }]) {
      expect(() =>
        resolveProjectConfig({ ...config, cores: { ask: { ...config.cores.ask, credentials } } }),
      ).not.toThrow();
    }
  });

  it('accepts a greedy {proxy+} as the last segment, an ANY route without a schema, and a remote core', () => {
    const config = goodConfig();
    config.routes['ANY /files/{proxy+}'] = { core: 'ask' };
    config.cores.ask.remote = { function: 'arn:aws:lambda:eu-west-1:123456789012:function:ask-core', profile: 'dev' };
    const resolved = resolveProjectConfig(config);
    expect(resolved.routes[2]).toMatchObject({ parameters: ['proxy'], greedy: true });
    expect(resolved.cores[0]?.remote).toMatchObject({ profile: 'dev' });
  });

  it('lists every problem of a config at once, with the file it came from', () => {
    const error = (() => {
      try {
        resolveProjectConfig({ routes: { 'POST /x': { core: 'nope' } }, cores: {} }, 'gatehouse.config.ts');
      } catch (e) {
        return e as ProjectConfigError;
      }
    })();
    expect(error?.message).toMatch(/^The gatehouse config in gatehouse\.config\.ts has 3 problems:\n {2}- cores: /);
    expect(error?.problems.map((p) => p.key)).toEqual(['cores', 'routes["POST /x"].core', 'routes["POST /x"].schema']);
  });
});

describe('resolveProjectConfig: each bad key is named, with its value and what is allowed', () => {
  it.each<[string, Edit, string, RegExp]>([
    [
      'a route key without a method',
      route('/completions'),
      'routes["/completions"]',
      /is not a route key API Gateway accepts: must be "<METHOD> \/<path>"/,
    ],
    ['a path ending in /', route('GET /prompts/'), 'routes["GET /prompts/"]', /the path must not end with "\/"/],
    [
      '{proxy+} before the last segment',
      route('GET /files/{proxy+}/meta'),
      'routes["GET /files/{proxy+}/meta"]',
      /the greedy parameter \{proxy\+\} must be the last segment/,
    ],
    [
      'a path parameter twice',
      route('GET /a/{id}/b/{id}'),
      'routes["GET /a/{id}/b/{id}"]',
      /path parameter \{id\} appears twice/,
    ],
    [
      'a parameter mixed with text',
      route('GET /prompts/v{id}'),
      'routes["GET /prompts/v{id}"]',
      /mixes text and a parameter/,
    ],
    [
      'an OPTIONS route',
      route('OPTIONS /completions'),
      'routes["OPTIONS /completions"]',
      /method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY \(the API answers CORS preflights itself\)/,
    ],
    [
      'a route whose core is not defined',
      route('GET /other', { core: 'akk' }),
      'routes["GET /other"].core',
      /^"akk" is not a core of this project \(cores: ask\)$/,
    ],
    [
      'a POST route without a schema',
      route('POST /other', { core: 'ask' }),
      'routes["POST /other"].schema',
      /is required for POST routes: the edge validates every body/,
    ],
    [
      'a schema that is not a Standard Schema',
      route('PUT /other', { core: 'ask', schema: { parse: () => ({}) } }),
      'routes["PUT /other"].schema',
      /must be a Standard Schema validator \(zod ≥ 3\.24, valibot ≥ 1, arktype ≥ 2\)/,
    ],
    [
      'an unknown payload mode',
      route('POST /other', { core: 'ask', schema, payload: 'raw' }),
      'routes["POST /other"].payload',
      /^must be one of enriched, input \(got "raw"\)$/,
    ],
    [
      'payload "input" on a route with path parameters',
      route('GET /prompts/{id}', { core: 'ask', payload: 'input' }),
      'routes["GET /prompts/{id}"].payload',
      /"input" sends the body alone, so \{id\} would never reach the core; use "enriched"/,
    ],
    [
      'an unknown route setting',
      route('GET /other', { core: 'ask', auth: 'none' }),
      'routes["GET /other"].auth',
      /is not a route setting \(known: core, schema, payload, groups, example, description, job\)/,
    ],
    [
      'route groups that are not a list of names',
      route('GET /other', { core: 'ask', groups: 'admins' }),
      'routes["GET /other"].groups',
      /must be a list of Cognito group names \(got "admins"\)/,
    ],
    [
      'an unknown runtime',
      (c) => {
        c.cores.ask.runtime = 'python3.9';
      },
      'cores.ask.runtime',
      /^"python3\.9" is not a supported runtime \(supported: nodejs20\.x, nodejs22\.x, python3\.12, python3\.13, provided\.al2023\)$/,
    ],
    [
      'a handler with an empty function name',
      (c) => {
        c.cores.ask.handler = 'handler.';
      },
      'cores.ask.handler',
      /must be Lambda's handler string "<file>\.<function>", e\.g\. "handler\.handler" \(got "handler\."\)/,
    ],
    [
      'a handler that is a path only',
      (c) => {
        c.cores.ask.handler = 'handler';
      },
      'cores.ask.handler',
      /must be Lambda's handler string/,
    ],
    [
      'a core without code',
      (c) => {
        delete c.cores.ask.code;
      },
      'cores.ask.code',
      /must be the core's folder, relative to the config file \(got nothing\)/,
    ],
    [
      'memory below Lambda’s 128 MB',
      (c) => {
        c.cores.ask.memoryMb = 64;
      },
      'cores.ask.memoryMb',
      /^must be a whole number from 128 to 10240 \(got 64\)$/,
    ],
    [
      'a timeout past Lambda’s 900 s',
      (c) => {
        c.cores.ask.timeoutSeconds = 901;
      },
      'cores.ask.timeoutSeconds',
      /^must be a whole number from 1 to 900 \(got 901\)$/,
    ],
    [
      'a fractional timeout',
      (c) => {
        c.cores.ask.timeoutSeconds = 2.5;
      },
      'cores.ask.timeoutSeconds',
      /must be a whole number from 1 to 900 \(got 2\.5\)/,
    ],
    [
      'an existing function that is neither a name nor an ARN',
      (c) => {
        c.cores.ask.existing = 'arn:aws:s3:::bucket';
      },
      'cores.ask.existing',
      /^must be a Lambda function name or ARN \(got "arn:aws:s3:::bucket"\)$/,
    ],
    [
      'a remote core without a function',
      (c) => {
        c.cores.ask.remote = { region: 'eu-west-1' };
      },
      'cores.ask.remote.function',
      /^must be the deployed function's name or ARN \(got nothing\)$/,
    ],
    [
      'a remote function name with a space',
      (c) => {
        c.cores.ask.remote = { function: 'my core' };
      },
      'cores.ask.remote.function',
      /must be the deployed function's name or ARN \(got "my core"\)/,
    ],
    [
      'an environment variable Lambda reserves',
      (c) => {
        c.cores.ask.environment = { AWS_REGION: 'eu-west-1' };
      },
      'cores.ask.environment.AWS_REGION',
      /is not a name Lambda accepts \(letters, digits, _; not AWS_\*, LAMBDA_\*, _HANDLER, TZ\)/,
    ],
    [
      'an environment value that is not a string',
      (c) => {
        c.cores.ask.environment = { TABLE: 3 };
      },
      'cores.ask.environment.TABLE',
      /^must be a string \(got 3\)$/,
    ],
    [
      'a core name Lambda cannot take',
      (c) => {
        c.cores.ask_core = c.cores.ask;
      },
      'cores.ask_core',
      /a core name is letters, digits and -/,
    ],
    [
      'an unknown core setting',
      (c) => {
        c.cores.ask.layers = [];
      },
      'cores.ask.layers',
      /is not a core setting \(known: runtime, code, handler, timeoutSeconds, memoryMb, environment, existing, remote, credentials, permissions, architecture\)/,
    ],
    [
      'credentials that are neither "developer" nor an object',
      (c) => {
        c.cores.ask.credentials = 'mine';
      },
      'cores.ask.credentials',
      /^must be "developer", \{ profile: "<name>" \} or \{ assumeRole: "deployed" \| "<role ARN>" \} \(got "mine"\)$/,
    ],
    [
      'a profile name with a space',
      (c) => {
        c.cores.ask.credentials = { profile: 'my dev' };
      },
      'cores.ask.credentials.profile',
      /^must be a profile name of your AWS config \(got "my dev"\)$/,
    ],
    [
      'a role to assume that is not a role ARN',
      (c) => {
        c.cores.ask.credentials = { assumeRole: 'arn:aws:iam::123456789012:user/me' };
      },
      'cores.ask.credentials.assumeRole',
      /^must be "deployed" or a role ARN like arn:aws:iam::123456789012:role\/name \(got "arn:aws:iam::123456789012:user\/me"\)$/,
    ],
    [
      'both a profile and a role',
      (c) => {
        c.cores.ask.credentials = { profile: 'dev', assumeRole: 'deployed' };
      },
      'cores.ask.credentials',
      /^must be "developer", \{ profile/,
    ],
    [
      'an unknown architecture',
      (c) => {
        c.cores.ask.architecture = 'aarch64';
      },
      'cores.ask.architecture',
      /^must be one of arm64, x86_64 \(got "aarch64"\)$/,
    ],
    [
      'permissions that are not a list',
      (c) => {
        c.cores.ask.permissions = { actions: ['s3:GetObject'] };
      },
      'cores.ask.permissions',
      /^must be a list of \{ actions, resources \} statements/,
    ],
    [
      'the * action',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['*'], resources: ['*'], reason: 'everything, for convenience' }];
      },
      'cores.ask.permissions[0].actions',
      /^"\*" allows every action: name the actions the core calls$/,
    ],
    [
      'every action of a service',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['s3:*'], resources: ['arn:aws:s3:::bucket'] }];
      },
      'cores.ask.permissions[0].actions',
      /^"s3:\*" allows every action of the service: name the actions the core calls$/,
    ],
    [
      'an action without a service',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['InvokeModel'], resources: ['*'] }];
      },
      'cores.ask.permissions[0].actions',
      /^"InvokeModel" is not an IAM action \("service:Action"\)$/,
    ],
    [
      'a resource that is not an ARN',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['s3:GetObject'], resources: ['my-bucket'] }];
      },
      'cores.ask.permissions[0].resources',
      /^"my-bucket" is neither an ARN nor "\*"$/,
    ],
    [
      'no resources',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['s3:GetObject'], resources: [] }];
      },
      'cores.ask.permissions[0].resources',
      /^must be a non-empty list of resource ARNs, or "\*" \(got \[\]\)$/,
    ],
    [
      'a * resource without a reason',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['bedrock:ListFoundationModels'], resources: ['*'] }];
      },
      'cores.ask.permissions[0]',
      /^"\*" needs a reason: say why nothing narrower works \(it becomes the cdk-nag acknowledgement\)$/,
    ],
    [
      'an unknown statement setting',
      (c) => {
        c.cores.ask.permissions = [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'], effect: 'Deny' }];
      },
      'cores.ask.permissions[0].effect',
      /^is not a statement setting \(known: actions, resources, reason\)$/,
    ],
    [
      'permissions on an existing function',
      (c) => {
        c.cores.ask.existing = 'ask-core';
        c.cores.ask.permissions = [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'] }];
      },
      'cores.ask.permissions',
      /^cannot be added to an existing function: gatehouse does not own its role/,
    ],
    [
      'route groups with auth iam',
      (c) => {
        c.auth = { mode: 'iam' };
        c.routes['GET /prompts/{id}'].groups = ['admins'];
      },
      'routes["GET /prompts/{id}"].groups',
      /^cannot be used with auth "iam": such callers belong to no group$/,
    ],
    [
      'required groups with auth none',
      (c) => {
        c.auth = { mode: 'none', acknowledgePublic: true };
        c.requiredGroups = ['admins'];
      },
      'requiredGroups',
      /cannot be used with auth "none"/,
    ],
    [
      'auth none without acknowledgePublic',
      (c) => {
        c.auth = { mode: 'none' };
      },
      'auth',
      /auth "none" makes the API public.*acknowledgePublic: true/,
    ],
    [
      'an unknown auth mode',
      (c) => {
        c.auth = { mode: 'oauth' };
      },
      'auth',
      /auth must be one of .* \(got "oauth"\)/,
    ],
    [
      'the * origin',
      (c) => {
        c.origins = ['*'];
      },
      'origins',
      /"\*" is not accepted: list the origins of your web app/,
    ],
    [
      'origins that are not a list',
      (c) => {
        c.origins = 'https://app.example.com';
      },
      'origins',
      /must be a list of origins like \["https:\/\/app\.example\.com"\]/,
    ],
    [
      'an unknown tokenUse',
      (c) => {
        c.tokenUse = 'refresh';
      },
      'tokenUse',
      /^must be "id" or "access" \(got "refresh"\)$/,
    ],
    [
      'a name API Gateway cannot take',
      (c) => {
        c.name = '1st api';
      },
      'name',
      /^"1st api" is not allowed \(letters, digits and -, 1–40, starting with a letter\)$/,
    ],
    [
      'a stage with a slash',
      (c) => {
        c.stage = 'v1/beta';
      },
      'stage',
      /"v1\/beta" is not allowed \(letters, digits, _ and -, 1–128\)/,
    ],
    [
      'a body limit past Lambda’s 6 MB',
      (c) => {
        c.limits = { maxBodyBytes: 7 * 1024 * 1024 };
      },
      'limits.maxBodyBytes',
      /must be a whole number from 1 to 6291456/,
    ],
    [
      'a core deadline past the API’s 30 s',
      (c) => {
        c.deadlines = { coreTimeoutMs: 30_000 };
      },
      'deadlines.coreTimeoutMs',
      /must be a whole number from 100 to 29000 \(got 30000\)/,
    ],
    [
      'a web panel that is not a path',
      (c) => {
        c.web = { panel: 3 };
      },
      'web',
      /must be like \{ panel: "\.\/web\/index\.tsx" \}/,
    ],
    [
      'an unknown top-level key',
      (c) => {
        c.route = {};
      },
      'route',
      /^is not a config key \(known: name, stage, routes, cores, auth, origins, tokenUse, requiredGroups, limits, deadlines, web\)$/,
    ],
    [
      'no routes',
      (c) => {
        for (const key of Object.keys(c.routes)) delete c.routes[key];
      },
      'routes',
      /must name at least one route/,
    ],
  ])('refuses %s', (_name, edit, key, message) => {
    // Act
    const problems = problemsOf(edit);

    // Assess
    expect(problems).toContainEqual({ key, message: expect.stringMatching(message) });
  });

  it('refuses something that is not an object at all', () => {
    expect(() => resolveProjectConfig(undefined)).toThrow(
      /\(config\): must be an object from defineConfig\(\{ routes, cores \}\) \(got nothing\)/,
    );
  });
});

describe('resolveProjectConfig: job routes', () => {
  const jobRoute =
    (job: unknown, core: Settings = {}): Edit =>
    (c) => {
      c.routes['POST /reports'] = { core: 'ask', schema, job };
      Object.assign(c.cores.ask, core);
    };

  it('fills in the job defaults, and describes GET /jobs/{jobId} once', () => {
    const config = goodConfig();
    jobRoute({}, { timeoutSeconds: 900 })(config);
    config.routes['POST /summaries'] = { core: 'ask', schema, job: { timeoutSeconds: 600, maxConcurrent: 2 } };
    const resolved = resolveProjectConfig(config);
    expect(resolved.routes.find((r) => r.key === 'POST /reports')?.job).toEqual(JOB_DEFAULTS);
    expect(resolved.routes.find((r) => r.key === 'POST /summaries')?.job).toEqual({
      timeoutSeconds: 600,
      keepHours: 24,
      maxConcurrent: 2,
    });
    expect(resolved.routes.find((r) => r.key === 'POST /completions')?.job).toBeUndefined();
    const routes = describeApi(resolved).routes.map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((key) => key === 'GET /jobs/{jobId}')).toHaveLength(1);
    expect(describeApi(resolveProjectConfig(goodConfig())).routes.map((r) => r.path)).not.toContain('/jobs/{jobId}');
  });

  it.each<[string, Edit, string, RegExp]>([
    [
      'a timeout over Lambda’s 900 s',
      jobRoute({ timeoutSeconds: 901 }),
      'routes["POST /reports"].job.timeoutSeconds',
      /from 1 to 900 \(got 901\)/,
    ],
    ['keepHours of 0', jobRoute({ keepHours: 0 }), 'routes["POST /reports"].job.keepHours', /from 1 to 720/],
    [
      'maxConcurrent of 1.5',
      jobRoute({ maxConcurrent: 1.5 }),
      'routes["POST /reports"].job.maxConcurrent',
      /whole number/,
    ],
    ['an unknown job setting', jobRoute({ retries: 2 }), 'routes["POST /reports"].job.retries', /is not a job setting/],
    [
      'a job that is not an object',
      jobRoute(true),
      'routes["POST /reports"].job',
      /must be an object like \{ timeoutSeconds: 300 \}/,
    ],
    [
      'a job longer than its core’s own timeout',
      jobRoute({ timeoutSeconds: 120 }, { timeoutSeconds: 60 }),
      'routes["POST /reports"].job.timeoutSeconds',
      /is 120 but core "ask" times out after 60 s; raise cores.ask.timeoutSeconds to at least 120/,
    ],
    [
      'a route of its own on the jobs path',
      route('GET /jobs/{jobId}'),
      'routes["GET /jobs/{jobId}"]',
      /clashes with GET \/jobs\/\{jobId\}/,
    ],
  ])('refuses %s', (_name, edit, key, message) => {
    const problems = problemsOf(edit);
    expect(problems).toContainEqual({ key, message: expect.stringMatching(message) });
  });
});
