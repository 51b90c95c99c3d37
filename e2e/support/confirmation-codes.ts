/**
 * Reads the confirmation code the identity emulator issued for a user (sign-up or password
 * reset). On AWS Cognito emails it; `cognito-local` keeps it on the user in its pool file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface StoredUser {
  Attributes?: Array<{ Name: string; Value: string }>;
  ConfirmationCode?: string;
}

export async function latestConfirmationCode(stateDir: string, userPoolId: string, email: string): Promise<string> {
  const file = join(stateDir, '.cognito', 'db', `${userPoolId}.json`);
  const pool = JSON.parse(await readFile(file, 'utf8')) as { Users?: Record<string, StoredUser> };
  const user = Object.values(pool.Users ?? {}).find((candidate) =>
    candidate.Attributes?.some((attribute) => attribute.Name === 'email' && attribute.Value === email),
  );
  if (!user?.ConfirmationCode) throw new Error(`no confirmation code for ${email} in ${file}`);
  return user.ConfirmationCode;
}
