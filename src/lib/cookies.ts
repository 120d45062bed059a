/** Parses a Cookie header into name → value (the first of duplicate names wins; values are URI-decoded when they can be). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

/** Attributes of a Set-Cookie line. */
export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  /** Seconds until it expires; 0 deletes it. */
  maxAge: number;
}

/** One Set-Cookie value: `name=value; Path=/; Max-Age=…; HttpOnly; SameSite=Lax[; Secure]`. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [`${name}=${encodeURIComponent(value)}`, 'Path=/', `Max-Age=${options.maxAge}`, ...(options.httpOnly ? ['HttpOnly'] : []), 'SameSite=Lax', ...(options.secure ? ['Secure'] : [])].join('; ');
}
