/**
 * The local web app for `gatehouse dev`, loaded only when it runs: `@gatehouse/web` (Vite, React,
 * Amplify UI — most of an install's weight) is an optional peer, so a project that brings its own
 * app, or only runs `doctor` and `keys`, never installs it.
 */
import type { WebServerStarter } from '@gatehouse/local';

export class WebAppMissingError extends Error {
  override name = 'WebAppMissingError';
  constructor(cause: unknown) {
    super('the local web app is not installed: npm install -D @gatehouse/web, or run gatehouse dev --no-web', {
      cause,
    });
  }
}

export async function loadWebApp(): Promise<WebServerStarter> {
  try {
    const { startWebDevServer } = await import('@gatehouse/web/dev-server');
    return startWebDevServer;
  } catch (error) {
    if (isMissing(error, '@gatehouse/web')) throw new WebAppMissingError(error);
    throw error;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes(name);
}
