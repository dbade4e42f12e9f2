import { describe, expect, it } from 'vitest';
import { isPostgresWriteAfterClose, isStraySocketError } from './driver-crash-guard.ts';

/**
 * The driver fault itself is a race inside postgres.js (e2e/chaos/postgres-loss.test.ts provokes it
 * with real terminated backends); here only the recogniser is checked, on errors carrying the exact
 * stack shape Node prints for it.
 */
function typeError(message: string, firstFrame: string): TypeError {
  const error = new TypeError(message);
  error.stack = `TypeError: ${message}\n    ${firstFrame}\n    at process.processImmediate (node:internal/timers:483:21)`;
  return error;
}

describe('isPostgresWriteAfterClose', () => {
  it('matches only the null-socket write inside postgres.js', () => {
    const frame = 'at Immediate.nextWrite (/work/main/node_modules/postgres/src/connection.js:255:22)';
    expect(isPostgresWriteAfterClose(typeError("Cannot read properties of null (reading 'write')", frame))).toBe(true);
    expect(isPostgresWriteAfterClose(typeError("Cannot read properties of null (reading 'end')", frame))).toBe(false);
    expect(isPostgresWriteAfterClose(typeError("Cannot read properties of null (reading 'write')", 'at nextWrite (/app/src/mine.js:1:1)'))).toBe(false);
    expect(isPostgresWriteAfterClose(new Error("Cannot read properties of null (reading 'write')"))).toBe(false);
    expect(isPostgresWriteAfterClose("Cannot read properties of null (reading 'write')")).toBe(false);
  });
});

describe('isStraySocketError', () => {
  it('matches a reset or broken pipe on a socket read/write only', () => {
    const error = (code: string, syscall?: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
    expect(isStraySocketError(error('ECONNRESET', 'read'))).toBe(true);
    expect(isStraySocketError(error('EPIPE', 'write'))).toBe(true);
    expect(isStraySocketError(error('ECONNRESET'))).toBe(false);
    expect(isStraySocketError(error('EADDRINUSE', 'listen'))).toBe(false);
    expect(isStraySocketError(new TypeError('x'))).toBe(false);
  });
});
