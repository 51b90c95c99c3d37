/**
 * Starts the whole local stack (identity, gateway, Lambda service, web dev server) on free
 * loopback ports with a throwaway state directory, for one test file; `stop` undoes all of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthOption, WebConfig } from '@gatehouse/contract';
import { type LocalConfig, startStack, webConfig } from '@gatehouse/local';
import { startWebDevServer } from '@gatehouse/web/dev-server';
import { SAMPLE_CONFIG } from '../../scripts/bundle-lambda';

export interface TestStack {
  config: LocalConfig;
  webUrl: string;
  /** The configuration the app fetches; serve it from another origin to test CORS. */
  webConfig: WebConfig;
  /** Holds the identity emulator's store (`.cognito/`), where it keeps confirmation codes. */
  stateDir: string;
  stop(): Promise<void>;
}

/**
 * `web: false` leaves the web port to the caller (the bench serves a production build there); the
 * API allows that port's origin either way. `config` runs another project (default: the sample).
 */
export async function startTestStack(
  options: { web?: boolean; webPort?: number; auth?: AuthOption; config?: string; identityOrigins?: string[] } = {},
): Promise<TestStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'gatehouse-e2e-'));
  const stack = await startStack({
    config: options.config ?? SAMPLE_CONFIG,
    host: '127.0.0.1',
    ports: { identity: 0, gateway: 0, lambda: 0, web: options.webPort ?? 0 },
    stateDir,
    ...((options.web ?? true) ? { web: startWebDevServer } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.identityOrigins ? { identityOrigins: options.identityOrigins } : {}),
  });
  const { config } = stack;
  return {
    config,
    webUrl: config.webUrl,
    webConfig: webConfig(config, options.auth ?? stack.project.resolved.auth, stack.project.resolved),
    stateDir,
    async stop() {
      await stack.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
