import type { Server, ServerResponse } from 'node:http';

export type GracefulClose = {
  /**
   * Stops taking connections, closes the idle ones, tells every response still to be sent to
   * close its connection, and resolves once the last connection has closed (or, past the
   * grace period, after cutting what is left).
   */
  close(graceMs: number): Promise<void>;
};

/**
 * Makes a server able to stop promptly under keep-alive load. server.close() alone stops new
 * connections but keeps serving the open ones: a browser or a proxy that reuses its connection
 * is served until the grace period ends and its requests in flight are cut. Here, once closing,
 * each response carries `Connection: close`, so every connection ends with its current request.
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
    close(graceMs) {
      isClosing = true;
      for (const response of unsent) if (!response.headersSent) response.setHeader('Connection', 'close');
      return new Promise((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
