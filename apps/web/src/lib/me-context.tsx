'use client';
import type { AppRouter } from '@triport/core';
import type { inferRouterOutputs } from '@trpc/server';
import { createContext, useContext } from 'react';

export type Me = inferRouterOutputs<AppRouter>['auth']['me'];

/** `auth.me` as the server saw it when rendering this page: the header is right on first paint. */
export const MeContext = createContext<Me | undefined>(undefined);

export function useInitialMe(): Me | undefined {
  return useContext(MeContext);
}
