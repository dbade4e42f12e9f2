import { accountProcedures } from './account/router.ts';
import { adminRouter } from './admin/router.ts';
import { apiKeysRouter, authRouter } from './auth/router.ts';
import { catalogRouter } from './catalog/router.ts';
import { ordersRouter } from './orders/router.ts';
import { createCallerFactory, router } from './trpc.ts';

/** Every procedure of Triport; the adapters expose it as tRPC, REST and SOAP. */
export const appRouter = router({
  catalog: catalogRouter,
  auth: authRouter,
  account: router({ ...accountProcedures, apiKeys: apiKeysRouter }),
  orders: ordersRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
