/**
 * The server side of Cognito's SRP-6a (`USER_SRP_AUTH`), derived from the client AWS publishes
 * (Amplify's `AuthenticationHelper`): the 3072-bit group of RFC 5054 with g = 2, k = H(N ‖ g),
 * x = H(salt ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)), the key from HKDF-SHA256 with the
 * info "Caldera Derived Key", and the claim HMAC over pool name, user id, secret block and the
 * client's timestamp. The pool keeps only the salt and the verifier v = g^x, as Cognito does.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

const N = BigInt(`0x${N_HEX}`);
const g = 2n;

/** Java's `toByteArray()` in hex, as the client pads: even length, a leading 00 when the top bit is set. */
function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function hashHex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = BigInt(`0x${hashHex(paddedHex(N) + paddedHex(g))}`);

/** The part of the pool id after the region (`us-east-1_GateHouse` → `GateHouse`), which the client hashes. */
export function srpPoolName(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? '';
}

export interface PasswordVerifier {
  /** Hex, sent to the client as `SALT`. */
  salt: string;
  /** Hex of g^x mod N. */
  verifier: string;
}

function privateX(salt: string, poolName: string, userId: string, password: string): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hashHex(paddedHex(BigInt(`0x${salt}`)) + inner)}`);
}

export function makeVerifier(poolName: string, userId: string, password: string): PasswordVerifier {
  const salt = paddedHex(BigInt(`0x${randomBytes(16).toString('hex')}`));
  return { salt, verifier: modPow(g, privateX(salt, poolName, userId, password), N).toString(16) };
}

/** `USER_PASSWORD_AUTH` and `ChangePassword` check a password against the same verifier SRP uses. */
export function passwordMatches(stored: PasswordVerifier, poolName: string, userId: string, password: string): boolean {
  const candidate = Buffer.from(modPow(g, privateX(stored.salt, poolName, userId, password), N).toString(16));
  const expected = Buffer.from(stored.verifier);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

export interface ServerEphemeral {
  /** Private; never leaves the server. */
  b: bigint;
  /** Hex, sent to the client as `SRP_B`. */
  B: string;
}

/** 256 random bits of b give the exchange 128-bit strength at a few milliseconds of modPow. */
export function serverEphemeral(stored: PasswordVerifier): ServerEphemeral {
  const v = BigInt(`0x${stored.verifier}`);
  for (let attempt = 0; attempt < 8; attempt++) {
    const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
    const B = (k * v + modPow(g, b, N)) % N;
    if (B !== 0n) return { b, B: B.toString(16) };
  }
  throw new Error('could not draw a non-zero SRP B');
}

export interface PasswordClaim {
  poolName: string;
  userId: string;
  stored: PasswordVerifier;
  ephemeral: ServerEphemeral;
  /** The client's `SRP_A`, hex. */
  A: string;
  /** Base64, exactly as sent in the challenge. */
  secretBlock: string;
  timestamp: string;
  /** The client's `PASSWORD_CLAIM_SIGNATURE`, base64. */
  signature: string;
}

/** True when the claim proves knowledge of the password behind the verifier. */
export function claimIsValid(claim: PasswordClaim): boolean {
  const A = BigInt(`0x${claim.A}`);
  if (A % N === 0n) return false;
  const B = BigInt(`0x${claim.ephemeral.B}`);
  const u = BigInt(`0x${hashHex(paddedHex(A) + paddedHex(B))}`);
  if (u === 0n) return false;
  const v = BigInt(`0x${claim.stored.verifier}`);
  const S = modPow((A * modPow(v, u, N)) % N, claim.ephemeral.b, N);
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(paddedHex(S), 'hex'),
      Buffer.from(paddedHex(u), 'hex'),
      Buffer.from('Caldera Derived Key', 'utf8'),
      16,
    ),
  );
  const expected = createHmac('sha256', key)
    .update(Buffer.from(claim.poolName, 'utf8'))
    .update(Buffer.from(claim.userId, 'utf8'))
    .update(Buffer.from(claim.secretBlock, 'base64'))
    .update(Buffer.from(claim.timestamp, 'utf8'))
    .digest();
  const given = Buffer.from(claim.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** Parses the client's "ddd MMM D HH:mm:ss UTC YYYY"; undefined when it is not that format. */
export function parseSrpTimestamp(value: string): Date | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return undefined;
  const date = new Date(Date.UTC(Number(m[7]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return DAYS[date.getUTCDay()] === m[1] ? date : undefined;
}
