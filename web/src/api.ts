// The app talks to Beckon only through the SDK: the session cookie (credentials: 'include') and the CSRF header.
import { createBeckon, type Problem, type Schema } from '../../sdk/src/index.ts';
import { signal } from './state.ts';

/** The typed client of this server, signed in by the session cookie. */
export const api = createBeckon({ baseUrl: location.origin, csrf: true, retry: { retries: 2 } });

/** Who is signed in (null: the sign-in page), undefined while we ask. */
export const me = signal<Schema<'User'> | null | undefined>(undefined);

/** Asks the server who the session belongs to. */
export async function loadMe(): Promise<void> {
  try {
    const { data } = await api.GET('/v1/auth/me');
    me.set(data?.user ?? null);
  } catch {
    me.set(null);
  }
}

/** The field errors of a problem answer by JSON path (`body.email` → `email`), and its general message. */
export function fieldErrors(problem: Problem | undefined): { fields: Record<string, string>; message: string | null } {
  const fields: Record<string, string> = {};
  for (const e of (problem as { errors?: { path: string; message: string }[] } | undefined)?.errors ?? []) {
    fields[e.path.replace(/^(body|query|params)\./, '')] = e.message;
  }
  return { fields, message: problem ? (problem.detail ?? problem.title ?? problem.code ?? 'error') : null };
}

/** Runs an API call and turns a thrown network error into a problem, so no page goes blank. */
export async function safely<T>(call: () => Promise<{ data?: T; error?: Problem }>): Promise<{ data?: T; error?: Problem }> {
  try {
    return await call();
  } catch (err) {
    return { error: { code: 'network_error', detail: (err as Error).message, status: 0, title: 'Network error', type: 'about:blank' } as Problem };
  }
}
