import type { Kysely } from 'kysely';
import { systemContext } from '../access/cli-context.js';
import type { ActorContext } from '../access/actor-context.js';
import { appendAudit } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import type { DB, InvolvementRole, Role } from '../db/schema.js';
import { UserFacingError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addInvolvement } from '../people/people.service.js';
import { personsOfRecords } from '../identity/identity.service.js';
import { runImport } from '../ingest/import-run.js';
import { grantRestrictedDetails } from '../access/grants.service.js';
import { evaluatePartnership } from '../alerts/evaluation.service.js';

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

interface DemoInvolvement {
  /** The last recorded activity, for involvements that go quiet without it. */
  lastActivity?: string;
  /** The record (agency:person) whose person the involvement is with. */
  record: string;
  organisation: string;
  role: InvolvementRole;
  worker?: string;
  start: string;
  end?: string;
}

const CARTER_HOME = { line1: '14 Mill Lane', town: 'Northtown', postcode: 'NS1 4AB' };
const NOWAK_HOME = { line1: '3 Heron Court', town: 'Northtown', postcode: 'NS2 7QD' };
const HUGHES_OLD_HOME = { line1: '22 Station Road', town: 'Easton', postcode: 'NS5 1RT' };
const AHMED_HOME = { line1: 'Flat 2, 9 Canal Street', town: 'Northtown', postcode: 'NS3 2LP' };

/**
 * The demo families (all invented), as the agencies would send them: each agency its own records,
 * with the differences real records have (a nickname, a missing NHS number, an old address), so
 * that identity resolution has work to do. Documented in the README's table; keep the two in step.
 * NHS numbers are from the 999 range kept for testing, with valid check digits.
 */
export function demoExchange(): { document: Record<string, unknown>; involvements: DemoInvolvement[] } {
  const sources = [
    { id: 'csc', agency: 'childrens-social-care', name: "Northshire Children's Social Care", authority: 'Northshire' },
    { id: 'csc-front-door', agency: 'childrens-social-care', name: "Northshire Children's Social Care Front Door", authority: 'Northshire' },
    { id: 'health', agency: 'health-visiting', name: 'Northshire Community Health NHS Trust (health visiting)', authority: 'Northshire' },
    { id: 'school', agency: 'school', name: 'Larkfield Primary School', authority: 'Northshire' },
    { id: 'police', agency: 'police', name: 'Northshire Police', authority: 'Northshire' },
  ];
  const chloeDob = yearsAgo(27, 40);
  const rubyDob = yearsAgo(6, 75);
  const alfieDob = yearsAgo(2, 20);
  const jaydenDob = yearsAgo(14, 60);
  const annaDob = yearsAgo(24, 12);
  const records = [
    // Carter family: child in need; father lives apart; school and health visiting involved.
    { id: 'csc:chloe', source: 'csc', givenName: 'Chloe', familyName: 'Carter', dateOfBirth: chloeDob, sex: 'female', nhsNumber: '999 000 0018', address: CARTER_HOME, phone: '07700 900101' },
    { id: 'health:chloe', source: 'health', givenName: 'Chloe', familyName: 'Carter', otherNames: ['Chloe Mills'], dateOfBirth: chloeDob, sex: 'female', nhsNumber: '9990000018', address: CARTER_HOME },
    { id: 'csc:dean', source: 'csc', givenName: 'Dean', familyName: 'Mills', dateOfBirth: yearsAgo(31, 100), sex: 'male', address: { line1: '7 Ash Grove', town: 'Westbury', postcode: 'WB4 2HX' } },
    { id: 'csc:ruby', source: 'csc', givenName: 'Ruby', familyName: 'Carter', dateOfBirth: rubyDob, sex: 'female', nhsNumber: '9990000026', address: CARTER_HOME },
    { id: 'school:ruby', source: 'school', givenName: 'Ruby', familyName: 'Carter', dateOfBirth: rubyDob, sex: 'female', upn: 'A123456789012', address: CARTER_HOME },
    { id: 'csc:alfie', source: 'csc', givenName: 'Alfie', familyName: 'Carter', dateOfBirth: alfieDob, sex: 'male', nhsNumber: '9990000034', address: CARTER_HOME },
    { id: 'health:alfie', source: 'health', givenName: 'Alfred', familyName: 'Carter', otherNames: ['Alfie'], dateOfBirth: alfieDob, sex: 'male', nhsNumber: '9990000034', address: CARTER_HOME },
    // Nowak family: a baby with the health visitor, a new partner, an older child at another school.
    { id: 'health:anna', source: 'health', givenName: 'Anna', familyName: 'Nowak', dateOfBirth: annaDob, sex: 'female', address: NOWAK_HOME },
    { id: 'health:kyle', source: 'health', givenName: 'Kyle', familyName: 'Brooks', dateOfBirth: yearsAgo(29, 200), sex: 'male', address: NOWAK_HOME },
    { id: 'health:lena', source: 'health', givenName: 'Lena', familyName: 'Nowak', dateOfBirth: daysAgo(120), sex: 'female', nhsNumber: '9990000042', address: NOWAK_HOME },
    { id: 'csc-front-door:oskar', source: 'csc-front-door', givenName: 'Oskar', familyName: 'Nowak', dateOfBirth: yearsAgo(9, 30), sex: 'male', address: NOWAK_HOME },
    { id: 'csc-front-door:anna', source: 'csc-front-door', givenName: 'Ana', familyName: 'Nowak', dateOfBirth: annaDob, sex: 'female', address: NOWAK_HOME },
    // Hughes family: a teenager known to the police, contact at the front door; mother in a refuge.
    { id: 'police:michelle', source: 'police', givenName: 'Michelle', familyName: 'Hughes', dateOfBirth: yearsAgo(38, 5), sex: 'female', restricted: true, address: { line1: 'Refuge address', town: 'Northshire', postcode: 'NS9 9ZZ' }, phone: '07700 900909' },
    { id: 'police:jayden', source: 'police', givenName: 'Jayden', familyName: 'Hughes', dateOfBirth: jaydenDob, sex: 'male', address: HUGHES_OLD_HOME },
    { id: 'csc-front-door:jayden', source: 'csc-front-door', givenName: 'Jayden', familyName: 'Hughes', dateOfBirth: jaydenDob, sex: 'male' },
    { id: 'school:mia', source: 'school', givenName: 'Mia', familyName: 'Hughes', dateOfBirth: yearsAgo(7, 10), sex: 'female', upn: 'B123456789012' },
    { id: 'csc-front-door:mia', source: 'csc-front-door', givenName: 'Mia', familyName: 'Hughes', dateOfBirth: yearsAgo(7, 10), sex: 'female' },
    // A record the matcher cannot settle alone: the police's record of a "Dean Mills" with no date
    // of birth at another address, for the front door's review queue.
    { id: 'police:dean', source: 'police', givenName: 'Dean', familyName: 'Mills', sex: 'male', address: { line1: '41 Tannery Way', town: 'Northtown', postcode: 'NS6 3JP' } },
    // Ahmed family: a pregnancy; the school knows the older child.
    { id: 'health:sara', source: 'health', givenName: 'Sara', familyName: 'Ahmed', dateOfBirth: yearsAgo(19, 90), sex: 'female', address: AHMED_HOME },
    { id: 'school:yusuf', source: 'school', givenName: 'Yusuf', familyName: 'Ahmed', dateOfBirth: yearsAgo(5, 150), sex: 'male', address: AHMED_HOME },
    { id: 'health:unborn', source: 'health', kind: 'unborn', familyName: 'Ahmed', expectedDate: daysAgo(-120), sex: 'unknown' },
  ];
  const rel = (id: string, source: string, from: string, to: string, type: string, extra: Record<string, unknown> = {}) => ({ id, source, from, to, type, ...extra });
  const relationships = [
    rel('csc:r1', 'csc', 'csc:chloe', 'csc:ruby', 'mother'),
    rel('csc:r2', 'csc', 'csc:chloe', 'csc:alfie', 'mother'),
    rel('csc:r3', 'csc', 'csc:dean', 'csc:ruby', 'father', { livesElsewhere: true }),
    rel('csc:r4', 'csc', 'csc:dean', 'csc:alfie', 'father', { livesElsewhere: true }),
    rel('csc:r5', 'csc', 'csc:ruby', 'csc:alfie', 'sibling'),
    rel('health:r1', 'health', 'health:anna', 'health:lena', 'mother'),
    rel('health:r2', 'health', 'health:kyle', 'health:lena', 'father'),
    rel('health:r3', 'health', 'health:kyle', 'health:anna', 'partner', { start: daysAgo(500) }),
    rel('csc-front-door:r1', 'csc-front-door', 'csc-front-door:anna', 'csc-front-door:oskar', 'mother'),
    rel('csc-front-door:r2', 'csc-front-door', 'csc-front-door:oskar', 'health:lena', 'half-sibling'),
    { id: 'csc-front-door:r3', source: 'csc-front-door', to: 'csc-front-door:oskar', type: 'father', fatherUnknown: true },
    rel('police:r1', 'police', 'police:michelle', 'police:jayden', 'mother'),
    rel('police:r2', 'police', 'police:michelle', 'csc-front-door:mia', 'mother'),
    rel('csc-front-door:r4', 'csc-front-door', 'csc-front-door:jayden', 'csc-front-door:mia', 'sibling'),
    rel('health:r4', 'health', 'health:sara', 'school:yusuf', 'mother'),
    rel('health:r5', 'health', 'health:unborn', 'health:sara', 'unborn-child-of'),
  ];
  // A history for each family, as each agency recorded it: enough for a chronology, its timeline and
  // figures, and the rules to find what a practitioner would want to know (see the README's table).
  const termStart = daysAgo(95);
  const termEnd = daysAgo(40);
  const events = [
    // Carter: early help three years ago, closed by improvement; now a school worried about Ruby,
    // health visiting about Alfie's missed review, and a social work assessment under way.
    { id: 'csc:e1', source: 'csc', type: 'referral', date: daysAgo(1150), subjects: ['csc:ruby'], from: '3B', to: 'early-help', concerns: ['development'], summary: 'Health visitor asked for early help with Ruby’s speech and the family’s housing.' },
    { id: 'csc:e2', source: 'csc', type: 'plan-start', date: daysAgo(1120), subjects: ['csc:ruby'], participants: ['csc:chloe', 'csc:dean'], plan: 'early-help', authority: 'Northshire' },
    { id: 'csc:e3', source: 'csc', type: 'plan-end', date: daysAgo(900), subjects: ['csc:ruby'], about: ['csc:e2'], plan: 'early-help', reason: 'improvement', summary: 'Family rehoused; Ruby’s nursery place settled. Closed by agreement.' },
    { id: 'health:e3', source: 'health', type: 'appointment', date: daysAgo(100), subjects: ['health:alfie'], participants: ['health:chloe'], service: 'immunisations', status: 'attended' },
    { id: 'health:e4', source: 'health', type: 'home-visit', date: daysAgo(70), subjects: ['health:alfie'], participants: ['health:chloe'], outcome: 'completed', childSeen: true, childSeenAlone: false, summary: 'Alfie seen at home with mum. Kitchen bin overflowing, a smell of dog mess in the living room; Alfie in a heavy nappy.' },
    { id: 'health:e5', source: 'health', type: 'observation', date: daysAgo(70), subjects: ['health:alfie'], domain: 'home-conditions', concerns: ['home-conditions'], summary: 'Described at the visit: no clean surface in the kitchen, dog faeces on the living-room floor, Alfie’s cot without bedding.' },
    { id: 'school:e2', source: 'school', type: 'concern', date: daysAgo(60), subjects: ['school:ruby'], concerns: ['neglect-nutritional'], summary: 'Ruby asked the teaching assistant for a second breakfast and took food from another child’s lunch box.' },
    { id: 'school:e3', source: 'school', type: 'attendance-summary', date: termEnd, subjects: ['school:ruby'], setting: 'school', from: termStart, to: termEnd, possibleSessions: 70, attendedSessions: 61, unauthorisedSessions: 6, summary: 'Half term: 61 of 70 sessions (87%); 6 unauthorised.' },
    { id: 'csc:e4', source: 'csc', type: 'assessment', date: daysAgo(40), subjects: ['csc:ruby', 'csc:alfie'], participants: ['csc:chloe'], kind: 'child-and-family', status: 'started', summary: 'Child and family assessment started after the school’s and health visitor’s concerns.' },
    { id: 'csc:e5', source: 'csc', type: 'lateral-check', date: daysAgo(38), subjects: ['csc:ruby', 'csc:alfie'], with: 'police', outcome: 'No incidents at the address in the last two years.' },
    { id: 'health:e2', source: 'health', type: 'appointment', date: daysAgo(12), subjects: ['health:alfie'], service: '2-year development review', status: 'was-not-brought' },
    { id: 'school:e1', source: 'school', type: 'concern', date: daysAgo(20), subjects: ['school:ruby'], concerns: ['hygiene'], summary: 'Ruby came to school in the same clothes all week and said she was hungry.' },
    // Nowak: a new baby, visited at home; the partner lives with the family.
    { id: 'health:e6', source: 'health', type: 'birth', date: daysAgo(120), subjects: ['health:anna'], child: 'health:lena' },
    { id: 'health:e7', source: 'health', type: 'home-visit', date: daysAgo(110), subjects: ['health:lena'], participants: ['health:anna', 'health:kyle'], outcome: 'completed', childSeen: true, childSeenAlone: false, summary: 'New birth visit. Both parents present; Lena feeding well.' },
    { id: 'health:e8', source: 'health', type: 'appointment', date: daysAgo(60), subjects: ['health:lena'], participants: ['health:anna'], service: '8-week check', status: 'attended' },
    { id: 'health:e9', source: 'health', type: 'home-visit', date: daysAgo(5), subjects: ['health:lena'], participants: ['health:anna'], outcome: 'completed', childSeen: true, childSeenAlone: false, summary: 'Lena thriving; mum tired, sleep discussed.' },
    // Hughes: a domestic abuse incident with Jayden present, and the front door's contacts.
    { id: 'police:e1', source: 'police', type: 'police-incident', date: daysAgo(3), subjects: ['police:michelle'], kind: 'domestic-abuse', childrenPresent: ['police:jayden'] },
    { id: 'csc-front-door:e1', source: 'csc-front-door', type: 'contact', date: daysAgo(1), subjects: ['csc-front-door:oskar'], from: '2A', to: 'childrens-social-care', summary: 'School worried about Oskar’s attendance.' },
    { id: 'csc-front-door:e2', source: 'csc-front-door', type: 'contact', date: daysAgo(2), subjects: ['csc-front-door:mia'], from: '2A', to: 'childrens-social-care' },
    { id: 'csc-front-door:e3', source: 'csc-front-door', type: 'contact', date: daysAgo(0), subjects: ['csc-front-door:jayden'], from: '6', to: 'childrens-social-care' },
    // Ahmed: a pregnancy; the mother left care a year ago.
    { id: 'health:e1', source: 'health', type: 'pregnancy', date: daysAgo(30), subjects: ['health:sara'], expectedDate: daysAgo(-120), unborn: 'health:unborn', summary: 'Booking appointment with midwife.' },
    { id: 'health:e10', source: 'health', type: 'factor', date: daysAgo(30), subjects: ['health:sara'], code: 'care-leaver', status: 'present', summary: 'Sara told the midwife she left foster care at 18 and has a personal adviser.' },
    { id: 'school:e4', source: 'school', type: 'attendance-summary', date: termEnd, subjects: ['school:yusuf'], setting: 'school', from: termStart, to: termEnd, possibleSessions: 70, attendedSessions: 68, unauthorisedSessions: 0, summary: 'Half term: 68 of 70 sessions (97%).' },
  ];
  const involvements: DemoInvolvement[] = [
    { record: 'csc:ruby', organisation: 'csc', role: 'lead-practitioner', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { record: 'csc:alfie', organisation: 'csc', role: 'lead-practitioner', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { record: 'csc:chloe', organisation: 'csc', role: 'team-around-child', worker: 'sw.lee@csc.demo.test', start: daysAgo(150) },
    { record: 'school:ruby', organisation: 'school', role: 'team-around-child', worker: 'dsl.brown@school.demo.test', start: daysAgo(800) },
    { record: 'health:alfie', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(740), lastActivity: daysAgo(12) },
    { record: 'health:lena', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(110), lastActivity: daysAgo(5) },
    { record: 'health:anna', organisation: 'health', role: 'service-provided', start: daysAgo(300), lastActivity: daysAgo(5) },
    { record: 'police:jayden', organisation: 'police', role: 'service-provided', worker: 'pc.smith@police.demo.test', start: daysAgo(40), lastActivity: daysAgo(3) },
    { record: 'police:michelle', organisation: 'police', role: 'service-provided', start: daysAgo(40), lastActivity: daysAgo(3) },
    { record: 'school:mia', organisation: 'school', role: 'team-around-child', start: daysAgo(700) },
    { record: 'school:yusuf', organisation: 'school', role: 'team-around-child', worker: 'dsl.brown@school.demo.test', start: daysAgo(400) },
    { record: 'health:sara', organisation: 'health', role: 'service-provided', worker: 'hv.jones@health.demo.test', start: daysAgo(30), lastActivity: daysAgo(9) },
    // The front door's queue: contacts awaiting a decision, about children the school works with
    // (Mia) and children it does not (Oskar, Jayden).
    { record: 'csc-front-door:oskar', organisation: 'csc-front-door', role: 'front-door', worker: 'fd.patel@csc.demo.test', start: daysAgo(1) },
    { record: 'csc-front-door:mia', organisation: 'csc-front-door', role: 'front-door', worker: 'fd.patel@csc.demo.test', start: daysAgo(2) },
    { record: 'csc-front-door:jayden', organisation: 'csc-front-door', role: 'front-door', start: daysAgo(0) },
  ];
  return { document: { format: 'throughline-exchange/1', title: 'Northshire demonstration families', sources, records, relationships, events }, involvements };
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

  // The families arrive as the agencies would send them: an exchange file through the importer,
  // then identity resolution, exactly as in real use (audited as the loading actor).
  const { document, involvements } = demoExchange();
  const folder = await mkdtemp(join(tmpdir(), 'throughline-demo-'));
  try {
    const file = join(folder, 'northshire-demo.json');
    await writeFile(file, JSON.stringify(document));
    const run = await runImport(db, ctx, file);
    if (run.summary.rejected.length > 0) throw new Error(`demo data rejected: ${JSON.stringify(run.summary.rejected)}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const personOf = await personsOfRecords(db, ctx, involvements.map((i) => i.record).concat('police:michelle'));
  for (const inv of involvements) {
    await addInvolvement(db, ctx, {
      personId: personOf.get(inv.record)!,
      organisationId: orgIds.get(inv.organisation)!,
      role: inv.role,
      workerUserId: inv.worker ? userIds.get(inv.worker)! : null,
      startDate: inv.start,
      endDate: inv.end ?? null,
      lastActivityDate: inv.lastActivity ?? null,
    });
  }
  // Michelle Hughes's refuge address: only the police, who arranged the refuge, may see it.
  await grantRestrictedDetails(db, ctx, { personId: personOf.get('police:michelle')!, organisationId: orgIds.get('police')!, reason: 'Police arranged the refuge placement' });
  // The rules look at the families as the agencies' records stand today, as after any import.
  await evaluatePartnership(db, ctx);
  return { loaded: true, partnershipId };
}
