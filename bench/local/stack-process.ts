/**
 * Starts bench/local/stack-server.ts (the sample's local stack in its own process) and reads where
 * it is; `cpuMs()` is the CPU time of that process and every process under it (the execution
 * environments), from `/proc`, so a bench can say what a request costs the whole stack.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface FunctionCode {
  codeDir: string;
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface StackDescription {
  apiUrl: string;
  cognito: { endpoint: string; clientId: string; issuer: string };
  demoUser: { username: string; password: string };
  edge: FunctionCode;
  core: FunctionCode;
}

export interface StackProcess extends StackDescription {
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * `nodeThreads`: the stack runs its Node.js execution environments as worker threads of its own
 * process (`nodeIsolation: 'thread'`), so their CPU is the stack process's.
 */
export async function startStackProcess(
  stateDir: string,
  options: { nodeThreads?: boolean } = {},
): Promise<StackProcess> {
  const server = fileURLToPath(new URL('./stack-server.ts', import.meta.url));
  const args = ['--conditions=@gatehouse/source', '--import', 'tsx', server, stateDir];
  const child = spawn(process.execPath, options.nodeThreads ? [...args, '--node-threads'] : args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const description = await firstLine(child);
  return {
    ...description,
    pid: child.pid as number,
    stop: () => stopProcess(child),
  };
}

function firstLine(child: ChildProcess): Promise<StackDescription> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the stack was not ready within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      child.stdout?.resume();
      resolve(JSON.parse(line) as StackDescription);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack process exited (${code}) before it was ready`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system, ms) of one process. Linux only. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (user + system, ms) of `root` and all its live descendants. Linux only. */
export function treeCpuMs(root: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      // utime and stime, in clock ticks of 10 ms (USER_HZ 100).
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // gone between the listing and the read
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at)) {
      if (at === root) {
        total += ms;
        break;
      }
    }
  }
  return total;
}
