export * from './api';
export * from './auth-modes';
export * from './core-payload';
export * from './gateway-claims';
export * from './inference';
export * from './origins';
export * from './problem';
export * from './web-config';
