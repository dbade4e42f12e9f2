export { createRestHandler } from './handler.ts';
export { createOpenApiDocument, type OpenApiDocument } from './openapi.ts';
export {
  DEFAULT_PROBLEM_TYPE_BASE,
  type ProblemDetails,
  type ProblemFieldError,
  problemFromError,
  type SendProblemOptions,
  sendProblem,
} from './problem.ts';
export type {
  OpenApiDocumentOptions,
  OpenApiInfo,
  RestAccessLevel,
  RestCreateContextOptions,
  RestErrorEvent,
  RestHandler,
  RestHandlerOptions,
  RestMethod,
  RestProcedureMeta,
  RestRouteMeta,
} from './types.ts';
