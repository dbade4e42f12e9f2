import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { SoapFieldIssue, SoapVersion } from '../types.ts';

/** SOAP-level fault kinds that are not plain Client/Server faults. */
export type SoapFaultKind = 'VersionMismatch' | 'MustUnderstand';

/** A header block the receiver did not understand (for the SOAP 1.2 `NotUnderstood` header). */
export interface NotUnderstoodHeader {
  ns: string;
  local: string;
}

/**
 * An error raised by the adapter itself (protocol, parsing, decoding). It carries a tRPC code so
 * the same fault table applies, plus optional SOAP-specific fault kind and field issues.
 */
export class SoapProtocolError extends Error {
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly kind: SoapFaultKind | undefined;
  readonly issues: SoapFieldIssue[];
  readonly notUnderstood: NotUnderstoodHeader[];
  /** Answer in this SOAP version whatever the request's content type said. */
  readonly respondAs: SoapVersion | undefined;

  constructor(
    code: TRPC_ERROR_CODE_KEY,
    message: string,
    extra: {
      kind?: SoapFaultKind;
      issues?: SoapFieldIssue[];
      notUnderstood?: NotUnderstoodHeader[];
      respondAs?: SoapVersion;
    } = {},
  ) {
    super(message);
    this.name = 'SoapProtocolError';
    this.code = code;
    this.kind = extra.kind;
    this.issues = extra.issues ?? [];
    this.notUnderstood = extra.notUnderstood ?? [];
    this.respondAs = extra.respondAs;
  }
}

/** What a fault says, after everything internal has been removed. */
export interface PublicFault {
  code: TRPC_ERROR_CODE_KEY;
  message: string;
  kind: SoapFaultKind | undefined;
  issues: SoapFieldIssue[];
  notUnderstood: NotUnderstoodHeader[];
}

const GENERIC_INTERNAL = 'Internal server error';

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message?: unknown;
}

function issuesOf(cause: unknown): SoapFieldIssue[] {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return [];
  const raw = (cause as { issues: unknown }).issues;
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, 100).map((item: IssueLike) => ({
    path: (item.path ?? [])
      .map((seg) => (typeof seg === 'object' && seg !== null ? String(seg.key) : String(seg)))
      .join('.'),
    message: typeof item.message === 'string' ? item.message : 'Invalid value',
  }));
}

/**
 * Turns anything thrown into what may be shown to a client: tRPC code, safe message, field issues.
 * Non-TRPCErrors and INTERNAL_SERVER_ERROR become a generic message (no stack, no cause text).
 */
export function toPublicFault(error: unknown): PublicFault {
  if (error instanceof SoapProtocolError) {
    return {
      code: error.code,
      message: error.message,
      kind: error.kind,
      issues: error.issues,
      notUnderstood: error.notUnderstood,
    };
  }
  if (error instanceof TRPCError) {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      return { code: error.code, message: GENERIC_INTERNAL, kind: undefined, issues: [], notUnderstood: [] };
    }
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : [];
    // A validation failure's message is the serialized issue list: replace it with a sentence.
    const message = issues.length > 0 ? 'Input validation failed' : error.message;
    return { code: error.code, message, kind: undefined, issues, notUnderstood: [] };
  }
  return { code: 'INTERNAL_SERVER_ERROR', message: GENERIC_INTERNAL, kind: undefined, issues: [], notUnderstood: [] };
}
