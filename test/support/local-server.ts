/** A node:http server on a free loopback port, for tests of HTTP sources and registries. */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface LocalServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Drops open connections (an endless body included) and stops listening. */
  close(): Promise<void>;
}

export async function startLocalServer(handler: RequestListener): Promise<LocalServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
