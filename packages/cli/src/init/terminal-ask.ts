/** Questions on the terminal for `gatehouse init`, only when both ends are one (never in CI or a pipe). */
import { createInterface } from 'node:readline/promises';
import type { Ask } from './init-command';

export function terminalAsk(): Ask | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question, fallback) => {
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = (await readline.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
      return answer === '' ? fallback : answer;
    } finally {
      readline.close();
    }
  };
}
