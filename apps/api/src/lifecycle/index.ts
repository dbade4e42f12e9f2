export { applyServerTimeouts, defaultServerTimeouts, serverTimeoutsFromEnv } from './server-timeouts.ts';
export type { ServerTimeouts } from './server-timeouts.ts';
export { createGracefulShutdown } from './graceful-shutdown.ts';
export type { GracefulShutdownOptions, ShutdownResult } from './graceful-shutdown.ts';
export { installDriverCrashGuard, isPostgresWriteAfterClose, isStraySocketError } from './driver-crash-guard.ts';
export type { DriverCrashGuardOptions } from './driver-crash-guard.ts';
export { replaceableDatabase } from './replaceable-database.ts';
export type { ReplaceableDatabase } from './replaceable-database.ts';
export { DEFAULT_LINGER_MS, installLingeringClose } from './lingering-close.ts';
