/**
 * One HTTP request of the doctor, bounded in time, with the response read whole (bodies here are
 * small JSON) and network failures returned as values so each check can explain them.
 */
import { isProblem, type Problem } from '@gatehouse/contract';

export interface ProbeResponse {
  kind: 'response';
  status: number;
  headers: Headers;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

export interface ProbeFailure {
  kind: 'network-error';
  message: string;
}

export type ProbeOutcome = ProbeResponse | ProbeFailure;

export async function probe(url: string, init: RequestInit, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { kind: 'response', status: response.status, headers: response.headers, body, json: parseJson(body) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { kind: 'network-error', message };
  }
}

function parseJson(body: string): unknown {
  try {
    return body === '' ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The `message` of API Gateway's own error bodies (`{"message":"Unauthorized"}`). */
export function gatewayMessage(response: ProbeResponse): string | undefined {
  const json = response.json as { message?: unknown } | undefined;
  return typeof json?.message === 'string' && Object.keys(json).length === 1 ? json.message : undefined;
}

/** The edge's RFC 9457 problem, when the body is one. */
export function problemOf(response: ProbeResponse): Problem | undefined {
  return isProblem(response.json) ? response.json : undefined;
}

/** The `error_description` of API Gateway's `www-authenticate` challenge. */
export function authorizerReason(response: ProbeResponse): string | undefined {
  return /error_description="([^"]*)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];
}
