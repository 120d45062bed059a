import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import * as q from './queries.ts';
import { createUser } from './service.ts';
import { issueToken } from './tokens.ts';

/**
 * The first admin user: with BECKON_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD, that user is created in the workspace when no
 * user has the email yet (returns null); otherwise, on the first start only (`fresh`), a one-time link is issued
 * (BECKON_INVITATION_TTL_HOURS) that creates the first admin from the email and name given with it, and signs them in.
 */
export async function bootstrapAdmin(db: Db, config: Pick<Config, 'bootstrapAdminEmail' | 'bootstrapAdminPassword' | 'publicUrl' | 'invitationTtlHours'>, workspaceId: string, fresh: boolean): Promise<string | null> {
  const email = config.bootstrapAdminEmail;
  if (email && config.bootstrapAdminPassword) {
    if (!(await q.emailTaken(db, email))) {
      await createUser(db, config, workspaceId, { email, name: email.split('@')[0], role: 'admin', availability: 'available', password: config.bootstrapAdminPassword });
    }
    return null;
  }
  if (!fresh) return null;
  return (await issueToken(db, config.publicUrl, workspaceId, null, 'bootstrap', config.invitationTtlHours)).url;
}
