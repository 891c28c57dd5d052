import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

export type GracefulClose = {
  /**
   * Stops taking connections and tells every response still to be sent to close its connection;
   * after drainMs closes the connections still idle; resolves once the last connection has
   * closed (or, past the grace period, after cutting what is left).
   */
  close(graceMs: number, drainMs?: number): Promise<void>;
};

/**
 * Makes a server able to stop promptly under keep-alive load. server.close() alone stops new
 * connections but keeps serving the open ones: a browser or a proxy that reuses its connection
 * is served until the grace period ends and its requests in flight are cut. Here, once closing,
 * each response carries `Connection: close`, so every connection ends with its current request.
 * Idle connections are closed only after a short drain: a client that is using its connection
 * has a request on its way at almost any moment, and closing under it would reset that request;
 * within the drain such a connection ends with a response instead, and what is still idle after
 * it is idle indeed. Node's http server.close() closes idle connections at once, so the
 * listening socket is closed with net.Server's close, which leaves them be.
 */
export function prepareGracefulClose(server: Server): GracefulClose {
  const unsent = new Set<ServerResponse>();
  let isClosing = false;
  // Before the app's own listener: a response may be sent before this listener would otherwise run.
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (isClosing) return void response.setHeader('Connection', 'close');
    unsent.add(response);
    response.once('close', () => unsent.delete(response));
  });
  return {
    close(graceMs, drainMs = 500) {
      isClosing = true;
      for (const response of unsent) if (!response.headersSent) response.setHeader('Connection', 'close');
      return new Promise((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        cut.unref();
        NetServer.prototype.close.call(server, () => {
          clearTimeout(cut);
          resolve();
        });
        setTimeout(() => server.closeIdleConnections(), Math.min(drainMs, graceMs)).unref();
      });
    },
  };
}
