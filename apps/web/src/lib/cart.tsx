'use client';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';

/** One cart line. Prices are for display only: the API re-prices every line at checkout. */
export interface CartLine {
  productId: number;
  name: string;
  category: string;
  priceCents: number;
  currency: string;
  quantity: number;
  /** Stock when added, to cap the quantity picker. */
  stock: number;
}

const STORAGE_KEY = 'triport.cart.v1';
/** orders.create accepts at most 100 of one product. */
export const MAX_LINE_QUANTITY = 100;
const EMPTY: CartLine[] = [];

const listeners = new Set<() => void>();
let cache: { raw: string | null; lines: CartLine[] } = { raw: null, lines: EMPTY };

function isLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.productId === 'number' &&
    typeof v.name === 'string' &&
    typeof v.priceCents === 'number' &&
    typeof v.currency === 'string' &&
    typeof v.quantity === 'number' &&
    v.quantity > 0
  );
}

function read(): CartLine[] {
  const raw = window.localStorage.getItem(STORAGE_KEY);
  if (raw === cache.raw) return cache.lines;
  let lines: CartLine[] = EMPTY;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    lines = Array.isArray(parsed)
      ? parsed.filter(isLine).map((l) => ({ ...l, category: l.category ?? '', stock: l.stock ?? MAX_LINE_QUANTITY }))
      : EMPTY;
  } catch {
    lines = EMPTY; // a corrupted entry is an empty cart, never a crash
  }
  cache = { raw, lines };
  return lines;
}

function write(lines: CartLine[]): void {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(lines));
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Other tabs: the storage event keeps every open tab's cart in sync.
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

interface CartApi {
  lines: CartLine[];
  /** False during server rendering and hydration, when localStorage is not readable yet. */
  ready: boolean;
  count: number;
  totalCents: number;
  add(line: Omit<CartLine, 'quantity'>, quantity?: number): void;
  setQuantity(productId: number, quantity: number): void;
  remove(productId: number): void;
  clear(): void;
}

const CartContext = createContext<CartApi | null>(null);

function clampQuantity(quantity: number, stock: number): number {
  return Math.max(1, Math.min(Math.floor(quantity), MAX_LINE_QUANTITY, Math.max(stock, 1)));
}

export function CartProvider({ children }: { children: ReactNode }) {
  const lines = useSyncExternalStore(subscribe, read, () => EMPTY);
  const ready = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const add = useCallback((line: Omit<CartLine, 'quantity'>, quantity = 1) => {
    const current = read();
    const existing = current.find((l) => l.productId === line.productId);
    write(
      existing
        ? current.map((l) =>
            l.productId === line.productId ? { ...l, ...line, quantity: clampQuantity(l.quantity + quantity, line.stock) } : l,
          )
        : [...current, { ...line, quantity: clampQuantity(quantity, line.stock) }],
    );
  }, []);
  const setQuantity = useCallback((productId: number, quantity: number) => {
    write(read().map((l) => (l.productId === productId ? { ...l, quantity: clampQuantity(quantity, l.stock) } : l)));
  }, []);
  const remove = useCallback((productId: number) => write(read().filter((l) => l.productId !== productId)), []);
  const clear = useCallback(() => write([]), []);
  const value = useMemo<CartApi>(
    () => ({
      lines,
      ready,
      count: lines.reduce((n, l) => n + l.quantity, 0),
      totalCents: lines.reduce((n, l) => n + l.quantity * l.priceCents, 0),
      add,
      setQuantity,
      remove,
      clear,
    }),
    [lines, ready, add, setQuantity, remove, clear],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

/** The shopper's cart, persisted in localStorage. */
export function useCart(): CartApi {
  const cart = useContext(CartContext);
  if (!cart) throw new Error('useCart needs <CartProvider>');
  return cart;
}
