import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The module the app imports, as the dev server serves it to the browser. */
async function projectModule(server: WebDevServer): Promise<string> {
  const response = await fetch(`${server.url}/@id/__x00__virtual:gatehouse-project`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('virtual:gatehouse-project', () => {
  let dir: string;
  const servers: WebDevServer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-project-'));
    await writeFile(join(dir, 'panel.tsx'), 'export default function Panel() { return null; }\n');
    await writeFile(
      join(dir, 'with-panel.config.ts'),
      "export default { routes: {}, cores: {}, web: { panel: './panel.tsx' } };\n",
    );
    await writeFile(join(dir, 'without-panel.config.ts'), 'export default { routes: {}, cores: {} };\n');
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("bundles the routes' projection, never the config, and lazily the panel its web.panel names, relative to the config's folder", async () => {
    // Prepare
    const configFile = join(dir, 'with-panel.config.ts');
    const server = await startWebDevServer({
      host: '127.0.0.1',
      port: 0,
      webConfig: WEB_CONFIG,
      projectConfigFile: configFile,
    });
    servers.push(server);

    // Act
    const code = await projectModule(server);

    // Assess
    expect(code).not.toContain('with-panel.config.ts');
    expect(code).toMatch(/projectRoutes = \{\}/);
    expect(code).toMatch(/lazy\(\(\) => import\(".*panel\.tsx"\)\)/);
  });

  it('has no panel when the config names none, and neither config nor panel without a config', async () => {
    // Prepare
    const withConfig = await startWebDevServer({
      host: '127.0.0.1',
      port: 0,
      webConfig: WEB_CONFIG,
      projectConfigFile: join(dir, 'without-panel.config.ts'),
    });
    const bare = await startWebDevServer({ host: '127.0.0.1', port: 0, webConfig: WEB_CONFIG });
    servers.push(withConfig, bare);

    // Act
    const configured = await projectModule(withConfig);
    const alone = await projectModule(bare);

    // Assess
    expect(configured).not.toContain('without-panel.config.ts');
    expect(configured).toMatch(/projectRoutes = \{\}/);
    expect(configured).toMatch(/ProjectPanel = (undefined|void 0)/);
    expect(alone).toMatch(/projectRoutes = (undefined|void 0)/);
  });

  it('refuses a config file that does not exist, naming it', async () => {
    await expect(
      startWebDevServer({ host: '127.0.0.1', port: 0, webConfig: WEB_CONFIG, projectConfigFile: join(dir, 'nope.ts') }),
    ).rejects.toThrow(/nope\.ts does not exist/);
  });
});
