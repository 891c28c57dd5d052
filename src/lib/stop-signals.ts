import type { Logger } from './logger.js';

/**
 * On SIGTERM or SIGINT (the first one only; a second signal while stopping is ignored), logs what
 * the process is finishing, runs `finish` and exits. Shared by the web server and the worker.
 */
export function stopOnSignals(logger: Logger, finishing: string, finish: () => Promise<void>): void {
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, finishing);
    await finish();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
