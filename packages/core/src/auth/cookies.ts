/**
 * Session cookie names. `__Host-` requires `Secure`, `Path=/` and no `Domain`; browsers drop such a
 * cookie over plain HTTP, so local development uses the plain name.
 */
export const SESSION_COOKIE_SECURE = '__Host-tp_session';
export const SESSION_COOKIE_PLAIN = 'tp_session';

/**
 * The `Set-Cookie` value carrying a session token (`maxAgeSeconds: 0` clears it).
 *
 * @example
 * ctx.setHeader('Set-Cookie', sessionCookie(token, 604800, true));
 */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const name = secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
  return `${name}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` values that delete the session cookie under both names. */
export function clearSessionCookies(secure: boolean): string[] {
  const plain = `${SESSION_COOKIE_PLAIN}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
  return secure ? [plain, `${SESSION_COOKIE_SECURE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`] : [plain];
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The session token from a `Cookie` header (either name), or undefined. Only well-formed tokens are
 * returned, so garbage never reaches the database.
 *
 * @example
 * readSessionToken(req.headers.cookie);
 */
export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader?.includes('tp_session=')) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name !== SESSION_COOKIE_SECURE && name !== SESSION_COOKIE_PLAIN) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN.test(value)) return value;
  }
  return undefined;
}
