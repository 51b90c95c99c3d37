/** `@gatehouse/local`: the local stack and its parts, for `gatehouse dev`, tests and benches. */
export * from './identity';
export * from './lambda';
export { PortInUseError } from './net/listen';
export * from './stack';
