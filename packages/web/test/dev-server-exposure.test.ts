/**
 * What the web app's dev server gives a page that is not the app: nothing of the state directory
 * (the identity service's signing key, the local credential) even when it lies inside the
 * workspace, as `npm start`'s `./.gatehouse` does; no answer a cross-origin page may read; nothing
 * to a rebound domain name.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebConfig } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDevServer, type WebDevServer } from '../dev-server';

const WEB_CONFIG: WebConfig = {
  apiUrl: 'http://127.0.0.1:9/prod',
  region: 'us-east-1',
  userPoolId: 'us-east-1_Test',
  userPoolClientId: 'client',
  authFlowType: 'USER_PASSWORD_AUTH',
};
const CANARY = 'canary-private-key-material';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Inside the workspace Vite serves from, as `./.gatehouse` is for `npm start`. */
const stateDir = path.join(packageDir, `.gatehouse-exposure-${process.pid}`);

let server: WebDevServer;

beforeAll(async () => {
  mkdirSync(path.join(stateDir, '.cognito'), { recursive: true });
  writeFileSync(path.join(stateDir, '.cognito', 'signing-key.json'), JSON.stringify({ d: CANARY }));
  writeFileSync(path.join(stateDir, 'iam-credentials.json'), JSON.stringify({ secretAccessKey: CANARY }));
  server = await startWebDevServer({ host: '127.0.0.1', port: 0, webConfig: WEB_CONFIG, stateDir });
});

afterAll(async () => {
  await server?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function get(pathname: string, headers: Record<string, string> = {}) {
  const url = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: pathname, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web dev server', () => {
  it.each(['.cognito/signing-key.json', 'iam-credentials.json'])(
    'refuses the state directory’s %s under /@fs/, from a localhost page',
    async (file) => {
      // Act
      const answer = await get(`/@fs${path.join(stateDir, file)}`, { origin: 'http://localhost:8080' });

      // Assess
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain(CANARY);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('still serves the workspace’s other files under /@fs/, to its own pages', async () => {
    // Act
    const answer = await get(`/@fs${path.join(packageDir, 'package.json')}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('@gatehouse/web');
  });

  it.each(['http://localhost:8080', 'http://127.0.0.1:1', 'https://evil.example'])(
    'lets no page of %s read an answer',
    async (origin) => {
      // Act
      const page = await get('/', { origin });
      const preflight = await get('/', { origin, 'access-control-request-method': 'GET' });

      // Assess
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('answers nothing to a domain name rebound to loopback', async () => {
    // Act
    const answer = await get('/', { host: `evil.example:${new URL(server.url).port}` });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('<script');
  });
});
