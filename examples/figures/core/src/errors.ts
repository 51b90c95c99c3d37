/**
 * The errors this core throws on purpose. Their `name` becomes Lambda's `errorType`, which the edge
 * looks up in the contract's CORE_ERROR_TYPES table to answer a 4xx with the message below — so
 * every message here is written for the person asking, and carries no internals.
 */

/** The payload is not what the core accepts (→ 400). */
export class ValidationError extends Error {
  override name = 'ValidationError' as const;
}

/** The partner, or figures for the period asked about, do not exist (→ 404). */
export class NotFoundError extends Error {
  override name = 'NotFoundError' as const;
}

/** The question is well-formed but not one this core can answer (→ 422). */
export class UnprocessableError extends Error {
  override name = 'UnprocessableError' as const;
}
