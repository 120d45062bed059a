// The app talks to Beckon only through the SDK: the session cookie (credentials: 'include') and the CSRF header.
import { createBeckon, type Problem, type Schema } from '../../sdk/src/index.ts';
import { useState } from 'preact/hooks';
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

/** The state of a form that calls the API: busy while a call runs, the API's field errors, and a general message. */
export interface ApiForm {
  busy: boolean;
  errors: Record<string, string>;
  message: string | null;
  /** Runs `call` (busy meanwhile); on a problem shows its field errors, or its message when it names no field, and returns it. */
  run<T>(call: () => Promise<{ data?: T; error?: Problem }>): Promise<{ data?: T; error?: Problem }>;
  /** Replaces the field errors and the message (a page's own wording for a known problem). */
  show(errors: Record<string, string>, message?: string | null): void;
}

/** A form's busy flag, field errors and message around its API calls (see ApiForm). */
export function useApiForm(): ApiForm {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const show = (fields: Record<string, string>, text: string | null = null) => { setErrors(fields); setMessage(text); };
  const run = async <T,>(call: () => Promise<{ data?: T; error?: Problem }>) => {
    setBusy(true);
    const result = await safely(call);
    setBusy(false);
    if (result.error) {
      const { fields, message: text } = fieldErrors(result.error);
      show(fields, Object.keys(fields).length ? null : text);
    } else {
      show({});
    }
    return result;
  };
  return { busy, errors, message, run, show };
}
