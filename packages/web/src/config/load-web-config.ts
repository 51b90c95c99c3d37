/**
 * Fetches the runtime configuration the app cannot start without. A missing or malformed file is
 * a setup mistake, not a crash: the error says which, so the page can say how to fix it.
 */
import { isWebConfig, WEB_CONFIG_PATH, type WebConfig } from '@gatehouse/contract';

export type WebConfigProblem = 'missing' | 'malformed' | 'unreachable';

export class WebConfigError extends Error {
  override readonly name = 'WebConfigError';
  constructor(
    readonly problem: WebConfigProblem,
    message: string,
  ) {
    super(message);
  }
}

export async function loadWebConfig(fetchFn: typeof fetch = fetch, path = WEB_CONFIG_PATH): Promise<WebConfig> {
  let response: Response;
  try {
    response = await fetchFn(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (error) {
    throw new WebConfigError('unreachable', `Could not fetch ${path}: ${String(error)}`);
  }
  // A static host or a bare `vite` answers an absent file with index.html (status 200), hence the type check.
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status === 404 || !contentType.includes('json')) {
    throw new WebConfigError(
      'missing',
      `${path} was not found (status ${response.status}, ${contentType || 'no type'}).`,
    );
  }
  if (!response.ok) {
    throw new WebConfigError('unreachable', `${path} answered with status ${response.status}.`);
  }
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    throw new WebConfigError('malformed', `${path} is not valid JSON.`);
  }
  if (!isWebConfig(value)) {
    throw new WebConfigError(
      'malformed',
      `${path} lacks a required field (apiUrl, region, userPoolId, userPoolClientId, authFlowType).`,
    );
  }
  return value;
}
