'use client';
import type { AppRouter } from '@triport/core';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/** Client components: `const trpc = useTRPC(); useQuery(trpc.catalog.product.queryOptions({ id }))`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
