/**
 * A Python core's requirements.txt, locally and with no network: pip installs from a wheelhouse
 * the test builds (PIP_FIND_LINKS + PIP_NO_INDEX) into one environment per requirements file under
 * the state directory, reused while the file is unchanged and made anew when it changes; a failed
 * install names the requirement and leaves the other cores answering.
 */
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedCore } from '@gatehouse/contract';
import { buildWheelhouse } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaService, type LocalFunctionDefinition, startLambdaService } from '../src/lambda';
import { type CoreDependencies, prepareCoreDependencies } from '../src/stack/core-dependencies';
import { watchRequirements } from '../src/stack/requirements-watch';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-python-deps-'));
const stateDir = path.join(scratch, 'state');
const project = path.join(scratch, 'project');
const PIP_VARIABLES = ['PIP_FIND_LINKS', 'PIP_NO_INDEX', 'GATEHOUSE_PYTHON'] as const;
const saved = Object.fromEntries(PIP_VARIABLES.map((name) => [name, process.env[name]]));
let service: LambdaService | undefined;

beforeAll(() => {
  process.env.PIP_FIND_LINKS = buildWheelhouse(path.join(scratch, 'wheelhouse'), [{ name: 'tinypkg' }]);
  process.env.PIP_NO_INDEX = '1';
  delete process.env.GATEHOUSE_PYTHON;
  for (const core of ['ask', 'other', 'broken']) {
    cpSync(fileURLToPath(new URL('./fixtures/python-deps/', import.meta.url)), path.join(project, core), {
      recursive: true,
    });
  }
  writeFileSync(path.join(project, 'ask', 'requirements.txt'), 'tinypkg==1.0.0\n');
  writeFileSync(path.join(project, 'other', 'requirements.txt'), 'tinypkg==1.0.0\n');
  writeFileSync(path.join(project, 'broken', 'requirements.txt'), 'tinypkg==1.0.0\nnot-in-the-wheelhouse==2.0\n');
});

afterAll(async () => {
  await service?.close();
  for (const name of PIP_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const pythonCore = (name: string): ResolvedCore => ({
  name,
  runtime: 'python3.12',
  code: name,
  handler: 'handler.handler',
  timeoutSeconds: 10,
  memoryMb: 256,
  environment: {},
  existing: undefined,
  remote: undefined,
  credentials: { kind: 'developer' },
  permissions: [],
  architecture: 'arm64',
});

async function prepare(names: string[], lines: string[] = []) {
  return prepareCoreDependencies(names.map(pythonCore), project, stateDir, (core, line) =>
    lines.push(`${core}: ${line}`),
  );
}

describe('a Python core with requirements.txt, locally', () => {
  it('answers with the package installed from the wheelhouse; a failed install names the requirement and spares the others', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const prepared = await prepare(['ask', 'other', 'broken'], lines);
    const functions: LocalFunctionDefinition[] = ['ask', 'broken'].map((name) => ({
      name,
      runtime: 'python3.12',
      codeDir: path.join(project, name),
      handler: 'handler.handler',
      timeoutSeconds: 10,
      memoryMb: 256,
      ...prepared.get(name),
    }));
    service = await startLambdaService({
      port: 0,
      functions,
      reloadOnChange: false,
      credential: testCredential,
    });
    const ask = await signedInvoke(service.url, 'ask', '{}');
    const broken = await signedInvoke(service.url, 'broken', '{}');

    // Assess
    const answer = (await ask.json()) as { tag: string; prefix: string };
    expect(answer.tag).toBe('py3-none-any');
    expect(answer.prefix.startsWith(path.join(stateDir, 'python'))).toBe(true);
    expect(prepared.get('other')).toEqual(prepared.get('ask'));
    expect(broken.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(await broken.json()).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: expect.stringMatching(
        /^pip could not install "not-in-the-wheelhouse==2\.0" from .*requirements\.txt/,
      ),
    });
    expect(lines.filter((l) => l.startsWith('broken: pip could not install'))).toHaveLength(1);
  }, 120_000);

  it('reuses an environment while its file is unchanged, and makes a new one when it changes', async () => {
    // Prepare
    const first = await prepare(['ask']);
    const reuseLines: string[] = [];

    // Act
    const again = await prepare(['ask'], reuseLines);
    writeFileSync(path.join(project, 'ask', 'requirements.txt'), 'tinypkg>=1.0\n');
    const changed = await prepare(['ask']);

    // Assess
    expect(again.get('ask')).toEqual(first.get('ask'));
    expect(reuseLines).toEqual([]);
    expect(changed.get('ask')).not.toEqual(first.get('ask'));
    // The broken file's environment was removed when its install failed.
    expect(readdirSync(path.join(stateDir, 'python'))).toHaveLength(2);
  }, 120_000);

  it('with watching on, a saved requirements.txt gets its environment and the core is registered again', async () => {
    // Prepare: the file's first content, whose environment exists from the first test
    const original = await prepare(['other']);
    writeFileSync(path.join(project, 'other', 'requirements.txt'), 'tinypkg>=1.0\n');
    const changes: Array<CoreDependencies | undefined> = [];
    const lines: string[] = [];
    const stop = watchRequirements({
      cores: [pythonCore('other')],
      projectDir: project,
      stateDir,
      onChange: (_core, dependencies) => changes.push(dependencies),
      log: (core, line) => lines.push(`${core}: ${line}`),
    });

    // Act: saved back to the first content
    try {
      writeFileSync(path.join(project, 'other', 'requirements.txt'), 'tinypkg==1.0.0\n');
      for (let waited = 0; changes.length === 0 && waited < 20_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      stop();
    }

    // Assess
    expect(changes).toEqual([original.get('other')]);
    expect(lines).toContain('other: requirements.txt changed: installing it before the next invocation');
  }, 30_000);
});
