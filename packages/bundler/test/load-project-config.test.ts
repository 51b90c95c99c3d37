import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectConfigError } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, loadProjectConfig } from '../src/load-project-config';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('loadProjectConfig', () => {
  it('compiles a TypeScript config, resolves it, and leaves no temporary file behind', async () => {
    // Act
    const loaded = await loadProjectConfig(path.join(fixtures, 'project', 'gatehouse.config.ts'));

    // Assess
    expect(loaded.dir).toBe(path.join(fixtures, 'project'));
    expect(loaded.resolved.routes.map((r) => r.key)).toEqual(['POST /notes', 'GET /notes/{id}']);
    expect(loaded.resolved.routes[1]?.parameters).toEqual(['id']);
    expect(loaded.resolved.cores[0]).toMatchObject({ name: 'notes', runtime: 'nodejs22.x', timeoutSeconds: 10 });
    expect(readdirSync(path.join(fixtures, 'project')).filter((f) => f.endsWith('.mjs'))).toEqual([]);
  });

  it('names every bad key, its value and what is allowed', async () => {
    // Act
    const error = await loadProjectConfig(path.join(fixtures, 'broken.config.ts')).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProjectConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /routes\["POST \/notes\/"\]: is not a route key API Gateway accepts: the path must not end with "\/"/,
    );
    expect(message).toMatch(
      /cores\.notes\.runtime: "python2\.7" is not a supported runtime \(supported: nodejs20\.x, nodejs22\.x, python3\.12, python3\.13, provided\.al2023\)/,
    );
    expect(message).toMatch(/cores\.notes\.handler: must be Lambda's handler string/);
  });

  it('says how to create a config when there is none', async () => {
    // Act
    const error = await loadProjectConfig(path.join(tmpdir(), 'no-such-dir', 'gatehouse.config.ts')).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toMatch(/npx gatehouse init/);
  });

  it('reports a syntax error with its file and line, and a missing default export', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-config-'));
    writeFileSync(path.join(dir, 'bad.config.ts'), 'export default {\n  routes: {,\n};\n');
    writeFileSync(path.join(dir, 'nodefault.config.ts'), 'export const config = {};\n');

    // Act
    const syntax = await loadProjectConfig(path.join(dir, 'bad.config.ts')).catch((e: unknown) => e);
    const noDefault = await loadProjectConfig(path.join(dir, 'nodefault.config.ts')).catch((e: unknown) => e);

    // Assess
    expect((syntax as Error).message).toMatch(/Could not load .*bad\.config\.ts: .*bad\.config\.ts:2/);
    expect((noDefault as Error).message).toMatch(/has no default export/);
  });
});
