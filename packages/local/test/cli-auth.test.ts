/**
 * `gatehouse dev --auth …` as a user meets it: the flags refused when they cannot mean anything
 * (a public stack without the acknowledgement above all), and in iam and api-key modes a summary
 * whose commands work as pasted — the curl with `--aws-sigv4` run by the real curl.
 */
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { devCommand } from '../src/cli/dev-command';
import { main } from '../src/cli/main';
import { keysCommand } from '../src/keys';
import { SAMPLE_CONFIG } from './helpers/sample-project';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-auth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PORTS = [
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

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: { NO_COLOR: '1' },
    isTTY: false,
  };
}

/** Runs `gatehouse dev` with these flags until its summary is out, hands it over, then stops it. */
async function withDev(flags: string[], use: (summary: string) => Promise<void>): Promise<void> {
  const signals = new EventEmitter();
  const io = captureIo();
  const stateDir = mkdtempSync(path.join(scratch, 'dev-'));
  const running = devCommand([...PORTS, '--no-web', '--no-watch', '--state-dir', stateDir, ...flags], io, signals);
  try {
    await Promise.race([
      expect.poll(() => io.stdout.join('\n'), { timeout: 20_000, interval: 50 }).toContain('ready in'),
      running.then((code) => Promise.reject(new Error(`gatehouse dev ended early with ${code}`))),
    ]);
    await use(io.stdout.join('\n'));
  } finally {
    signals.emit('SIGTERM', 'SIGTERM');
    await running;
  }
}

describe('gatehouse dev auth flags', () => {
  it.each([
    [['--auth', 'none'], /--i-understand-this-is-public/],
    [['--auth', 'open'], /--auth must be one of cognito, lambda, iam, none/],
    [['--authorizer', 'api-key'], /only apply with --auth lambda/],
    [['--auth', 'lambda', '--authorizer', 'jwt'], /--authorizer must be email-allowlist or api-key/],
    [['--auth', 'iam', '--i-understand-this-is-public'], /only applies with --auth none/],
  ])('refuses %j with a usage error before starting anything', async (flags, message) => {
    // Prepare
    const io = captureIo();
    // Act
    const status = await main(['dev', ...PORTS, '--state-dir', path.join(scratch, 'never'), ...flags], io);
    // Assess
    expect(status).toBe(2);
    expect(io.stderr.join('\n')).toMatch(message);
    expect(io.stdout).toEqual([]);
  });
});

describe('gatehouse dev summary', () => {
  it('in iam mode prints a curl --aws-sigv4 that the real curl runs successfully', async () => {
    await withDev(['--auth', 'iam'], async (summary) => {
      // Prepare
      const url = /curl -sS -X POST '([^']+)'/.exec(summary)?.[1] as string;
      const sigv4 = /--aws-sigv4 '([^']+)'/.exec(summary)?.[1] as string;
      const user = /--user '([^']+)'/.exec(summary)?.[1] as string;
      const body = /-d '([^']+)'/.exec(summary)?.[1] as string;
      const curl = (credentials: string) =>
        promisify(execFile)(
          'curl',
          [
            '-sS',
            '-o',
            '/dev/null',
            '-w',
            '%{http_code}',
            '-X',
            'POST',
            url,
            '-H',
            'content-type: application/json',
          ].concat(['--aws-sigv4', sigv4, '--user', credentials, '-d', body]),
          { timeout: 10_000 },
        );
      // Act
      const signed = await curl(user);
      const wrongSecret = await curl(`${user.split(':')[0]}:not-the-secret`);
      // Assess
      expect(sigv4).toMatch(/^aws:amz:[a-z0-9-]+:execute-api$/);
      expect(signed.stdout).toBe('200');
      expect(wrongSecret.stdout).toBe('403');
    });
  });

  it('in api-key mode prints the keys command and a curl that work as pasted', async () => {
    await withDev(['--auth', 'lambda', '--authorizer', 'api-key'], async (summary) => {
      // Prepare: the command inside KEY=$(…), without the leading npx gatehouse keys
      const command = /KEY=\$\(npx gatehouse keys (.+)\)$/m.exec(summary)?.[1] as string;
      const argv = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? (m[2] as string));
      const printed: string[] = [];
      expect(await keysCommand(argv, { out: (l) => printed.push(l), err: () => {}, env: {} })).toBe(0);
      const url = /curl -sS -X POST '([^']+)'/.exec(summary)?.[1] as string;
      const body = /-d '([^']+)'/.exec(summary)?.[1] as string;
      // Act
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': printed[0] as string },
        body,
      });
      // Assess
      expect(summary).toContain('-H "x-api-key: $KEY"');
      expect(response.status).toBe(200);
    });
  });
});
