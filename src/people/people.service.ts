import type { Kysely } from 'kysely';
import { personAccess, restrictedDetailsGranted, rulesFor } from '../access/access-policy.js';
import type { AccessBasis } from '../access/access-rules.js';
import { hasRole, type ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import { sharingBasisFor } from '../directory/directory.service.js';
import type { ConsentStatus, DB, InvolvementRole, LinkType } from '../db/schema.js';
import { AccessDeniedError, NotFoundError, PersonMovedError } from '../shared/errors.js';
import { isUuid, newId } from '../shared/ids.js';
import { familyCircle, otherEnd, parentsFrom } from '../family/family-circle.js';
import { renderGenogram } from '../family/genogram.js';
import { anyQueryKey, querySearchKeys, scoreSearchKeys } from '../identity/search-keys.js';
import {
  fatherRecordedUnknown,
  findAllocatedPersonIds,
  findAuthorities,
  findMoves,
  findRecordAddresses,
  findConsents,
  findFrontDoorQueue,
  findInvolvements,
  findLinks,
  findPersonIdsByKeys,
  findPersonIdsMatching,
  findPersons,
  findSurvivors,
  findRecentlyViewed,
  insertConsent,
  insertInvolvement,
  insertPerson,
  insertPersonLink,
  isLeadPractitioner,
  type PersonRow,
} from './people.repository.js';

/** An address as the exchange format records it. */
export interface Address {
  line1?: string;
  line2?: string;
  town?: string;
  postcode?: string;
}

/** A person as lists show them: no contact details. */
export interface PersonSummary {
  id: string;
  kind: 'person' | 'unborn';
  name: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDate: string | null;
  sex: string;
  nhsNumber: string | null;
  restricted: boolean;
}

function toSummary(row: PersonRow): PersonSummary {
  const name = [row.given_name, row.family_name].filter(Boolean).join(' ') || (row.kind === 'unborn' ? 'Unborn baby' : 'Name not recorded');
  return {
    id: row.id,
    kind: row.kind,
    name: row.kind === 'unborn' && !row.given_name ? `Unborn baby ${row.family_name ?? ''}`.trim() : name,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    expectedDate: row.expected_date,
    sex: row.sex,
    nhsNumber: row.nhs_number,
    restricted: row.restricted,
  };
}

export type PersonPage = 'summary' | 'family' | 'chronology';

/** Everything a person's page shows, already cut to what the viewer may see. */
export interface PersonView {
  person: PersonSummary;
  basis: AccessBasis;
  /** Address and phone, or "withheld" for a restricted person the viewer has no grant for. */
  contact: { address: Address | null; phone: string | null } | 'withheld';
  involvements: Awaited<ReturnType<typeof findInvolvements>>;
  consents: Awaited<ReturnType<typeof findConsents>>;
  canSeeAccessLog: boolean;
  canAllocate: boolean;
  canRecordConsent: boolean;
  sharing: { agreement: string; lawfulBasis: string } | null;
}

/** Reads one person for a page; refusal and absence both end in NotFoundError (refusal audited). */
export async function getPersonView(db: Kysely<DB>, ctx: ActorContext, personId: string, page: PersonPage = 'summary'): Promise<PersonView> {
  try {
    return await throughDoor(db, ctx, { action: 'person.read', objectType: 'person', objectId: personId, details: { page } }, async ({ trx, deny, note }) => {
      if (!isUuid(personId)) return deny('not a person id');
      const survivor = (await findSurvivors(trx, ctx.partnershipId, [personId])).get(personId);
      if (survivor && survivor !== personId) throw new PersonMovedError(survivor);
      const access = await personAccess(trx, ctx, [personId]);
      const basis = access.get(personId);
      if (!basis) return deny('no legitimate relationship');
      const rules = await rulesFor(trx, ctx);
      if (page !== 'summary' && !rules.canOpenRecord(basis)) return deny(`the ${basis} basis does not open the ${page}`);
      const [row] = await findPersons(trx, ctx.partnershipId, [personId]);
      if (!row) return deny('no such person');
      const sharing = await sharingBasisFor(trx, ctx.actor.organisationId);
      note({ basis, ...(sharing ? { lawfulBasis: sharing.lawfulBasis, agreement: sharing.agreement } : {}) });

      const detailsGranted = row.restricted ? (await restrictedDetailsGranted(trx, ctx, [personId])).has(personId) : true;
      const involvements = rules.canOpenRecord(basis) ? await findInvolvements(trx, ctx.partnershipId, personId) : [];
      const isLead = ctx.actor.type === 'user' && (await isLeadPractitioner(trx, personId, ctx.actor.id));
      return {
        person: toSummary(row),
        basis,
        contact: detailsGranted && rules.canOpenRecord(basis) ? { address: (row.address as Address | null) ?? null, phone: row.phone } : 'withheld',
        involvements,
        consents: rules.canOpenRecord(basis) ? await findConsents(trx, ctx.partnershipId, personId) : [],
        canSeeAccessLog: rules.canSeeAccessLog(ctx.actor.roles, basis, isLead),
        canAllocate: hasRole(ctx, 'manager') && basis !== 'governance',
        canRecordConsent: (hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager')) && basis !== 'governance',
        sharing,
      };
    });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw new NotFoundError('Person not found');
    throw error;
  }
}

const INVERSE: Partial<Record<LinkType, string>> = { mother: 'child', father: 'child', 'step-parent': 'step-child', carer: 'cared-for child', grandparent: 'grandchild', 'unborn-child-of': 'mother of unborn baby' };

type LinkRow = Awaited<ReturnType<typeof findLinks>>[number];

/** One family member as the family page lists them. */
export interface FamilyMember {
  relation: string;
  person: PersonSummary;
  livesElsewhere: boolean;
  startDate: string | null;
  endDate: string | null;
  /** How they are related through someone else ("mother’s partner"), when not directly. */
  via: string | null;
}

/**
 * The whole family around a person, as far as the viewer may see: everyone one link away, and the
 * partners (past and present) of the person's parents and carers, with every link among them (for
 * the genogram). People the viewer may not read are left out.
 */
async function familyOf(trx: Parameters<typeof findLinks>[0], ctx: ActorContext, personId: string): Promise<{ members: FamilyMember[]; links: LinkRow[] }> {
  const direct = await findLinks(trx, ctx.partnershipId, [personId]);
  const parentLinks = await findLinks(trx, ctx.partnershipId, parentsFrom(personId, direct).map((p) => p.id));
  const circle = familyCircle(personId, direct, parentLinks);
  const { parents } = circle;
  const readable = await personAccess(trx, ctx, circle.memberIds);
  const people = new Map((await findPersons(trx, ctx.partnershipId, [...readable.keys()])).map((r) => [r.id, toSummary(r)]));
  const members: FamilyMember[] = [];
  for (const l of direct) {
    const outward = l.to_person_id === personId;
    const person = people.get(outward ? l.from_person_id : l.to_person_id);
    if (!person) continue;
    members.push({ relation: outward ? l.type : (INVERSE[l.type] ?? l.type), person, livesElsewhere: l.lives_elsewhere, startDate: l.start_date, endDate: l.end_date, via: null });
  }
  const listed = new Set(members.map((m) => m.person.id));
  for (const l of circle.partnersOfParents) {
    const parent = parents.find((p) => p.id === l.from_person_id || p.id === l.to_person_id)!;
    const partner = people.get(otherEnd(l, parent.id));
    if (!partner || partner.id === personId || listed.has(partner.id) || parents.some((p) => p.id === partner.id)) continue;
    listed.add(partner.id);
    members.push({ relation: 'partner', person: partner, livesElsewhere: l.lives_elsewhere, startDate: l.start_date, endDate: l.end_date, via: `${parent.type}’s partner` });
  }
  for (const l of circle.childrenOfParents) {
    const child = people.get(l.to_person_id);
    if (!child || listed.has(child.id)) continue;
    listed.add(child.id);
    members.push({ relation: 'sibling or half-sibling', person: child, livesElsewhere: l.lives_elsewhere, startDate: l.start_date, endDate: l.end_date, via: `${l.type}’s child` });
  }
  const shown = new Set([personId, ...members.map((m) => m.person.id)]);
  const allLinks = [...direct, ...parentLinks].filter((l, i, all) => shown.has(l.from_person_id) && shown.has(l.to_person_id) && all.findIndex((x) => x.id === l.id) === i);
  return { members, links: allLinks };
}

/** The whole-family page: genogram, members, households over time, other authorities. */
export interface WholeFamily {
  genogram: { svg: string };
  members: FamilyMember[];
  /** True for a child (or unborn baby) with no father recorded by any agency. */
  noFather: boolean;
  /** True when an agency recorded that the father is not known. */
  fatherUnknown: boolean;
  addresses: { address: string; from: string | null; to: string | null; source: string | null; authority: string | null }[] | 'withheld';
  authorities: string[];
}

function ageLabel(dob: string | null, today = new Date()): string | null {
  if (!dob || dob.length < 4) return null;
  const [y, m = 1, d = 1] = dob.split('-').map(Number);
  let years = today.getUTCFullYear() - y!;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) years -= 1;
  if (years < 0) return null;
  if (years === 0) return 'under 1';
  return `${years} ${years === 1 ? 'year' : 'years'}`;
}

function isChild(p: PersonSummary): boolean {
  if (p.kind === 'unborn') return true;
  const age = p.dateOfBirth ? Number(ageLabel(p.dateOfBirth)?.split(' ')[0] ?? 0) : NaN;
  return Number.isNaN(age) || ageLabel(p.dateOfBirth) === 'under 1' || age < 18;
}

function formatAddress(a: Record<string, unknown>): string {
  return [a.line1, a.line2, a.town, a.postcode].filter((x) => typeof x === 'string' && x).join(', ');
}

/** Reads the whole family around a person for their family page (readable members only). */
export async function getWholeFamily(db: Kysely<DB>, ctx: ActorContext, personId: string): Promise<WholeFamily> {
  return throughDoor(db, ctx, { action: 'family.read', objectType: 'person', objectId: personId }, async ({ trx, deny, note }) => {
    const basis = (await personAccess(trx, ctx, [personId])).get(personId);
    if (!basis || basis === 'governance') return deny('no legitimate relationship');
    const [row] = await findPersons(trx, ctx.partnershipId, [personId]);
    if (!row) return deny('no such person');
    const focus = toSummary(row);
    const { members, links } = await familyOf(trx, ctx, personId);
    note({ personIds: members.map((m) => m.person.id) });
    const everyone = [focus, ...members.map((m) => m.person)];
    const fatherLinked = links.some((l) => l.type === 'father' && l.to_person_id === personId);
    const fatherUnknown = await fatherRecordedUnknown(trx, ctx.partnershipId, personId);
    const genogram = renderGenogram({
      focusId: personId,
      title: `Family of ${focus.name}`,
      fatherUnknown: !fatherLinked && isChild(focus),
      people: everyone.map((p) => ({
        id: p.id,
        name: p.name,
        sex: p.sex === 'female' || p.sex === 'male' ? p.sex : 'unknown',
        kind: p.kind,
        born: p.dateOfBirth,
        expectedDate: p.expectedDate,
        ageLabel: ageLabel(p.dateOfBirth),
        // No links inside the picture (role="img" may not hold interactive content): the table below has them.
        href: null,
      })),
      links: links.map((l) => ({ from: l.from_person_id, to: l.to_person_id, type: l.type, start: l.start_date, end: l.end_date, livesElsewhere: l.lives_elsewhere })),
    });
    const granted = row.restricted ? (await restrictedDetailsGranted(trx, ctx, [personId])).has(personId) : true;
    let addresses: WholeFamily['addresses'] = 'withheld';
    if (granted) {
      const fromRecords = (await findRecordAddresses(trx, ctx.partnershipId, personId)).map((r) => {
        const a = (typeof r.address === 'string' ? JSON.parse(r.address) : r.address) as Record<string, string | undefined>;
        return { address: formatAddress(a), from: a.from ?? null, to: a.to ?? null, source: r.source_name, authority: r.authority };
      });
      const moves = (await findMoves(trx, ctx.partnershipId, personId))
        .filter((m) => !m.restricted)
        .map((m) => {
          const d = (typeof m.details === 'string' ? JSON.parse(m.details) : m.details) as { address?: Record<string, unknown>; authority?: string };
          return { address: d.address ? formatAddress(d.address) : 'Address not recorded', from: m.date, to: null, source: m.source_name, authority: d.authority ?? null };
        });
      const seen = new Set<string>();
      addresses = [...fromRecords, ...moves]
        .filter((a) => {
          const key = `${a.address.toLowerCase()}|${a.from ?? ''}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''));
    }
    const authorities = await findAuthorities(trx, ctx.partnershipId, everyone.map((p) => p.id));
    return { genogram: { svg: genogram.svg }, members, noFather: isChild(focus) && !fatherLinked, fatherUnknown, addresses, authorities };
  });
}

/** People shown on the home page: allocated to the user, the front-door queue, recently viewed. */
export interface HomeLists {
  allocated: PersonSummary[];
  frontDoorQueue: PersonSummary[];
  recentlyViewed: PersonSummary[];
}

/** The home page's lists, each filtered set-wise to what the user may read. */
export async function listHome(db: Kysely<DB>, ctx: ActorContext): Promise<HomeLists> {
  return throughDoor(db, ctx, { action: 'person.list', objectType: 'person', details: { list: 'home' } }, async ({ trx, note }) => {
    if (ctx.actor.type !== 'user') return { allocated: [], frontDoorQueue: [], recentlyViewed: [] };
    let allocatedIds = await findAllocatedPersonIds(trx, ctx.partnershipId, ctx.actor.id);
    let queueIds = hasRole(ctx, 'front-door') && ctx.actor.organisationId ? await findFrontDoorQueue(trx, ctx.partnershipId, ctx.actor.organisationId) : [];
    let recentIds = await findRecentlyViewed(trx, ctx.partnershipId, ctx.actor.id, 10);
    // A person merged into another is listed as the person they are now.
    const survivors = await findSurvivors(trx, ctx.partnershipId, [...allocatedIds, ...queueIds, ...recentIds]);
    const now = (ids: string[]) => [...new Set(ids.map((id) => survivors.get(id) ?? id))];
    [allocatedIds, queueIds, recentIds] = [now(allocatedIds), now(queueIds), now(recentIds)];
    const access = await personAccess(trx, ctx, [...allocatedIds, ...queueIds, ...recentIds]);
    const rows = new Map((await findPersons(trx, ctx.partnershipId, [...access.keys()])).map((r) => [r.id, toSummary(r)]));
    const pick = (ids: string[]) => ids.map((id) => rows.get(id)).filter((p): p is PersonSummary => p !== undefined);
    const byName = (a: PersonSummary, b: PersonSummary) => a.name.localeCompare(b.name);
    note({ personIds: [...rows.keys()] });
    return { allocated: pick(allocatedIds).sort(byName), frontDoorQueue: pick(queueIds).sort(byName), recentlyViewed: pick(recentIds) };
  });
}

/** What a search asks for. */
export interface PersonQuery {
  name?: string | undefined;
  dateOfBirth?: string | undefined;
  nhsNumber?: string | undefined;
  postcode?: string | undefined;
}

/** Normalises a query into terms; null when there is nothing to search for. */
export function normaliseQuery(query: PersonQuery): { terms: string[]; dateOfBirth?: string; nhsNumber?: string; postcode?: string } | null {
  const terms = (query.name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9']+/)
    .filter((t) => t.length > 0)
    .slice(0, 5);
  const nhs = query.nhsNumber?.replace(/\s/g, '') || undefined;
  const dob = query.dateOfBirth || undefined;
  const postcode = query.postcode?.trim() || undefined;
  if (terms.length === 0 && !nhs && !dob && !postcode) return null;
  return { terms, ...(dob ? { dateOfBirth: dob } : {}), ...(nhs ? { nhsNumber: nhs } : {}), ...(postcode ? { postcode } : {}) };
}

/**
 * Candidate people for a query, best first: fuzzy matches on the records that make people up
 * (names by sound and nickname, date of birth also with day and month swapped, NHS number,
 * postcode), then name prefixes on people recorded here directly.
 */
async function rankedCandidates(trx: Parameters<typeof findPersons>[0], partnershipId: string, query: PersonQuery, q: NonNullable<ReturnType<typeof normaliseQuery>>): Promise<string[]> {
  const keys = querySearchKeys(query);
  const best = new Map<string, number>();
  for (const row of await findPersonIdsByKeys(trx, partnershipId, anyQueryKey(keys), 5000)) {
    const score = scoreSearchKeys(new Set(row.search_keys), keys);
    if (score !== null && score > (best.get(row.person_id) ?? -1)) best.set(row.person_id, score);
  }
  const survivors = await findSurvivors(trx, partnershipId, [...best.keys()]);
  const ranked = new Map<string, number>();
  for (const [id, score] of best) {
    const survivor = survivors.get(id) ?? id;
    ranked.set(survivor, Math.max(score, ranked.get(survivor) ?? -1));
  }
  const ordered = [...ranked].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  if (!q.postcode) {
    for (const id of await findPersonIdsMatching(trx, partnershipId, q, 2000)) if (!ranked.has(id)) ordered.push(id);
  }
  return ordered;
}

/**
 * Searches the people the user may read. People beyond the user's access are filtered out inside the
 * same transaction before anything is counted or returned, so results, counts and timing do not
 * reveal them. Partnership analysts never search names.
 */
export async function searchPeople(db: Kysely<DB>, ctx: ActorContext, query: PersonQuery): Promise<PersonSummary[]> {
  return throughDoor(db, ctx, { action: 'person.search', objectType: 'person' }, async ({ trx, deny, note }) => {
    if (hasRole(ctx, 'partnership-analyst') && !hasRole(ctx, 'front-door') && !hasRole(ctx, 'practitioner') && !hasRole(ctx, 'manager')) {
      return deny('partnership analysts see de-identified figures only');
    }
    const q = normaliseQuery(query);
    if (!q) return [];
    // Candidates are filtered by access a page at a time (one query each), best first, until 50
    // the user may see are found, so a common name cannot hide someone the user works with.
    const candidates = await rankedCandidates(trx, ctx.partnershipId, query, q);
    const visible: string[] = [];
    for (let offset = 0; visible.length < 50 && offset < candidates.length; offset += 500) {
      const page = candidates.slice(offset, offset + 500);
      const access = await personAccess(trx, ctx, page);
      visible.push(...page.filter((id) => access.has(id) && access.get(id) !== 'governance'));
    }
    visible.splice(50);
    const rows = new Map((await findPersons(trx, ctx.partnershipId, visible)).map((r) => [r.id, toSummary(r)]));
    note({ resultCount: visible.length, personIds: visible });
    return visible.map((id) => rows.get(id)!).filter(Boolean);
  });
}

/** Searches the whole partnership in an emergency (break-glass); the caller records the reason first. */
export async function searchWholePartnership(db: Kysely<DB>, ctx: ActorContext, query: PersonQuery, breakGlassId: string): Promise<PersonSummary[]> {
  return throughDoor(db, ctx, { action: 'break-glass.search-results', objectType: 'break-glass', objectId: breakGlassId }, async ({ trx, deny, note }) => {
    if (!(hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager') || hasRole(ctx, 'front-door'))) return deny('only practitioners, managers and the front door may break the glass');
    const q = normaliseQuery(query);
    if (!q) return [];
    const ids = (await rankedCandidates(trx, ctx.partnershipId, query, q)).slice(0, 50);
    const rows = await findPersons(trx, ctx.partnershipId, ids);
    note({ resultCount: rows.length, personIds: rows.map((r) => r.id) });
    return rows.map(toSummary);
  });
}

export interface NewPerson {
  kind?: 'person' | 'unborn';
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  expectedDate?: string | null;
  sex?: 'female' | 'male' | 'unknown';
  nhsNumber?: string | null;
  restricted?: boolean;
  address?: Address | null;
  phone?: string | null;
}

/** Records a new person. Only the command line, system jobs and admins may create people directly. */
export async function createPerson(db: Kysely<DB>, ctx: ActorContext, person: NewPerson): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'person.create', objectType: 'person', objectId: id }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin')) deny('only an administrator may create people directly');
    await insertPerson(trx, {
      id,
      partnership_id: ctx.partnershipId,
      kind: person.kind ?? 'person',
      given_name: person.givenName ?? null,
      family_name: person.familyName ?? null,
      date_of_birth: person.dateOfBirth ?? null,
      expected_date: person.expectedDate ?? null,
      sex: person.sex ?? 'unknown',
      nhs_number: person.nhsNumber ?? null,
      restricted: person.restricted ?? false,
      address: person.address ? JSON.stringify(person.address) : null,
      phone: person.phone ?? null,
      created_at: new Date(),
    });
  });
  return id;
}

/** Records that `fromId` is the `type` of `toId` (e.g. mother of). */
export async function linkPeople(
  db: Kysely<DB>,
  ctx: ActorContext,
  link: { fromId: string; toId: string; type: LinkType; startDate?: string | null; endDate?: string | null; livesElsewhere?: boolean },
): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'person-link.create', objectType: 'person', objectId: link.toId, details: { linkId: id, from: link.fromId, type: link.type } }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user' && !hasRole(ctx, 'admin')) deny('only an administrator may link people directly');
    await insertPersonLink(trx, {
      id,
      partnership_id: ctx.partnershipId,
      from_person_id: link.fromId,
      to_person_id: link.toId,
      type: link.type,
      start_date: link.startDate ?? null,
      end_date: link.endDate ?? null,
      lives_elsewhere: link.livesElsewhere ?? false,
      created_at: new Date(),
    });
  });
  return id;
}

/**
 * Records an organisation's involvement with a person. A manager allocates within their own
 * organisation, to a person they can already reach; the command line and jobs may record any.
 */
export async function addInvolvement(
  db: Kysely<DB>,
  ctx: ActorContext,
  involvement: { personId: string; organisationId: string; role: InvolvementRole; workerUserId?: string | null; startDate: string; endDate?: string | null; lastActivityDate?: string | null },
): Promise<string> {
  const id = newId();
  await throughDoor(db, ctx, { action: 'involvement.create', objectType: 'person', objectId: involvement.personId, details: { role: involvement.role, organisationId: involvement.organisationId, workerUserId: involvement.workerUserId ?? null } }, async ({ trx, deny }) => {
    if (ctx.actor.type === 'user') {
      if (!hasRole(ctx, 'manager')) return deny('only a manager may allocate work');
      if (involvement.organisationId !== ctx.actor.organisationId) return deny('a manager allocates within their own organisation');
      const basis = (await personAccess(trx, ctx, [involvement.personId])).get(involvement.personId);
      if (!basis || basis === 'governance') return deny('no legitimate relationship');
      if (involvement.workerUserId) {
        const worker = await trx.selectFrom('users').select('organisation_id').where('id', '=', involvement.workerUserId).executeTakeFirst();
        if (worker?.organisation_id !== ctx.actor.organisationId) return deny('the worker is not in the manager’s organisation');
      }
    }
    await insertInvolvement(trx, {
      id,
      partnership_id: ctx.partnershipId,
      person_id: involvement.personId,
      organisation_id: involvement.organisationId,
      worker_user_id: involvement.workerUserId ?? null,
      role: involvement.role,
      start_date: involvement.startDate,
      end_date: involvement.endDate ?? null,
      last_activity_date: involvement.lastActivityDate ?? null,
      created_at: new Date(),
    });
  });
  return id;
}

/**
 * Records consent for the user's organisation's work with a person (early help is consent-based):
 * given, refused, or not sought — with the reason whenever information is shared without consent.
 */
export async function recordConsent(db: Kysely<DB>, ctx: ActorContext, input: { personId: string; status: ConsentStatus; reason?: string | null }): Promise<void> {
  await throughDoor(db, ctx, { action: 'consent.record', objectType: 'person', objectId: input.personId, details: { status: input.status } }, async ({ trx, deny }) => {
    const organisationId = ctx.actor.organisationId;
    if (!organisationId || !(hasRole(ctx, 'practitioner') || hasRole(ctx, 'manager'))) return deny('only practitioners and managers record consent');
    const basis = (await personAccess(trx, ctx, [input.personId])).get(input.personId);
    if (!basis || basis === 'governance') return deny('no legitimate relationship');
    await insertConsent(trx, {
      id: newId(),
      partnership_id: ctx.partnershipId,
      person_id: input.personId,
      organisation_id: organisationId,
      status: input.status,
      reason: input.reason?.trim() || null,
      recorded_by: ctx.actor.label,
      recorded_at: new Date(),
    });
  });
}
