import { catalogRouter } from './catalog/router.ts';
import { createCallerFactory, router } from './trpc.ts';

/** Every procedure of Triport; the adapters expose it as tRPC, REST and SOAP. */
export const appRouter = router({
  catalog: catalogRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
