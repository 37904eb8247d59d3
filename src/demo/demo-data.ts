import type { Kysely } from 'kysely';
import { systemContext } from '../access/cli-context.js';
import type { ActorContext } from '../access/actor-context.js';
import { appendAudit } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import type { DB, InvolvementRole, LinkType, Role } from '../db/schema.js';
import { UserFacingError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { addInvolvement, createPerson, linkPeople } from '../people/people.service.js';
import { grantRestrictedDetails } from '../access/grants.service.js';

/** The password of every demo account (development only; refused in production). */
export const DEMO_PASSWORD = 'throughline-demo';
export const DEMO_PARTNERSHIP_SLUG = 'northshire';

interface DemoOrganisation {
  code: string;
  name: string;
  agency: string;
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { code: 'csc', name: "Northshire Children's Social Care", agency: 'childrens-social-care' },
  { code: 'csc-front-door', name: "Northshire Children's Social Care Front Door", agency: 'childrens-social-care' },
  { code: 'health', name: 'Northshire Community Health NHS Trust (health visiting)', agency: 'health-visiting' },
  { code: 'school', name: 'Larkfield Primary School', agency: 'school' },
  { code: 'police', name: 'Northshire Police', agency: 'police' },
  { code: 'partnership', name: 'Northshire Safeguarding Children Partnership', agency: 'other' },
];

export interface DemoAccount {
  email: string;
  name: string;
  jobTitle: string;
  organisation: string;
  roles: Role[];
}

/** The demo accounts documented in the README. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'sw.lee@csc.demo.test', name: 'Sam Lee', jobTitle: 'Social worker', organisation: 'csc', roles: ['practitioner'] },
  { email: 'fd.patel@csc.demo.test', name: 'Farah Patel', jobTitle: 'Front door social worker', organisation: 'csc-front-door', roles: ['front-door'] },
  { email: 'mgr.khan@csc.demo.test', name: 'Imran Khan', jobTitle: 'Team manager', organisation: 'csc', roles: ['manager'] },
  { email: 'hv.jones@health.demo.test', name: 'Rhian Jones', jobTitle: 'Health visitor', organisation: 'health', roles: ['practitioner'] },
  { email: 'dsl.brown@school.demo.test', name: 'Kerry Brown', jobTitle: 'Designated safeguarding lead', organisation: 'school', roles: ['practitioner'] },
  { email: 'pc.smith@police.demo.test', name: 'Dan Smith', jobTitle: 'Police constable, public protection', organisation: 'police', roles: ['practitioner'] },
  { email: 'analyst.wright@partnership.demo.test', name: 'Jo Wright', jobTitle: 'Partnership analyst', organisation: 'partnership', roles: ['partnership-analyst'] },
  { email: 'head.green@school.demo.test', name: 'Alex Green', jobTitle: 'Headteacher', organisation: 'school', roles: ['manager'] },
  { email: 'admin@partnership.demo.test', name: 'Pat Admin', jobTitle: 'System administrator', organisation: 'partnership', roles: ['admin'] },
  { email: 'dpo.evans@partnership.demo.test', name: 'Morgan Evans', jobTitle: 'Data protection officer', organisation: 'partnership', roles: ['dpo'] },
];

/** A day relative to the day the demo is loaded, as YYYY-MM-DD (so time windows behave as in real use). */
export function daysAgo(days: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function yearsAgo(years: number, extraDays = 0): string {
  return daysAgo(Math.round(years * 365.25) + extraDays);
}

interface DemoPerson {
  key: string;
  address?: { line1: string; town: string; postcode: string };
  phone?: string;
  givenName: string;
  familyName: string;
  dateOfBirth?: string;
  expectedDate?: string;
  kind?: 'unborn';
  sex: 'female' | 'male' | 'unknown';
  nhsNumber?: string;
  restricted?: boolean;
}

interface DemoLink {
  from: string;
  to: string;
  type: LinkType;
  livesElsewhere?: boolean;
  start?: string;
}

interface DemoInvolvement {
  /** The last recorded activity, for involvements that go quiet without it. */
  lastActivity?: string;
  person: string;
  organisation: string;
  role: InvolvementRole;
  worker?: string;
  start: string;
  end?: string;
}

const CARTER_HOME = { line1: '14 Mill Lane', town: 'Northtown', postcode: 'NS1 4AB' };

/**
 * The demo families (all invented). Documented in the README's table; keep the two in step.
 * NHS numbers are from the 999 range kept for testing, with valid check digits.
 */
function demoFamilies(): { people: DemoPerson[]; links: DemoLink[]; involvements: DemoInvolvement[] } {
  const people: DemoPerson[] = [
    // Carter family: child in need; father lives apart; school and health visiting involved.
    { key: 'chloe', givenName: 'Chloe', familyName: 'Carter', dateOfBirth: yearsAgo(27, 40), sex: 'female', nhsNumber: '9990000018', address: CARTER_HOME, phone: '07700 900101' },
    { key: 'dean', givenName: 'Dean', familyName: 'Mills', dateOfBirth: yearsAgo(31, 100), sex: 'male' },
    { key: 'ruby', givenName: 'Ruby', familyName: 'Carter', dateOfBirth: yearsAgo(6, 75), sex: 'female', nhsNumber: '9990000026', address: CARTER_HOME },
    { key: 'alfie', givenName: 'Alfie', familyName: 'Carter', dateOfBirth: yearsAgo(2, 20), sex: 'male', nhsNumber: '9990000034', address: CARTER_HOME },
    // Nowak family: a baby with the health visitor, a new partner, an older child at another school.
    { key: 'anna', givenName: 'Anna', familyName: 'Nowak', dateOfBirth: yearsAgo(24, 12), sex: 'female' },
    { key: 'kyle', givenName: 'Kyle', familyName: 'Brooks', dateOfBirth: yearsAgo(29, 200), sex: 'male' },
    { key: 'lena', givenName: 'Lena', familyName: 'Nowak', dateOfBirth: daysAgo(120), sex: 'female', nhsNumber: '9990000042' },
    { key: 'oskar', givenName: 'Oskar', familyName: 'Nowak', dateOfBirth: yearsAgo(9, 30), sex: 'male' },
    // Hughes family: a teenager known to the police, contact at the front door; mother in a refuge.
    { key: 'michelle', givenName: 'Michelle', familyName: 'Hughes', dateOfBirth: yearsAgo(38, 5), sex: 'female', restricted: true, address: { line1: 'Refuge address', town: 'Northshire', postcode: 'NS9 9ZZ' }, phone: '07700 900909' },
    { key: 'jayden', givenName: 'Jayden', familyName: 'Hughes', dateOfBirth: yearsAgo(14, 60), sex: 'male' },
    { key: 'mia', givenName: 'Mia', familyName: 'Hughes', dateOfBirth: yearsAgo(7, 10), sex: 'female' },
    // Ahmed family: a pregnancy; the school knows the older child.
    { key: 'sara', givenName: 'Sara', familyName: 'Ahmed', dateOfBirth: yearsAgo(19, 90), sex: 'female' },
    { key: 'yusuf', givenName: 'Yusuf', familyName: 'Ahmed', dateOfBirth: yearsAgo(5, 150), sex: 'male' },
    { key: 'unborn', givenName: '', familyName: 'Ahmed', kind: 'unborn', expectedDate: daysAgo(-120), sex: 'unknown' },
  ];
  const links: DemoLink[] = [
    { from: 'chloe', to: 'ruby', type: 'mother' },
    { from: 'chloe', to: 'alfie', type: 'mother' },
    { from: 'dean', to: 'ruby', type: 'father', livesElsewhere: true },
    { from: 'dean', to: 'alfie', type: 'father', livesElsewhere: true },
    { from: 'ruby', to: 'alfie', type: 'sibling' },
    { from: 'anna', to: 'lena', type: 'mother' },
    { from: 'anna', to: 'oskar', type: 'mother' },
    { from: 'kyle', to: 'lena', type: 'father' },
    { from: 'kyle', to: 'anna', type: 'partner', start: daysAgo(500) },
    { from: 'oskar', to: 'lena', type: 'half-sibling' },
    { from: 'michelle', to: 'jayden', type: 'mother' },
    { from: 'michelle', to: 'mia', type: 'mother' },
    { from: 'jayden', to: 'mia', type: 'sibling' },
    { from: 'sara', to: 'yusuf', type: 'mother' },
    { from: 'unborn', to: 'sara', type: 'unborn-child-of' },
  ];
  const involvements: DemoInvolvement[] = [
    { person: 'ruby', organisation: 'csc', role: 'lead-practitioner', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { person: 'alfie', organisation: 'csc', role: 'lead-practitioner', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { person: 'chloe', organisation: 'csc', role: 'team-around-child', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { person: 'ruby', organisation: 'school', role: 'team-around-child', worker: 'dsl.brown@school.demo.test', start: daysAgo(800) },
    { person: 'alfie', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(740), lastActivity: daysAgo(12) },
    { person: 'lena', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(110), lastActivity: daysAgo(5) },
    { person: 'anna', organisation: 'health', role: 'service-provided', start: daysAgo(300), lastActivity: daysAgo(5) },
    { person: 'jayden', organisation: 'police', role: 'service-provided', worker: 'pc.smith@police.demo.test', start: daysAgo(40), lastActivity: daysAgo(3) },
    { person: 'michelle', organisation: 'police', role: 'service-provided', start: daysAgo(40), lastActivity: daysAgo(3) },
    { person: 'mia', organisation: 'school', role: 'team-around-child', start: daysAgo(700) },
    { person: 'yusuf', organisation: 'school', role: 'team-around-child', worker: 'dsl.brown@school.demo.test', start: daysAgo(400) },
    { person: 'sara', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(30), lastActivity: daysAgo(9) },
    // The front door's queue: contacts awaiting a decision, about children the school works with
    // (Mia) and children it does not (Oskar, Jayden).
    { person: 'oskar', organisation: 'csc-front-door', role: 'front-door', worker: 'fd.patel@csc.demo.test', start: daysAgo(1) },
    { person: 'mia', organisation: 'csc-front-door', role: 'front-door', worker: 'fd.patel@csc.demo.test', start: daysAgo(2) },
    { person: 'jayden', organisation: 'csc-front-door', role: 'front-door', start: daysAgo(0) },
  ];
  return { people, links, involvements };
}

export interface DemoLoadResult {
  loaded: boolean;
  partnershipId: string;
}

/**
 * Loads the demo partnership, its organisations, accounts and families, dated relative to today.
 * Does nothing when the demo partnership already exists. Refused in production.
 */
export async function loadDemoData(
  db: Kysely<DB>,
  options: { production: boolean; actorFor?: (partnershipId: string) => ActorContext },
): Promise<DemoLoadResult> {
  if (options.production) {
    throw new UserFacingError('Demo data cannot be loaded in production (NODE_ENV=production).', { exitCode: 2 });
  }
  const existing = await db.selectFrom('partnerships').select('id').where('slug', '=', DEMO_PARTNERSHIP_SLUG).executeTakeFirst();
  if (existing) return { loaded: false, partnershipId: existing.id };

  const partnershipId = newId();
  const now = new Date();
  const orgIds = new Map(DEMO_ORGANISATIONS.map((o) => [o.code, newId()]));
  const userIds = new Map(DEMO_ACCOUNTS.map((a) => [a.email, newId()]));
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  // Commands pass their own audited actor (cli:<user>); tests and jobs act as system:demo.
  const ctx = options.actorFor ? options.actorFor(partnershipId) : systemContext(partnershipId, 'demo', 'load demonstration data');

  const agreementId = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('partnerships')
      .values({ id: partnershipId, slug: DEMO_PARTNERSHIP_SLUG, name: 'Northshire Safeguarding Children Partnership (demo)', is_demo: true, settings: '{}', created_at: now })
      .execute();
    await trx
      .insertInto('sharing_agreements')
      .values({
        id: agreementId,
        partnership_id: partnershipId,
        name: 'Northshire Safeguarding Children Information Sharing Agreement',
        reference: 'NSCP-ISA-2025',
        lawful_basis: 'UK GDPR Article 6(1)(e) public task and Article 9(2)(g) substantial public interest; Data Protection Act 2018 Schedule 1 paragraph 18 (safeguarding of children and individuals at risk)',
        starts_on: daysAgo(400),
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('organisations')
      .values(DEMO_ORGANISATIONS.map((o) => ({ id: orgIds.get(o.code)!, partnership_id: partnershipId, code: o.code, name: o.name, agency: o.agency, authority: 'Northshire', sharing_agreement_id: agreementId, created_at: now })))
      .execute();
    await trx
      .insertInto('users')
      .values(
        DEMO_ACCOUNTS.map((a, i) => ({
          id: userIds.get(a.email)!,
          partnership_id: partnershipId,
          organisation_id: orgIds.get(a.organisation)!,
          email: a.email,
          display_name: a.name,
          job_title: a.jobTitle,
          password_hash: hashes[i]!,
          roles: a.roles,
          is_demo: true,
          active: true,
          created_at: now,
        })),
      )
      .execute();
    await appendAudit(trx, ctx, { action: 'demo.load', objectType: 'partnership', objectId: partnershipId, details: { organisations: DEMO_ORGANISATIONS.length, users: DEMO_ACCOUNTS.length } });
  });

  // People go through the same door as everything else, audited as system:demo.
  const { people, links, involvements } = demoFamilies();
  const personIds = new Map<string, string>();
  for (const p of people) {
    personIds.set(
      p.key,
      await createPerson(db, ctx, {
        kind: p.kind ?? 'person',
        givenName: p.givenName || null,
        familyName: p.familyName,
        dateOfBirth: p.dateOfBirth ?? null,
        expectedDate: p.expectedDate ?? null,
        sex: p.sex,
        nhsNumber: p.nhsNumber ?? null,
        restricted: p.restricted ?? false,
        address: p.address ?? null,
        phone: p.phone ?? null,
      }),
    );
  }
  for (const l of links) {
    await linkPeople(db, ctx, { fromId: personIds.get(l.from)!, toId: personIds.get(l.to)!, type: l.type, livesElsewhere: l.livesElsewhere ?? false, startDate: l.start ?? null });
  }
  for (const inv of involvements) {
    await addInvolvement(db, ctx, {
      personId: personIds.get(inv.person)!,
      organisationId: orgIds.get(inv.organisation)!,
      role: inv.role,
      workerUserId: inv.worker ? userIds.get(inv.worker)! : null,
      startDate: inv.start,
      endDate: inv.end ?? null,
      lastActivityDate: inv.lastActivity ?? null,
    });
  }
  // Michelle Hughes's refuge address: only the police, who arranged the refuge, may see it.
  await grantRestrictedDetails(db, ctx, { personId: personIds.get('michelle')!, organisationId: orgIds.get('police')!, reason: 'Police arranged the refuge placement' });
  return { loaded: true, partnershipId };
}
