/**
 * Starts a server on a port and turns "address in use" into a message that names the port, the
 * service and the option that moves it — the one start-up failure a developer can fix on the spot.
 */
import type { Server } from 'node:net';

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
