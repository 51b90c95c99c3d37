/**
 * Allow-listed emails: exact addresses (`ana@example.com`) and whole domains (`@example.com`).
 * In the contract so the construct and the local stack refuse a bad list before anything runs,
 * with the very parser the Lambda authorizer uses.
 * Matching ignores case, and only a verified email counts — an unverified address is one anyone
 * could have typed at sign-up.
 */

export type EmailRule = { kind: 'address'; address: string } | { kind: 'domain'; domain: string };

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^@[^\s@]+\.[^\s@]+$/;

/**
 * @example
 * parseEmailAllowList('ana@example.com, @partner.org')
 */
export function parseEmailAllowList(list: string | readonly string[]): EmailRule[] {
  const entries = (typeof list === 'string' ? list.split(',') : list)
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new Error('the list is empty');
  return entries.map((entry) => {
    if (DOMAIN.test(entry)) return { kind: 'domain', domain: entry.slice(1) };
    if (ADDRESS.test(entry)) return { kind: 'address', address: entry };
    throw new Error(`"${entry}" is neither an email address nor a domain written as @example.com`);
  });
}

export function isEmailAllowed(rules: readonly EmailRule[], email: string | undefined, verified: boolean): boolean {
  if (!email || !verified) return false;
  const address = email.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return rules.some((rule) => (rule.kind === 'address' ? rule.address === address : rule.domain === domain));
}
