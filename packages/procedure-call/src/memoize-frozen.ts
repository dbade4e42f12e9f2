/**
 * `render` kept per frozen object: a frozen value (see `deepFreeze`) never changes, so what is derived
 * from it (a JSON body, an ETag) is computed once for as long as the object lives. Anything else —
 * scalars, unfrozen objects — is rendered on every call.
 *
 * @example
 * const json = memoizeFrozen((value: unknown) => JSON.stringify(value));
 * res.end(json(output));
 */
export function memoizeFrozen<T>(render: (value: unknown) => T): (value: unknown) => T {
  const rendered = new WeakMap<object, T>();
  return (value) => {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return render(value);
    if (rendered.has(value)) return rendered.get(value) as T;
    const result = render(value);
    rendered.set(value, result);
    return result;
  };
}
