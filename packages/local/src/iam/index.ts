export { type LocalCredential, type SignedRequest, type SigV4Result, verifySigV4 } from './sigv4-verifier';
