import { STATUS_CODES } from 'node:http';

/**
 * The answers API Gateway HTTP API writes itself, before or instead of the integration's: a JSON
 * body with one lower-case `message` field. Kept in one table so the wording the emulator uses and
 * the wording the docs and tests cite cannot diverge.
 */

export const GATEWAY_MESSAGES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

export type GatewayStatus = keyof typeof GATEWAY_MESSAGES;

/** A response ready to be written: header names lower-case, body as bytes. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export function gatewayError(status: GatewayStatus, headers: Record<string, string> = {}): GatewayResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify({ message: GATEWAY_MESSAGES[status] })),
  };
}

/**
 * The response as bytes for a socket with no `ServerResponse` (Node's parser refused the request,
 * or it timed out): the same status, headers and body, and the connection closes after it.
 */
export function rawResponse(response: GatewayResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`];
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of [value].flat()) lines.push(`${name}: ${one}`);
  }
  lines.push(`content-length: ${response.body.length}`, 'connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${response.body.toString('latin1')}`;
}
