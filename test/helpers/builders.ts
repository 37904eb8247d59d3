import type { Kysely } from 'kysely';
import type { ActorContext } from '../../src/access/actor-context.js';
import { systemContext } from '../../src/access/cli-context.js';
import { hashPassword } from '../../src/auth/password.js';
import type { DB, Role } from '../../src/db/schema.js';
import { newId } from '../../src/shared/ids.js';

// Builders for tests: each makes one real row with sensible defaults, overridable per test.

let passwordHash: Promise<string> | undefined;
/** The password every built user has. */
export const TEST_PASSWORD = 'correct horse battery staple';

export async function buildPartnership(db: Kysely<DB>, overrides: { slug?: string; name?: string } = {}): Promise<string> {
  const id = newId();
  await db
    .insertInto('partnerships')
    .values({ id, slug: overrides.slug ?? `p-${id.slice(0, 8)}`, name: overrides.name ?? 'Test partnership', settings: '{}', created_at: new Date() })
    .execute();
  return id;
}

export async function buildOrganisation(db: Kysely<DB>, partnershipId: string, overrides: { code?: string; agency?: string; name?: string } = {}): Promise<string> {
  const id = newId();
  await db
    .insertInto('organisations')
    .values({ id, partnership_id: partnershipId, code: overrides.code ?? `org-${id.slice(0, 8)}`, name: overrides.name ?? 'Test organisation', agency: overrides.agency ?? 'childrens-social-care', created_at: new Date() })
    .execute();
  return id;
}

export async function buildUser(
  db: Kysely<DB>,
  partnershipId: string,
  organisationId: string,
  overrides: { email?: string; roles?: Role[]; name?: string; active?: boolean } = {},
): Promise<{ id: string; email: string }> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const email = overrides.email ?? `user-${id.slice(0, 8)}@example.test`;
  await db
    .insertInto('users')
    .values({
      id,
      partnership_id: partnershipId,
      organisation_id: organisationId,
      email,
      display_name: overrides.name ?? 'Test User',
      password_hash: await passwordHash,
      roles: overrides.roles ?? ['practitioner'],
      active: overrides.active ?? true,
      created_at: new Date(),
    })
    .execute();
  return { id, email };
}

/** A signed-in user's context, as the web builds it. */
export function userContext(partnershipId: string, user: { id: string }, organisationId: string, roles: Role[]): ActorContext {
  return {
    partnershipId,
    actor: { type: 'user', id: user.id, label: 'Test User', organisationId, roles },
    purpose: 'test',
    correlationId: newId(),
    ip: '127.0.0.1',
  };
}

/** A system context for setting up data through the door. */
export function setupContext(partnershipId: string): ActorContext {
  return systemContext(partnershipId, 'test-setup', 'test set-up');
}
