/**
 * A TCP proxy on loopback, for losing a server on purpose: the app connects to the proxy, the proxy
 * pipes every connection to the real server. `cut()` drops every open connection and stops
 * listening (new connections are refused, as when a database host goes away); `restore()` listens on
 * the same port again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** Connections accepted so far (each is one connection to the target). */
  accepted(): number;
  /** Drops every open connection (both sides) and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts and forwards connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Starts a proxy from a free loopback port to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      // A cut or a reset ends both sides; the error itself is expected here.
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await listen(server, 0);
  let listening = true;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });
  return {
    port,
    accepted: () => accepted,
    async cut() {
      const closed = stopListening();
      for (const s of open) s.destroy();
      await closed;
    },
    async restore() {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    async close() {
      const closed = stopListening();
      for (const s of open) s.destroy();
      await closed;
    },
  };
}
