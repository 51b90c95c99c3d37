/**
 * The local credential: one access key and secret per state directory, generated on first start
 * and kept in `<stateDir>/iam-credentials.json` (mode 0600), never a value in the source. It is the
 * only key the local AWS-shaped endpoints admit — the Invoke API (and through it a `remote` core's
 * forwarding to AWS), the Parameter Store, the identity service's admin operations — and the key
 * the gateway's `auth: 'iam'` mode checks, so scripts and `curl --aws-sigv4` keep working across
 * restarts. It means nothing to AWS. Everything that signs for the stack (the edge, the gateway,
 * the CLI, tests, benches) reads it through `loadLocalCredential`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalCredential } from './sigv4-verifier';

export const LOCAL_CREDENTIAL_FILE = 'iam-credentials.json';

/** What signing for, and admitting by, the local credential needs of it. */
export type LocalKeys = Pick<LocalCredential, 'accessKeyId' | 'secretAccessKey'>;

/** The account and user API Gateway would report for this caller (`requestContext.authorizer.iam`). */
const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_USER_NAME = 'gatehouse-local';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function loadLocalCredential(stateDir: string): LocalCredential {
  const file = path.join(stateDir, LOCAL_CREDENTIAL_FILE);
  const stored = readStored(file);
  if (stored) {
    // `mode` below applies only when the file is created; one loosened since is tightened again.
    chmodSync(file, 0o600);
    return stored;
  }
  const credential = generate();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credential, null, 2)}\n`, { mode: 0o600 });
  return credential;
}

function readStored(file: string): LocalCredential | undefined {
  let value: Partial<LocalCredential>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const fields = ['accessKeyId', 'secretAccessKey', 'accountId', 'userArn', 'userId'] as const;
  return fields.every((f) => typeof value[f] === 'string' && value[f] !== '') ? (value as LocalCredential) : undefined;
}

/** Shaped like real IAM user keys (`AKIA…`/`AIDA…`, 20 characters; a 40-character secret). */
function generate(): LocalCredential {
  const id = (prefix: string) =>
    prefix + Array.from(randomBytes(16), (b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('');
  return {
    accessKeyId: id('AKIA'),
    secretAccessKey: randomBytes(30).toString('base64'),
    accountId: LOCAL_ACCOUNT_ID,
    userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${LOCAL_USER_NAME}`,
    userId: id('AIDA'),
  };
}
