/**
 * A seeded generator of whole-family case histories in the exchange format, for the chronology and
 * rules benchmarks: a mother, a father living apart, a new partner, four children, each recorded
 * by several agencies, and a long run of events of every common kind (appointments, home visits,
 * school attendance, contacts and referrals, plans, police incidents, emergency attendances).
 * Deterministic: the same seed gives the same family on every machine. Everyone is invented.
 */
import { mulberry32 } from './generate-people.js';

/** One family as NDJSON lines (header first), and the record ids of its people. */
export interface GeneratedFamily {
  lines: string[];
  /** Record ids per person: [mother, father, partner, child1..child4]. */
  people: string[][];
  events: number;
}

const SOURCES = [
  { id: 'csc', agency: 'childrens-social-care', name: 'Benchshire Children’s Social Care', authority: 'Benchshire' },
  { id: 'hv', agency: 'health-visiting', name: 'Benchshire Health Visiting' },
  { id: 'hosp', agency: 'hospital', name: 'Benchshire Hospital' },
  { id: 'school', agency: 'school', name: 'Benchshire Primary' },
  { id: 'police', agency: 'police', name: 'Benchshire Police' },
  { id: 'gp', agency: 'gp', name: 'Bench Lane Surgery' },
];

function day(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A family whose history ends at `end` (YYYY-MM-DD), with about `events` events spread over the
 * fifteen years before it. `prefix` keeps several families in one partnership apart.
 */
export function generateFamily(options: { seed: number; events: number; end: string; prefix?: string }): GeneratedFamily {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const p = options.prefix ?? 'f';
  const endDay = Math.floor(Date.parse(`${options.end}T00:00:00Z`) / 86_400_000);
  const startDay = endDay - 15 * 365;
  const lines: string[] = [JSON.stringify({ object: 'header', format: 'throughline-exchange/1', title: `Generated family ${p}` })];
  for (const s of SOURCES) lines.push(JSON.stringify({ object: 'source', ...s }));
  const surname = pick(['Ashby', 'Brennan', 'Calloway', 'Dunmore', 'Ellery', 'Fairbairn', 'Garside', 'Holloway']);
  const adults = [
    { key: 'mother', given: pick(['Leanne', 'Kayleigh', 'Stacey', 'Jade']), sex: 'female', dob: day(startDay - 20 * 365) },
    { key: 'father', given: pick(['Craig', 'Dean', 'Wayne', 'Liam']), sex: 'male', dob: day(startDay - 23 * 365) },
    { key: 'partner', given: pick(['Ryan', 'Kyle', 'Aaron', 'Jordan']), sex: 'male', dob: day(startDay - 18 * 365) },
  ];
  const children = [1, 2, 3, 4].map((n) => ({ key: `child${n}`, given: pick(['Ruby', 'Alfie', 'Evie', 'Noah', 'Poppy', 'Tyler', 'Mia', 'Kai']), sex: random() < 0.5 ? 'female' : 'male', dob: day(startDay + (n - 1) * 700 + Math.floor(random() * 200)) }));
  const people: string[][] = [];
  for (const person of [...adults, ...children]) {
    const records: string[] = [];
    for (const source of ['csc', 'hv', 'school', 'gp']) {
      if (source === 'school' && !person.key.startsWith('child')) continue;
      const id = `${p}:${source}:${person.key}`;
      records.push(id);
      lines.push(JSON.stringify({ object: 'record', id, source, givenName: person.given, familyName: person.key === 'partner' ? 'Marsh' : surname, dateOfBirth: person.dob, sex: person.sex, address: { line1: `${1 + Math.floor(random() * 90)} Bench Street`, town: 'Benchtown', postcode: 'BN1 2AB' } }));
    }
    people.push(records);
  }
  const [mother, father, partner] = people as [string[], string[], string[]];
  let r = 0;
  const rel = (from: string, to: string, type: string, extra: Record<string, unknown> = {}) => lines.push(JSON.stringify({ object: 'relationship', id: `${p}:csc:r${++r}`, source: 'csc', from, to, type, ...extra }));
  for (const child of people.slice(3)) {
    rel(mother[0]!, child[0]!, 'mother');
    rel(father[0]!, child[0]!, 'father', { livesElsewhere: true });
  }
  rel(partner[0]!, mother[0]!, 'partner', { start: day(endDay - 800) });

  const kinds = [
    { weight: 40, make: (c: string, d: string) => ({ type: 'appointment', source: pick(['hosp', 'gp', 'hv']), subjects: [c], service: pick(['outpatients: audiology', 'outpatients: general paediatrics', 'immunisations', 'speech and language therapy']), status: pick(['attended', 'attended', 'attended', 'was-not-brought', 'cancelled-by-family']), date: d }) },
    { weight: 20, make: (c: string, d: string) => ({ type: 'home-visit', source: pick(['hv', 'csc']), subjects: [c], outcome: pick(['completed', 'completed', 'no-access']), childSeen: random() < 0.8, date: d }) },
    { weight: 10, make: (c: string, d: string) => ({ type: 'concern', source: 'school', subjects: [c], concerns: [pick(['hygiene', 'neglect-nutritional', 'behaviour'])], summary: 'Logged by the designated safeguarding lead.', date: d }) },
    { weight: 8, make: (c: string, d: string) => ({ type: 'attendance-summary', source: 'school', subjects: [c], setting: 'school', from: d, to: d, possibleSessions: 60, attendedSessions: 40 + Math.floor(random() * 20), date: d }) },
    { weight: 6, make: (c: string, d: string) => ({ type: 'contact', source: 'csc', subjects: [c], from: pick(['2A', '3B', '6', '9']), to: 'childrens-social-care', summary: 'Information received at the front door.', date: d }) },
    { weight: 4, make: (c: string, d: string) => ({ type: 'police-incident', source: 'police', subjects: [mother[0]!], kind: pick(['domestic-abuse', 'welfare']), childrenPresent: [c], date: d }) },
    { weight: 4, make: (c: string, d: string) => ({ type: 'ed-attendance', source: 'hosp', subjects: [c], reason: pick(['illness', 'breathing', 'injury']), date: d }) },
    { weight: 4, make: (c: string, d: string) => ({ type: 'observation', source: 'hv', subjects: [c], domain: pick(['home-conditions', 'hygiene', 'development']), summary: 'Described what was seen at the visit.', date: d }) },
    { weight: 2, make: (c: string, d: string) => ({ type: 'lateral-check', source: 'csc', subjects: [c], with: pick(['school', 'police', 'health-visiting']), outcome: 'Nothing new known.', date: d }) },
    { weight: 2, make: (c: string, d: string) => ({ type: 'child-voice', source: 'school', subjects: [c], method: 'said at school', summary: 'Said they were hungry at break.', date: d }) },
  ];
  const total = kinds.reduce((n, k) => n + k.weight, 0);
  const count = Math.max(0, options.events - 8);
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const child = people[3 + Math.floor(random() * 4)]!;
    let roll = random() * total;
    const kind = kinds.find((k) => (roll -= k.weight) < 0) ?? kinds[0]!;
    const d = day(startDay + Math.floor(random() * (endDay - startDay)));
    events.push({ ...kind.make(child[0]!, d) });
  }
  // A child-in-need plan, then a child-protection plan, for the eldest; early help for the family.
  const eldest = people[3]![0]!;
  events.push({ type: 'plan-start', source: 'csc', subjects: [eldest], plan: 'early-help', date: day(endDay - 3000), id: `${p}:csc:plan1` });
  events.push({ type: 'plan-end', source: 'csc', subjects: [eldest], plan: 'early-help', reason: 'improvement', about: [`${p}:csc:plan1`], date: day(endDay - 2700) });
  events.push({ type: 'plan-start', source: 'csc', subjects: [eldest], plan: 'child-in-need', date: day(endDay - 1500), id: `${p}:csc:plan2` });
  events.push({ type: 'plan-end', source: 'csc', subjects: [eldest], plan: 'child-in-need', reason: 'step-up', about: [`${p}:csc:plan2`], date: day(endDay - 1200) });
  events.push({ type: 'plan-start', source: 'csc', subjects: [eldest], plan: 'child-protection', category: 'NEG', date: day(endDay - 1200), id: `${p}:csc:plan3` });
  events.push({ type: 'pregnancy', source: 'gp', subjects: [mother[0]!], expectedDate: day(endDay + 90), date: day(endDay - 150) });
  events.push({ type: 'move', source: 'csc', subjects: [mother[0]!, ...people.slice(3).map((c) => c[0]!)], address: { line1: '4 New Road', town: 'Benchtown', postcode: 'BN3 4CD' }, date: day(endDay - 400) });
  events.push({ type: 'household', source: 'csc', subjects: people.slice(3).map((c) => c[0]!), change: 'joined', person: partner[0]!, date: day(endDay - 800) });
  const perSource = new Map<string, number>();
  events.sort((a, b) => String(a.date).localeCompare(String(b.date)));
  for (const e of events) {
    const source = String(e.source);
    const n = (perSource.get(source) ?? 0) + 1;
    perSource.set(source, n);
    lines.push(JSON.stringify({ object: 'event', id: e.id ?? `${p}:${source}:e${n}`, ...e }));
  }
  return { lines, people, events: events.length };
}
