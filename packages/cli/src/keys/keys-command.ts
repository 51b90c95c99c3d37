/**
 * `gatehouse keys add|revoke|list` — issues and revokes API keys for the Lambda authorizer's
 * `api-key` mode, with no deploy: the keys live hashed in one SSM parameter that the authorizer
 * re-reads every cache period.
 *
 * Against AWS it uses the usual credentials and region from the environment; with `--local` it
 * talks to the running local stack's Parameter Store through the same SSM client.
 */
import { parseArgs } from 'node:util';
import { createSsmParameterClient, KeyStore } from '@gatehouse/authorizer';
import { LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { type LocalServices, loadLocalCredential, readServices } from '@gatehouse/local';
import { asUsageError, type CliIo, processIo, UsageError } from '../cli/cli-io';
import { resolveStateDir, stateDirUsage } from '../cli/state-dir';

export const KEYS_USAGE = `Usage: gatehouse keys <command> [options]

Commands:
  add <id> [--groups a,b] [--owner someone@example.com]   issue a key (printed once; only its hash is kept)
  revoke <id>                                              revoke a key (effective within the cache period)
  list                                                     list issued keys (ids, groups, owners — never keys)

Options:
  --parameter NAME   the SSM parameter holding the hashed keys (default ${LAMBDA_AUTHORIZER.defaultKeysParameter})
  --region REGION    the deployed API's region (default $AWS_REGION); credentials come from the environment
  --local            use the running local stack instead of AWS (reads services.json in the state directory)
${stateDirUsage(21)}`;

export async function keysCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, id] = positionals;
  if (values.help) {
    io.out(KEYS_USAGE);
    return 0;
  }
  if (!command) throw new UsageError('name a command: add, revoke or list');
  if (!['add', 'revoke', 'list'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command !== 'list' && !id) {
    throw new UsageError(`${command} needs a key id, e.g. npx gatehouse keys ${command} reporting-service`);
  }
  if (values.local && command === 'add') warnUnlessApiKeyMode(resolveStateDir(values['state-dir'], io.env), io);
  let store: KeyStore;
  try {
    store = new KeyStore(
      createSsmParameterClient(ssmEnv(values, io.env)),
      values.parameter ?? LAMBDA_AUTHORIZER.defaultKeysParameter,
      0,
    );
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.err(`gatehouse keys: ${(error as Error).message}`);
    return 1;
  }
  try {
    switch (command) {
      case 'add': {
        const groups =
          values.groups
            ?.split(',')
            .map((g) => g.trim())
            .filter((g) => g !== '') ?? [];
        const key = await store.add(id as string, { groups, ...(values.owner ? { owner: values.owner } : {}) });
        io.out(key);
        io.err(
          `Issued key "${id}". It is shown this once; store it now. Send it in the ${LAMBDA_AUTHORIZER.apiKeyHeader} header.`,
        );
        return 0;
      }
      case 'revoke': {
        if (!(await store.revoke(id as string))) {
          io.err(`No key named "${id}".`);
          return 1;
        }
        io.out(`Revoked "${id}". Callers holding it are refused once cached decisions expire.`);
        return 0;
      }
      case 'list': {
        const records = await store.list();
        if (records.length === 0) io.out('No keys issued.');
        for (const r of records) {
          io.out(
            `${r.id}\tgroups=${r.groups.join(',') || '-'}\towner=${r.owner ?? '-'}\tcreated=${r.createdAt || '-'}`,
          );
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.err(`gatehouse keys ${command}: ${(error as Error).message}`);
    return 1;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        groups: { type: 'string' },
        owner: { type: 'string' },
        parameter: { type: 'string' },
        region: { type: 'string' },
        local: { type: 'boolean' },
        'state-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw asUsageError(error);
  }
}

type KeysFlags = ReturnType<typeof parse>['values'];

/** Where the key list lives: the local stack's Parameter Store, or AWS in the chosen region. */
function ssmEnv(values: KeysFlags, env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (values.local) {
    if (values.region) throw new UsageError('--region is for the deployed API; --local uses the local stack');
    return { ...env, ...localSsmEnv(resolveStateDir(values['state-dir'], env)) };
  }
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UsageError(
      "no AWS region for the deployed API's keys: set AWS_REGION or pass --region (e.g. --region eu-west-1), " +
        'or add --local to manage the running local stack’s keys',
    );
  }
  return { ...env, AWS_REGION: region };
}

/** The local stack's Parameter Store endpoint, from the services file `gatehouse dev` writes. */
function localSsmEnv(stateDir: string): Record<string, string> {
  const services = readServices(stateDir);
  const credential = loadLocalCredential(stateDir);
  return {
    AWS_ENDPOINT_URL_SSM: services.ssmEndpoint,
    AWS_REGION: services.region,
    // The local Parameter Store accepts only signatures by the state directory's local credential.
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
  };
}

/**
 * Keys are read only by the Lambda authorizer's `api-key` mode: issued against a local stack that
 * runs another mode, they would be stored and never asked for.
 */
function warnUnlessApiKeyMode(stateDir: string, io: CliIo): void {
  let services: LocalServices;
  try {
    services = readServices(stateDir);
  } catch {
    // No stack here: adding the key fails next, with the reason.
    return;
  }
  if (services.authMode === 'lambda' && services.lambda?.kind === 'api-key') return;
  io.err(
    `gatehouse keys: the local stack runs auth ${services.authMode}, which never reads API keys; ` +
      'the key is stored, but only a stack started with --auth lambda --authorizer api-key admits it',
  );
}
