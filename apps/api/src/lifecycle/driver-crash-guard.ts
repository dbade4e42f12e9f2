/**
 * postgres.js 3.4.9 can throw from a `setImmediate` when a connection closes while a small write is
 * buffered (`nextWrite` → `socket.write` on a null socket; upstream porsager/postgres#1154, #1208,
 * fix proposed in #1176/#1209). The throw escapes every `await`, so Node would kill the process and,
 * with it, every in-flight request — one terminated backend would become an outage. By then the
 * driver has already failed the affected query (CONNECTION_CLOSED → 503 for that request), so the
 * write it drops is moot. This guard recognises exactly that exception (and a socket error left
 * without a listener, below) and keeps the process alive; every other uncaught exception still ends
 * the process as Node would.
 */

/**
 * True for the postgres.js null-socket write and nothing else.
 *
 * @example
 * isPostgresWriteAfterClose(new TypeError("Cannot read properties of null (reading 'write')")); // false without the driver frame
 */
export function isPostgresWriteAfterClose(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  const firstFrame = stack.split('\n').find((line) => line.trimStart().startsWith('at ')) ?? '';
  return /\(reading 'write'\)|evaluating 'socket\.write'/.test(error.message) && /nextWrite/.test(firstFrame) && /postgres[\\/]src[\\/]connection\.js/.test(firstFrame);
}

/**
 * A socket error that reached the process because its socket had no 'error' listener any more:
 * postgres.js removes all listeners from a socket it considers closed, and a late `ECONNRESET`
 * from a terminated backend then surfaces here (seen in e2e/chaos/postgres-loss). The socket is
 * already destroyed; nothing else in the process is affected.
 *
 * @example
 * isStraySocketError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' })); // true
 */
export function isStraySocketError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return (code === 'ECONNRESET' || code === 'EPIPE') && (syscall === 'read' || syscall === 'write');
}

export interface DriverCrashGuardOptions {
  /** Called for each swallowed driver exception (log it; count it). */
  onSwallowed(error: Error): void;
  /** Called for any other uncaught exception; must end the process. */
  onFatal(error: unknown): never;
}

/**
 * Installs the `uncaughtException` handler; returns a function that removes it.
 *
 * @example
 * installDriverCrashGuard({ onSwallowed: (e) => log.warn(e), onFatal: (e) => { log.fatal(e); process.exit(1); } });
 */
export function installDriverCrashGuard(options: DriverCrashGuardOptions): () => void {
  const handler = (error: Error) => {
    if (isPostgresWriteAfterClose(error) || isStraySocketError(error)) options.onSwallowed(error);
    else options.onFatal(error);
  };
  process.on('uncaughtException', handler);
  return () => process.off('uncaughtException', handler);
}
