/**
 * Starts a server on a port and turns "address in use" into a message that names the port, the
 * service and the option that moves it — the one start-up failure a developer can fix on the spot.
 */
import { type AddressInfo, createServer, type Server } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly service: string,
    readonly option: string,
  ) {
    super(`Port ${port} (${service}) is already in use. Stop what holds it or choose another with ${option} <port>.`);
    this.name = 'PortInUseError';
  }
}

export function listen(server: Server, port: number, host: string, service: string, option: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, service, option) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Asks the OS for a free port (for a server that must know its port before it starts). */
export async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await listen(probe, 0, host, 'port probe', '--port');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Fails with `PortInUseError` when a fixed port is taken, before anything has started. */
export async function assertPortFree(port: number, host: string, service: string, option: string): Promise<void> {
  const probe = createServer();
  await listen(probe, port, host, service, option);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
