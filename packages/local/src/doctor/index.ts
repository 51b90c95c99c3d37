export type { CheckResult, CheckStatus } from './check-result';
export { DOCTOR_USAGE, doctorCommand, formatResult } from './doctor-command';
export { type DoctorOptions, runDoctor } from './run-doctor';
