export type { CheckResult, CheckStatus } from './check-result';
export { DOCTOR_USAGE, doctorCommand, formatResult } from './doctor-command';
export { type DoctorAuth, type DoctorTarget, resolveTarget } from './doctor-target';
export { bodyFromArgument, type RequestBody, SAMPLE_BODY } from './request-body';
export { type DoctorOptions, runDoctor } from './run-doctor';
