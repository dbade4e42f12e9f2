export { compileProcedureCall } from './compile-procedure-call.ts';
export type { ProcedureCall, ProcedureCallOptions } from './compile-procedure-call.ts';
export { deepFreeze } from './deep-freeze.ts';
export { memoizeFrozen } from './memoize-frozen.ts';
