/**
 * The `gatehouse` CLI as a user meets it: usage, `token` with and without a running stack, and
 * `dev` end to end — summary with a curl that works as pasted, one line per request, a busy port
 * named, a clean stop on SIGTERM (also when the SIGTERM reaches only a wrapper such as `npm start`),
 * and the one state-directory rule every command follows.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIdentity, writeLocalConfig } from '@gatehouse/local';
import { SAMPLE_CONFIG } from '@gatehouse/testing';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { colourWanted, palette } from '../src/cli/colors';
import { devCommand } from '../src/cli/dev-command';
import { functionLogLine, requestLine } from '../src/cli/dev-output';
import { main } from '../src/cli/main';
import { resolveStateDir } from '../src/cli/state-dir';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function captureIo(env: Record<string, string | undefined> = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, isTTY: false };
}

describe('gatehouse', () => {
  it('prints usage for --help and refuses an unknown command', async () => {
    const help = captureIo();
    const unknown = captureIo();
    expect(await main(['--help'], help)).toBe(0);
    expect(await main(['deploy-everything'], unknown)).toBe(2);
    expect(help.stdout.join('\n')).toContain('Usage: gatehouse <command>');
    expect(unknown.stderr.join('\n')).toContain('unknown command "deploy-everything"');
  });
});

describe('request lines', () => {
  const entry = {
    requestId: 'JKJaXmPLvHcESHA=',
    method: 'POST',
    path: '/prod/inference',
    status: 401,
    latencyMs: 3.21,
    authorizerError: 'the token has expired',
  };

  it('are coloured on a terminal unless NO_COLOR is set', () => {
    // Act
    const terminal = requestLine(entry, palette(colourWanted({ isTTY: true }, {})));
    const noColor = requestLine(entry, palette(colourWanted({ isTTY: true }, { NO_COLOR: '1' })));
    const piped = requestLine(entry, palette(colourWanted({ isTTY: false }, {})));

    // Assess
    expect(terminal).toContain('\x1b[33m401\x1b[39m');
    expect(noColor).not.toContain('\x1b[');
    expect(piped).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} 401 POST \/prod\/inference 3\.2 ms the token has expired JKJaXmPLvHcESHA=$/,
    );
  });
});

describe('function log lines', () => {
  it("pass a child's own colour codes on to a terminal only", () => {
    // cognito-local's logger colours its lines whether or not anyone reads them on a terminal.
    const line = '\x1b[32mINFO\x1b[39m: \x1b[36mCognito Local running\x1b[39m';
    expect(functionLogLine('identity', line, palette(false))).toBe('identity INFO: Cognito Local running');
    expect(functionLogLine('identity', line, palette(true))).toContain('\x1b[32mINFO');
  });
});

describe('the state directory', () => {
  it('is --state-dir, else GATEHOUSE_STATE_DIR, else ./.gatehouse, for every command alike', async () => {
    expect(resolveStateDir('/tmp/a', { GATEHOUSE_STATE_DIR: '/tmp/b' })).toBe('/tmp/a');
    expect(resolveStateDir(undefined, { GATEHOUSE_STATE_DIR: '/tmp/b' })).toBe('/tmp/b');
    expect(resolveStateDir(undefined, {})).toBe(path.resolve('.gatehouse'));
    // token follows the rule: the variable leads it to a state directory with no stack in it.
    const io = captureIo({ GATEHOUSE_STATE_DIR: path.join(scratch, 'from-env') });
    expect(await main(['token'], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain(path.join(scratch, 'from-env', 'local.json'));
  });
});

describe('gatehouse token', () => {
  it('says how to start the stack when there is no local.json', async () => {
    const io = captureIo();
    expect(await main(['token', '--state-dir', path.join(scratch, 'nowhere')], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /No local stack configuration at .*local\.json\. Start the stack first: npm start/,
    );
  });

  it('says the stack is not running when nothing answers', async () => {
    // Prepare
    const stateDir = path.join(scratch, 'stale');
    writeLocalConfig(stateDir, localConfigFor('http://127.0.0.1:9'));
    const io = captureIo();

    // Act
    const status = await main(['token', '--state-dir', stateDir], io);

    // Assess
    expect(status).toBe(1);
    expect(io.stderr.join('\n')).toContain('The local stack is not running: nothing answers at http://127.0.0.1:9');
  });

  it("prints a fresh ID token, or the admin user's access token", async () => {
    // Prepare
    const stateDir = path.join(scratch, 'live');
    const identity = await startIdentity({ port: 0, stateDir });
    writeLocalConfig(stateDir, localConfigFor(identity.endpoint));
    const demo = captureIo();
    const admin = captureIo();

    try {
      // Act
      await main(['token', '--state-dir', stateDir], demo);
      await main(['token', '--user', 'admin', '--access', '--state-dir', stateDir], admin);
    } finally {
      await identity.close();
    }

    // Assess
    expect(demo.stdout).toHaveLength(1);
    expect(decodeJwt(demo.stdout[0] as string)).toMatchObject({
      token_use: 'id',
      email: 'demo@gatehouse.local',
      iss: identity.issuer,
    });
    expect(decodeJwt(admin.stdout[0] as string)).toMatchObject({ token_use: 'access', 'cognito:groups': ['admins'] });
  });
});

describe('gatehouse dev', () => {
  it('names a busy port and the option that moves it', async () => {
    // Prepare
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    const io = captureIo();

    // Act
    const status = await main(
      [
        'dev',
        '--config',
        SAMPLE_CONFIG,
        '--gateway-port',
        String(busy),
        '--identity-port',
        '0',
        '--lambda-port',
        '0',
        '--web-port',
        '0',
        '--state-dir',
        path.join(scratch, 'busy'),
      ],
      io,
    );
    blocker.close();

    // Assess
    expect(status).toBe(1);
    expect(io.stderr.join('\n')).toContain(`Port ${busy} (gateway) is already in use`);
    expect(io.stderr.join('\n')).toContain('--gateway-port');
  });

  it.each([
    ['its own process', []],
    ['a worker thread (--node-threads)', ['--node-threads']],
  ])(
    'prints a summary whose curl works, logs each request, and stops cleanly on SIGTERM: each Node environment %s',
    async (_isolation, isolationFlags) => {
      // Prepare: the web port is busy (the developer's own app), which --no-web must not mind
      const webApp = createServer();
      await new Promise<void>((resolve) => webApp.listen(0, '127.0.0.1', resolve));
      const signals = new EventEmitter();
      const io = captureIo({ NO_COLOR: '1' });
      const args = [
        '--config',
        SAMPLE_CONFIG,
        '--port',
        '0',
        '--identity-port',
        '0',
        '--lambda-port',
        '0',
        '--web-port',
        String((webApp.address() as { port: number }).port),
        '--no-web',
        '--no-watch',
        ...isolationFlags,
      ];
      const stateDir = path.join(scratch, `dev${isolationFlags.length}`);
      const running = devCommand([...args, '--state-dir', stateDir], io, signals);
      await Promise.race([
        expect.poll(() => io.stdout.join('\n'), { timeout: 20_000, interval: 50 }).toContain('ready in'),
        running.then((code) => Promise.reject(new Error(`gatehouse dev ended early with ${code}`))),
      ]);
      const summary = io.stdout.join('\n');

      // Act: run the curl's request as printed
      const url = /curl -sS -X POST '([^']+)'/.exec(summary)?.[1] as string;
      const authorization = /-H 'authorization: ([^']+)'/.exec(summary)?.[1] as string;
      const body = /-d '([^']+)'/.exec(summary)?.[1] as string;
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
      await expect
        .poll(() => io.stdout.some((line) => /^\d\d:\d\d:\d\d\.\d{3} 200 POST \/prod\/inference /.test(line)))
        .toBe(true);
      signals.emit('SIGTERM', 'SIGTERM');
      const status = await running;
      webApp.close();

      // Assess
      expect(response.status).toBe(200);
      expect(summary).toContain('demo@gatehouse.local / Gatehouse-demo-1');
      expect(summary).toContain(`a fresh one: npx gatehouse token --state-dir '${stateDir}'`);
      expect(summary.includes('Node.js functions run as worker threads')).toBe(isolationFlags.length > 0);
      expect(summary).not.toContain('\x1b[');
      expect(status).toBe(0);
      expect(io.stdout.at(-1)).toBe('stopped.');
    },
  );
});

describe('gatehouse dev behind a wrapper', () => {
  it('stops and says "stopped." when a SIGTERM kills only its parent, as with npm start', async () => {
    // Prepare: a shell that waits for the CLI and dies of SIGTERM without passing it on, like npm's.
    const bin = fileURLToPath(new URL('../bin/gatehouse.mjs', import.meta.url));
    const args = [
      '--config',
      SAMPLE_CONFIG,
      '--port',
      '0',
      '--identity-port',
      '0',
      '--lambda-port',
      '0',
      '--web-port',
      '0',
    ];
    const wrapper = spawn(
      'sh',
      [
        '-c',
        '"$@" & wait',
        'sh',
        process.execPath,
        // The source, as the repository's npm start runs it: no build needed before the tests.
        '--conditions=@gatehouse/source',
        '--import',
        'tsx',
        bin,
        'dev',
        ...args,
        '--no-web',
        '--no-watch',
        '--state-dir',
        path.join(scratch, 'wrapped'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let output = '';
    wrapper.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const closed = new Promise<void>((resolve) => wrapper.stdout.on('close', resolve));
    await expect.poll(() => output, { timeout: 40_000, interval: 100 }).toContain('ready in');

    // Act
    wrapper.kill('SIGTERM');

    // Assess: the CLI's stdout closes only when the CLI itself has exited.
    await expect.poll(() => output, { timeout: 20_000, interval: 100 }).toContain('stopped.');
    await closed;
    expect(output).toContain('parent process exited: stopping the local stack…');
  }, 90_000);
});

function localConfigFor(endpoint: string) {
  return {
    apiUrl: 'http://127.0.0.1:9/prod',
    webUrl: 'http://127.0.0.1:5173',
    allowedOrigins: ['http://127.0.0.1:5173'],
    lambdaEndpoint: 'http://127.0.0.1:9',
    cognito: {
      endpoint,
      region: 'us-east-1',
      userPoolId: 'us-east-1_GateHouse',
      clientId: 'gatehouselocalwebclient0',
      issuer: `${endpoint}/us-east-1_GateHouse`,
    },
    demoUser: { username: 'demo@gatehouse.local', password: 'Gatehouse-demo-1' },
  };
}
