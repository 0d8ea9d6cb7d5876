import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A fake's HTTP server on 127.0.0.1 (random port) that can close even with requests hanging. */
export interface LoopbackServer {
  port: number;
  /** runs `answer` after `ms` (a delayed reply), unless the server closes first */
  later(ms: number, answer: () => void): void;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    later(ms, answer) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, ms);
      timers.add(timer);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
