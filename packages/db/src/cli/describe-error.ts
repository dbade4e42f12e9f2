/** One line for humans: the error's message plus its causes (drizzle wraps driver errors as "Failed query: ..."). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.message.split('\n')[0]}${typeof code === 'string' ? ` (${code})` : ''}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ');
}
