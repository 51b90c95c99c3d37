/**
 * `gatehouse keys add|revoke|list` — issues and revokes API keys for the Lambda authorizer's
 * `api-key` mode, with no deploy: the keys live hashed in one SSM parameter that the authorizer
 * re-reads every cache period.
 *
 * Against AWS it uses the usual credentials and region from the environment; with `--local` it
 * talks to the running local stack's Parameter Store through the same SSM client.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSsmParameterClient, KeyStore } from '@gatehouse/authorizer';
import { LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { LOCAL_CREDENTIALS } from '../lambda';

export const KEYS_USAGE = `Usage: gatehouse keys <command> [options]

Commands:
  add <id> [--groups a,b] [--owner someone@example.com]   issue a key (printed once; only its hash is kept)
  revoke <id>                                              revoke a key (effective within the cache period)
  list                                                     list issued keys (ids, groups, owners — never keys)

Options:
  --parameter NAME   the SSM parameter holding the hashed keys (default ${LAMBDA_AUTHORIZER.defaultKeysParameter})
  --local            use the running local stack (reads .gatehouse/services.json)
  --state-dir DIR    the local stack's state directory (default .gatehouse)`;

export interface KeysIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const defaultIo: KeysIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

export async function keysCommand(argv: string[], io: KeysIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, id] = positionals;
  if (values.help || !command) {
    io.out(KEYS_USAGE);
    return command || values.help ? 0 : 2;
  }
  let store: KeyStore;
  try {
    const env = values.local ? { ...io.env, ...localSsmEnv(values['state-dir'] ?? '.gatehouse') } : io.env;
    store = new KeyStore(createSsmParameterClient(env), values.parameter ?? LAMBDA_AUTHORIZER.defaultKeysParameter, 0);
  } catch (error) {
    io.err(`gatehouse keys: ${(error as Error).message}`);
    return 1;
  }
  try {
    switch (command) {
      case 'add': {
        if (!id) return usage(io, 'add needs a key id, e.g. gatehouse keys add reporting-service');
        const groups =
          values.groups
            ?.split(',')
            .map((g) => g.trim())
            .filter((g) => g !== '') ?? [];
        const key = await store.add(id, { groups, ...(values.owner ? { owner: values.owner } : {}) });
        io.out(key);
        io.err(
          `Issued key "${id}". It is shown this once; store it now. Send it in the ${LAMBDA_AUTHORIZER.apiKeyHeader} header.`,
        );
        return 0;
      }
      case 'revoke': {
        if (!id) return usage(io, 'revoke needs a key id');
        if (!(await store.revoke(id))) {
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
        return usage(io, `unknown command "${command}"`);
    }
  } catch (error) {
    io.err(`gatehouse keys ${command}: ${(error as Error).message}`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      groups: { type: 'string' },
      owner: { type: 'string' },
      parameter: { type: 'string' },
      local: { type: 'boolean' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function usage(io: KeysIo, message: string): number {
  io.err(`gatehouse keys: ${message}\n\n${KEYS_USAGE}`);
  return 2;
}

/** The local stack's Parameter Store endpoint, from the services file `gatehouse dev` writes. */
function localSsmEnv(stateDir: string): Record<string, string> {
  const file = path.join(stateDir, 'services.json');
  let services: { ssmEndpoint?: unknown; region?: unknown };
  try {
    services = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`the local stack is not running (no ${file}); start it with npm start`);
  }
  if (typeof services.ssmEndpoint !== 'string') throw new Error(`${file} names no ssmEndpoint`);
  return {
    AWS_ENDPOINT_URL_SSM: services.ssmEndpoint,
    AWS_REGION: typeof services.region === 'string' ? services.region : 'us-east-1',
    // The local Parameter Store accepts only signatures by the local credential.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}
