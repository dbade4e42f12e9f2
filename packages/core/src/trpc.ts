import { initTRPC } from '@trpc/server';
import type { Context } from './context.ts';
import type { ProcedureMeta } from './meta.ts';

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Clients see the code, the message and the request id; zod issues for validation errors; never a stack.
    errorFormatter({ shape, error, ctx }) {
      const issues =
        error.code === 'BAD_REQUEST' && error.cause && 'issues' in error.cause && Array.isArray(error.cause.issues)
          ? (error.cause.issues as Array<{ path?: PropertyKey[]; message: string }>).map((i) => ({
              path: (i.path ?? []).map(String).join('.'),
              message: i.message,
            }))
          : undefined;
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        code: shape.code,
        // zod's message is a JSON dump of the issues; clients get a sentence and the issues as data.
        message: internal ? 'Internal server error' : issues ? 'Invalid input' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId: ctx?.requestId,
          ...(issues ? { issues } : {}),
        },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
/** The bare procedure builder; use the ones in procedures.ts, which carry the gateway's middleware. */
export const baseProcedure = t.procedure;
