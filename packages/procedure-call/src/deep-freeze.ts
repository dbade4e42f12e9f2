/**
 * Freezes a value and everything reachable from it. A procedure that returns a frozen value (a shared,
 * cached one) promises it never changes: {@link compileProcedureCall} then validates its output once,
 * and adapters may reuse what they derived from it (REST's body and ETag). Run it once when the value
 * is made (a cache fill), never per call.
 *
 * @example
 * const value = deepFreeze(await loader());
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // A typed array with elements cannot be frozen (TypeError); it stays as it is.
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else if (!(value instanceof Date)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
