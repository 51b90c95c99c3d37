/**
 * The local stack's IAM credential for `auth: 'iam'`: one access key and secret per state directory,
 * generated on first start and kept in `<stateDir>/iam-credentials.json` (mode 0600), so scripts and
 * `curl --aws-sigv4` keep working across restarts. The gateway admits requests signed with it; it
 * means nothing to AWS.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalCredential } from '../iam';

export const LOCAL_IAM_CREDENTIALS_FILE = 'iam-credentials.json';

/** The account and user API Gateway would report for this caller (`requestContext.authorizer.iam`). */
const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_USER_NAME = 'gatehouse-local';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function loadLocalIamCredential(stateDir: string): LocalCredential {
  const file = path.join(stateDir, LOCAL_IAM_CREDENTIALS_FILE);
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
