/**
 * The whole local stack started for the attack, CORS, fuzz and soak suites, with what they need to
 * judge an answer: the gateway's port, the edge's log lines by request id (the "logged cause" of a
 * 5xx), the gateway's request log, the key the identity emulator signs with, and a signed-in ID
 * token for requests meant to reach the core.
 */

import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GatewayLogEntry, type RunningStack, type StackOptions, signIn, startStack } from '@gatehouse/local';
import { emulatorKey, emulatorKid } from './emulator-tokens';
import { SAMPLE_CONFIG } from './sample-project';

/** One JSON line the edge wrote (its request line, or any other). */
export type EdgeLogLine = Record<string, unknown> & { requestId?: string; level?: string };

export interface AttackStack {
  stack: RunningStack;
  gatewayPort: number;
  /** The allowed web origin the stack was started with. */
  webOrigin: string;
  idToken: string;
  /** The identity emulator's signing key and kid (the local issuer's key). */
  issuerKey: KeyObject;
  issuerKid: string;
  /** The edge's log lines for one request id. */
  edgeLog(requestId: string): EdgeLogLine[];
  /** The gateway's log entry for one request id. */
  gatewayEntry(requestId: string): GatewayLogEntry | undefined;
  /** Every line any function wrote that was not JSON (crash traces, runtime errors). */
  otherLines(): string[];
  stop(): Promise<void>;
}

/** The sample project's edge function, as the stack names it. */
const EDGE_PREFIX = 'gatehouse-edge ';

/**
 * `keepLogs: false` keeps no log lines (the soak bench, whose own memory is one of its figures);
 * `edgeLog`, `gatewayEntry` and `otherLines` then find nothing.
 */
export async function startAttackStack(
  options: Omit<StackOptions, 'stateDir' | 'config'> = {},
  { keepLogs = true }: { keepLogs?: boolean } = {},
): Promise<AttackStack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-attack-'));
  const edgeLines = new Map<string, EdgeLogLine[]>();
  const gatewayEntries = new Map<string, GatewayLogEntry>();
  const other: string[] = [];
  let stack: RunningStack;
  try {
    stack = await startStack({
      config: SAMPLE_CONFIG,
      ...options,
      stateDir,
      onLog: (source, line) => {
        options.onLog?.(source, line);
        if (source !== 'lambda' || !keepLogs) return;
        const parsed = line.startsWith(EDGE_PREFIX) ? parseJson(line.slice(EDGE_PREFIX.length)) : undefined;
        if (parsed?.requestId === undefined) {
          other.push(line);
          return;
        }
        const lines = edgeLines.get(parsed.requestId) ?? [];
        lines.push(parsed);
        edgeLines.set(parsed.requestId, lines);
      },
      onRequest: (entry) => {
        options.onRequest?.(entry);
        if (keepLogs) gatewayEntries.set(entry.requestId, entry);
      },
    });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const { cognito, demoUser } = stack.config;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  return {
    stack,
    gatewayPort: Number(new URL(stack.config.apiUrl).port),
    webOrigin: stack.config.webUrl,
    idToken: IdToken,
    issuerKey: emulatorKey(stateDir).key,
    issuerKid: await emulatorKid(stateDir),
    edgeLog: (requestId) => edgeLines.get(requestId) ?? [],
    gatewayEntry: (requestId) => gatewayEntries.get(requestId),
    otherLines: () => [...other],
    stop: async () => {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function parseJson(text: string): EdgeLogLine | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as EdgeLogLine) : undefined;
  } catch {
    return undefined;
  }
}
