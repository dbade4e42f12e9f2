export { appRouter, createCaller } from './router.ts';
export { adminProcedure, publicProcedure, userProcedure } from './procedures.ts';
export type { AppRouter } from './router.ts';
export { internalContext } from './context.ts';
export type { ApiStyle, Context, Plan, Principal, Role, Services, Timing } from './context.ts';
export { appError, errorCodes, vocabularyOf } from './errors.ts';
export type { AppErrorCode } from './errors.ts';
export type { AccessLevel, HttpMethod, ProcedureMeta, RestRouteMeta, SoapOperationMeta } from './meta.ts';
export type { Product } from './catalog/schemas.ts';
