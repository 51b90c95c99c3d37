/**
 * Raw TCP exchanges with the gateway, for the size-limit tests that must control every byte of the
 * request head or stream a body the server may refuse half way.
 */
import net from 'node:net';

export interface RawExchange {
  status: number;
  head: string;
  body: string;
  /** Body bytes the client managed to write before the server answered or closed. */
  written: number;
}

/**
 * Writes `head`, then `bodyChunks` one by one (stopping once the server has answered), and reads
 * until the server closes. Bounded by `timeoutMs`.
 */
export function rawExchange(
  port: number,
  head: string,
  bodyChunks: Iterable<Buffer> = [],
  timeoutMs = 10_000,
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let written = 0;
    let answered = false;
    let bodyStarted = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (!answered && bodyStarted) socket.end();
      answered = true;
      received.push(chunk);
    });
    socket.on('error', () => {
      // The server may reset a connection whose body it refused; what it answered is already read.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const [responseHead = '', body = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(responseHead)?.[1] ?? 0),
        head: responseHead,
        body,
        written,
      });
    });
    socket.on('connect', async () => {
      socket.write(head);
      bodyStarted = true;
      for (const chunk of bodyChunks) {
        if (answered || socket.destroyed) break;
        const ok = socket.write(chunk);
        written += chunk.length;
        if (!ok) await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}
