// Words for the chronology: what each event type, agency, concern and field value is called on a
// page, in a CSV cell and in a PDF. Plain English, as a practitioner would write it. Pure.
import { ukDate } from '../shared/uk-date.js';

const TYPE_LABELS: Readonly<Record<string, string>> = {
  contact: 'Contact',
  referral: 'Referral',
  concern: 'Concern',
  'lateral-check': 'Check with another agency',
  'threshold-decision': 'Front door decision',
  'strategy-discussion': 'Strategy discussion',
  'section-47': 'Child protection enquiry (section 47)',
  assessment: 'Assessment',
  'plan-start': 'Plan started',
  'plan-end': 'Plan ended',
  meeting: 'Meeting',
  appointment: 'Appointment',
  'home-visit': 'Home visit',
  'attendance-summary': 'Attendance',
  'ed-attendance': 'Emergency department attendance',
  'police-incident': 'Police incident',
  pregnancy: 'Pregnancy',
  birth: 'Birth',
  household: 'Household change',
  move: 'Move',
  factor: 'Factor',
  service: 'Service',
  'care-proceedings': 'Care proceedings',
  observation: 'Observation',
  'child-voice': 'Voice of the child',
  escalation: 'Escalation',
  'case-audit': 'Case audit',
  incident: 'Serious incident',
};

/** The page label of an event type ("Home visit"). */
export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

/** Every event type with its label, in the order filters list them. */
export function eventTypeOptions(): { value: string; text: string }[] {
  return Object.entries(TYPE_LABELS)
    .map(([value, text]) => ({ value, text }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

const AGENCY_LABELS: Readonly<Record<string, string>> = {
  'childrens-social-care': "Children's social care",
  'early-help': 'Early help',
  'health-visiting': 'Health visiting',
  midwifery: 'Midwifery',
  gp: 'GP',
  hospital: 'Hospital',
  'community-health': 'Community health',
  ambulance: 'Ambulance service',
  school: 'School',
  'early-years': 'Early years',
  police: 'Police',
  housing: 'Housing',
  'adult-mental-health': 'Adult mental health',
  'drug-alcohol-service': 'Drug and alcohol service',
  'adult-social-care': 'Adult social care',
  'leaving-care': 'Leaving care',
  probation: 'Probation',
  'voluntary-sector': 'Voluntary sector',
  'other-local-authority': 'Another local authority',
  public: 'Member of the public',
  other: 'Other',
};

/** The label of an agency code ("Health visiting"). */
export function agencyLabel(agency: string): string {
  return AGENCY_LABELS[agency] ?? agency;
}

/** Every agency with its label. */
export function agencyOptions(): { value: string; text: string }[] {
  return Object.entries(AGENCY_LABELS).map(([value, text]) => ({ value, text }));
}

const CONCERN_LABELS: Readonly<Record<string, string>> = {
  'neglect-medical': 'Medical neglect',
  'neglect-nutritional': 'Nutritional neglect',
  'neglect-emotional': 'Emotional neglect',
  'neglect-educational': 'Educational neglect',
  'neglect-physical': 'Physical neglect',
  'neglect-supervision': 'Lack of supervision',
  'home-conditions': 'Home conditions',
  hygiene: 'Hygiene',
  development: 'Development',
  behaviour: 'Behaviour',
  'domestic-abuse': 'Domestic abuse',
  'substance-misuse': 'Substance misuse',
  'mental-health': 'Mental health',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'emotional-abuse': 'Emotional abuse',
  financial: 'Financial',
  housing: 'Housing',
  injury: 'Injury',
  other: 'Other',
};

/** The label of a concern code ("Nutritional neglect"). */
export function concernLabel(code: string): string {
  return CONCERN_LABELS[code] ?? code;
}

/** Every concern with its label. */
export function concernOptions(): { value: string; text: string }[] {
  return Object.entries(CONCERN_LABELS).map(([value, text]) => ({ value, text }));
}

/**
 * A date as recorded, keeping its precision: "3 May 2019", "May 2019", "2019", or with its time
 * for a moment ("14 October 2020, 22:05").
 */
export function dateLabel(value: string): string {
  const moment = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (moment) return `${ukDate(moment[1])}, ${moment[2]}:${moment[3]}`;
  return ukDate(value);
}

function words(code: unknown): string {
  return typeof code === 'string' ? code.replace(/-/g, ' ') : '';
}

const PLAN_NAMES: Readonly<Record<string, string>> = {
  'early-help': 'early help',
  'child-in-need': 'child in need',
  'child-protection': 'child protection',
  'looked-after': 'looked after',
};

const CATEGORY_NAMES: Readonly<Record<string, string>> = { NEG: 'neglect', PHY: 'physical abuse', EMO: 'emotional abuse', SAB: 'sexual abuse', MUL: 'multiple' };

/** A plan's name in words ("child protection plan (neglect)"). */
export function planName(plan: unknown, category?: unknown): string {
  const name = `${PLAN_NAMES[String(plan)] ?? words(plan)} plan`;
  return typeof category === 'string' && CATEGORY_NAMES[category] ? `${name} (${CATEGORY_NAMES[category]})` : name;
}

/**
 * The type-specific facts of an event as short lines for the page, the CSV summary and the PDF:
 * "Was not brought (outpatients: ENT)", "Child seen alone", "Level 4: assessment".
 */
export function detailLines(type: string, d: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const add = (text: string | false | undefined | null) => {
    if (text) lines.push(text);
  };
  switch (type) {
    case 'contact':
    case 'referral':
      add(d.to ? `To ${words(d.to)}` : null);
      add(d.preBirth === true && 'Pre-birth referral');
      add(d.anonymous === true && 'Anonymous');
      break;
    case 'lateral-check':
      add(`With ${words(d.with)}${typeof d.outcome === 'string' ? `: ${d.outcome}` : ''}`);
      break;
    case 'threshold-decision':
      add(`${d.level ? `Level ${String(d.level)}: ` : ''}${words(d.outcome)}`);
      add(d.historyConsidered === true ? 'Family history considered' : d.historyConsidered === false ? 'Family history not considered' : null);
      add(typeof d.rationale === 'string' && `Rationale: ${d.rationale}`);
      break;
    case 'strategy-discussion':
    case 'section-47':
      add(d.outcome ? `Outcome: ${words(d.outcome)}` : null);
      add(Array.isArray(d.dissent) && d.dissent.length > 0 && `Disagreed: ${d.dissent.map(words).join(', ')}`);
      break;
    case 'assessment':
      add(`${words(d.kind)} assessment ${words(d.status)}`);
      add(typeof d.outcome === 'string' && `Outcome: ${d.outcome}`);
      add(Array.isArray(d.factors) && d.factors.length > 0 && `Factors: ${d.factors.join(', ')}`);
      add(typeof d.grades === 'object' && d.grades !== null && `Grades: ${Object.entries(d.grades).map(([k, v]) => `${words(k)} ${String(v)}`).join(', ')}`);
      break;
    case 'plan-start':
      add(`${planName(d.plan, d.category)}${typeof d.authority === 'string' ? `, ${d.authority}` : ''}`);
      break;
    case 'plan-end':
      add(`${planName(d.plan)}${d.reason ? ` ended: ${words(d.reason)}` : ''}${d.stepTo ? `, stepped to ${planName(d.stepTo)}` : ''}`);
      add(Array.isArray(d.dissent) && d.dissent.length > 0 && `Disagreed: ${d.dissent.map(words).join(', ')}`);
      break;
    case 'meeting':
      add(`${words(d.kind)}${d.held === false ? ' (cancelled)' : ''}${d.progress ? `: progress ${words(d.progress)}` : ''}`);
      add(typeof d.decision === 'string' && `Decision: ${d.decision}`);
      add(Array.isArray(d.dissent) && d.dissent.length > 0 && `Disagreed: ${d.dissent.map(words).join(', ')}`);
      break;
    case 'appointment':
      add(`${words(d.status).replace(/^./, (c) => c.toUpperCase())}${typeof d.service === 'string' ? ` (${d.service})` : ''}`);
      break;
    case 'home-visit':
      add(`Visit ${words(d.outcome)}`);
      add(d.childSeen === true ? (d.childSeenAlone === true ? 'Child seen alone' : 'Child seen') : d.childSeen === false ? 'Child not seen' : null);
      break;
    case 'attendance-summary':
      if (typeof d.possibleSessions === 'number' && typeof d.attendedSessions === 'number') {
        const pct = d.possibleSessions > 0 ? Math.round((d.attendedSessions / d.possibleSessions) * 100) : 0;
        add(`${words(d.setting)}: ${d.attendedSessions} of ${d.possibleSessions} sessions (${pct}%)${typeof d.unauthorisedSessions === 'number' ? `, ${d.unauthorisedSessions} unauthorised` : ''}`);
      }
      break;
    case 'ed-attendance':
      add(`Reason: ${words(d.reason)}${d.admitted === true ? ', admitted' : ''}`);
      break;
    case 'police-incident':
      add(`Kind: ${words(d.kind)}`);
      break;
    case 'pregnancy':
      add(typeof d.expectedDate === 'string' && `Expected ${ukDate(d.expectedDate)}`);
      add(typeof d.gestationWeeks === 'number' && `${d.gestationWeeks} weeks`);
      break;
    case 'household':
      add(`${words(d.change)}`);
      break;
    case 'move':
      add(typeof d.authority === 'string' && `To ${d.authority}`);
      break;
    case 'factor':
      add(`${String(d.code)}: ${words(d.status)}`);
      break;
    case 'service':
      add(`${words(d.service)}: ${words(d.status)}`);
      break;
    case 'care-proceedings':
      add(`Outcome: ${words(d.outcome)}`);
      break;
    case 'observation':
      add(typeof d.domain === 'string' && `About: ${concernLabel(d.domain)}`);
      break;
    case 'child-voice':
      add(typeof d.method === 'string' && `How: ${d.method}`);
      break;
    case 'escalation':
      add(`${d.stage ? `Stage ${String(d.stage)}, ` : ''}${words(d.status)}`);
      break;
    case 'case-audit':
      add(`Rating: ${words(d.rating)}`);
      add(typeof d.recommendation === 'string' && `Recommendation: ${d.recommendation}`);
      break;
    case 'incident':
      add(`Kind: ${words(d.kind)}`);
      break;
  }
  return lines;
}
