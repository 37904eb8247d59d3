import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.js';
import { UserFacingError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';

// The partnership directory: partnerships, organisations and staff accounts. These describe who
// uses Throughline, not the families it is about, so they are read directly (not through the door).

export interface PartnershipRef {
  id: string;
  slug: string;
  name: string;
  isDemo: boolean;
}

/** All partnerships, by slug. */
export async function listPartnerships(db: Kysely<DB>): Promise<PartnershipRef[]> {
  const rows = await db.selectFrom('partnerships').select(['id', 'slug', 'name', 'is_demo']).orderBy('slug').execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, isDemo: r.is_demo }));
}

/**
 * The partnership a command acts for: the one named by `slug`, or the only one there is. Throws a
 * plain-English error when the choice is ambiguous or the slug is unknown.
 */
export async function choosePartnership(db: Kysely<DB>, slug: string | undefined): Promise<PartnershipRef> {
  const all = await listPartnerships(db);
  if (slug) {
    const found = all.find((p) => p.slug === slug);
    if (!found) {
      throw new UserFacingError(
        `There is no partnership called "${slug}"${all.length ? `; choose one of: ${all.map((p) => p.slug).join(', ')}` : ''}.`,
        { exitCode: 2 },
      );
    }
    return found;
  }
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) throw new UserFacingError('There is no partnership yet; load the demo data with "npx throughline demo" first.', { exitCode: 2 });
  throw new UserFacingError(`There is more than one partnership; choose one with --partnership (${all.map((p) => p.slug).join(', ')}).`, {
    exitCode: 2,
  });
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The partnership an import goes into: the one named by `slug`, created when there is none yet
 * (each scenario or test fixture describes a separate world and gets its own partnership); with no
 * slug, the only partnership there is, or a new "default" one in an empty store.
 */
export async function partnershipForImport(db: Kysely<DB>, slug: string | undefined): Promise<{ partnership: PartnershipRef; created: boolean }> {
  const all = await listPartnerships(db);
  if (!slug && all.length > 0) return { partnership: await choosePartnership(db, undefined), created: false };
  const wanted = slug ?? 'default';
  const found = all.find((p) => p.slug === wanted);
  if (found) return { partnership: found, created: false };
  if (!SLUG.test(wanted)) {
    throw new UserFacingError(`"${wanted}" cannot name a partnership: use lower-case letters, digits and hyphens (for example "northshire").`, { exitCode: 2 });
  }
  const id = newId();
  const name = wanted.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  await db.insertInto('partnerships').values({ id, slug: wanted, name, settings: '{}', created_at: new Date() }).execute();
  return { partnership: { id, slug: wanted, name, isDemo: false }, created: true };
}

/** True when any demo partnership or demo account exists (refused in production). */
export async function hasDemoData(db: Kysely<DB>): Promise<boolean> {
  const partnership = await db.selectFrom('partnerships').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst();
  if (partnership) return true;
  const user = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('is_demo', '=', true), eb('email', 'like', '%.demo.test')]))
    .limit(1)
    .executeTakeFirst();
  return user !== undefined;
}

/**
 * The information-sharing agreement and lawful basis an organisation shares under, or null when none
 * is recorded. Shown on pages and exports and written into the audit record of each read.
 */
export async function sharingBasisFor(db: Kysely<DB>, organisationId: string | null): Promise<{ agreement: string; lawfulBasis: string } | null> {
  if (!organisationId) return null;
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('sharing_agreements as a', 'a.id', 'o.sharing_agreement_id')
    .select(['a.name', 'a.reference', 'a.lawful_basis'])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  return row ? { agreement: row.reference ? `${row.name} (${row.reference})` : row.name, lawfulBasis: row.lawful_basis } : null;
}

/**
 * The partnership's own information-sharing basis (for exports made by the command line, which acts
 * for the partnership as a whole): its current agreement, or null when none is recorded.
 */
export async function partnershipSharingBasis(db: Kysely<DB>, partnershipId: string): Promise<{ agreement: string; lawfulBasis: string } | null> {
  const row = await db
    .selectFrom('sharing_agreements')
    .select(['name', 'reference', 'lawful_basis'])
    .where('partnership_id', '=', partnershipId)
    .where('ends_on', 'is', null)
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
  return row ? { agreement: row.reference ? `${row.name} (${row.reference})` : row.name, lawfulBasis: row.lawful_basis } : null;
}

/** Staff of one organisation (for allocation lists). */
export function listOrganisationUsers(db: Kysely<DB>, organisationId: string) {
  return db.selectFrom('users').select(['id', 'display_name', 'job_title']).where('organisation_id', '=', organisationId).where('active', '=', true).orderBy('display_name').execute();
}

/** A user's roles, if the account is active (staff data, not case data). */
export async function activeUserRoles(db: Kysely<DB>, userId: string): Promise<Role[] | null> {
  const row = await db.selectFrom('users').select(['roles', 'active']).where('id', '=', userId).executeTakeFirst();
  return row?.active ? row.roles : null;
}
