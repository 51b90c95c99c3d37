export { ACCESS_LOG_FIELDS, accessLogFormat } from './access-log';
export { type CoreSource, invokeStatement } from './core-target';
export { checkDeadlines, EDGE_HEADROOM_MS } from './deadlines';
export { GatehouseConfigError } from './errors';
export { GatehouseApi, type GatehouseApiProps } from './gatehouse-api';
export { GatehouseStack, type GatehouseStackProps, STACK_OUTPUTS } from './gatehouse-stack';
export type { Throttling } from './http-api';
export type { UserPoolSource } from './identity';
export type { AlarmThresholds } from './monitoring';
