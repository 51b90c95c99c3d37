/**
 * `gatehouse token [--user NAME] [--access]`: signs in to the running local stack's identity
 * service and prints a fresh ID token (or access token) for curl. Seeded users need no password.
 */
import { parseArgs } from 'node:util';
import {
  ADMIN_USER,
  CognitoApiError,
  DEMO_USER,
  LocalConfigMissingError,
  readLocalConfig,
  SEED_USERS,
  signIn,
} from '@gatehouse/local';
import { asUsageError, type CliIo, UsageError } from './cli-io';
import { resolveStateDir, stateDirUsage } from './state-dir';

export const TOKEN_USAGE = `Usage: gatehouse token [--user NAME] [--password PASSWORD] [--access] [--state-dir DIR]

Prints a fresh ID token from the running local stack (reads local.json in the state directory).
  --user NAME      demo (default), admin (in the admins group), or any user's email
  --password P     for users other than the seeded ones
  --access         print the access token instead of the ID token
${stateDirUsage(19)}`;

const SHORT_NAMES: Record<string, string> = { demo: DEMO_USER.username, admin: ADMIN_USER.username };

export async function tokenCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv);
  const username = SHORT_NAMES[values.user ?? 'demo'] ?? (values.user as string);
  const password = values.password ?? SEED_USERS.find((u) => u.username === username)?.password;
  if (!password) throw new UsageError(`--password is needed for ${username} (not a seeded user)`);

  let config: ReturnType<typeof readLocalConfig>;
  try {
    config = readLocalConfig(resolveStateDir(values['state-dir'], io.env));
  } catch (error) {
    if (error instanceof LocalConfigMissingError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  try {
    const tokens = await signIn(config.cognito.endpoint, config.cognito.clientId, username, password);
    io.out(values.access ? tokens.AccessToken : tokens.IdToken);
    return 0;
  } catch (error) {
    if (error instanceof CognitoApiError) {
      io.err(`Sign-in as ${username} failed: ${error.message}`);
      return 1;
    }
    io.err(
      `The local stack is not running: nothing answers at ${config.cognito.endpoint}. Start it with npx gatehouse dev.`,
    );
    return 1;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        user: { type: 'string' },
        password: { type: 'string' },
        access: { type: 'boolean' },
        'state-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw asUsageError(error);
  }
}
