import { TRPCError } from '@trpc/server';

/**
 * The one error vocabulary (ARCHITECTURE.md). Procedures throw these; each adapter maps the tRPC code
 * to its own wire format (tRPC JSON, RFC 9457 problem+json, SOAP fault).
 */
export const errorCodes = {
  VALIDATION: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, TRPCError['code']>;

export type AppErrorCode = keyof typeof errorCodes;

/**
 * Builds the TRPCError for a vocabulary code. The message is shown to clients: keep it free of internals.
 *
 * @example
 * throw appError('NOT_FOUND', `No product with id ${id}`);
 */
export function appError(code: AppErrorCode, message: string, cause?: unknown): TRPCError {
  return new TRPCError({ code: errorCodes[code], message, cause });
}

/** Inverse lookup, for logs and metrics. */
export function vocabularyOf(code: TRPCError['code']): AppErrorCode {
  for (const [name, trpc] of Object.entries(errorCodes)) if (trpc === code) return name as AppErrorCode;
  return code === 'PARSE_ERROR' || code === 'UNPROCESSABLE_CONTENT' ? 'VALIDATION' : 'INTERNAL';
}
