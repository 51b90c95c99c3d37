/**
 * Errors the construct raises at synth time. One class, so an app (or a test) can tell a
 * configuration mistake it should show the user from a bug it should let crash.
 */

export class GatehouseConfigError extends Error {
  override name = 'GatehouseConfigError';
}
