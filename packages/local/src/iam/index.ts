export { LOCAL_CREDENTIAL_FILE, type LocalKeys, loadLocalCredential } from './local-credential';
export {
  type AdmissionRefusal,
  refuseBeforeBody,
  type ServiceAdmission,
  verifyServiceSignature,
} from './service-admission';
export { type LocalCredential, type SignedRequest, type SigV4Result, verifySigV4 } from './sigv4-verifier';
