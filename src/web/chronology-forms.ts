// The recording forms: what each kind of entry asks, checked with zod, turned into an entry for
// the recording service. Field names follow GOV.UK patterns (a date is three inputs; radios for one
// choice, checkboxes for several); messages say what to do, as the GOV.UK error message guidance asks.
import { z } from 'zod';
import { isDay } from '../calendar/days.js';
import type { EntryInput, RecordingKind } from '../chronology/recording.service.js';
import { AGENCIES, CONCERN_CODES, REFERRAL_SOURCE_CODES, REFERRAL_TARGETS } from '../ingest/exchange-schema.js';

/** What each kind of entry is called, and the hint under it on the chooser. */
export const KIND_TEXT: Record<RecordingKind, { title: string; hint: string }> = {
  concern: { title: 'A concern', hint: 'A worry you have about the child, such as a safeguarding log entry.' },
  contact: { title: 'A contact', hint: 'Information your service received about the child or family, for example a call from a neighbour.' },
  observation: { title: 'An observation', hint: 'What you saw, heard or smelled, described as it was.' },
  'child-voice': { title: 'What the child said or showed', hint: 'The child’s own words, feelings or behaviour, in their words where you can.' },
  'home-visit': { title: 'A home visit', hint: 'Whether you got in, whether you saw the child, and whether alone.' },
  'lateral-check': { title: 'A check with another agency', hint: 'Who you checked with and what they said, so the call is not lost.' },
  appointment: { title: 'An appointment outcome', hint: 'Attended, not brought, or cancelled.' },
};

/** Words that label rather than describe (the observation form asks for what was actually seen). */
const LABEL_WORDS = ['cluttered', 'chaotic', 'unkempt', 'messy', 'dirty', 'neglected', 'poor home conditions', 'untidy', 'smelly', 'disorganised'];

/** Labelling words a description uses, for the observation form's prompt. */
export function labelWordsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return LABEL_WORDS.filter((w) => new RegExp(`\\b${w}\\b`).test(lower));
}

const summaryField = (message: string) => z.string().trim().min(1, message).max(10_000, 'Write 10,000 characters or fewer');

function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter(Boolean);
}

const checkboxList = z.preprocess(list, z.array(z.string()));

/** The fields every entry has. */
const common = z
  .object({
    dateDay: z.string().trim().catch(''),
    dateMonth: z.string().trim().catch(''),
    dateYear: z.string().trim().catch(''),
    time: z.string().trim().optional(),
    subjects: z.preprocess(list, z.array(z.string().uuid()).min(1, 'Select who the entry is about')),
    participants: checkboxList.optional(),
    significant: z.preprocess((v) => v === 'yes', z.boolean()),
    restricted: z.preprocess((v) => v === 'yes', z.boolean()),
    concerns: z.preprocess(list, z.array(z.enum(CONCERN_CODES as unknown as [string, ...string[]], { message: 'Select concerns from the list' }))),
    labelsConfirmed: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const day = `${v.dateYear.padStart(4, '0')}-${v.dateMonth.padStart(2, '0')}-${v.dateDay.padStart(2, '0')}`;
    if (!v.dateDay && !v.dateMonth && !v.dateYear) ctx.addIssue({ code: 'custom', path: ['dateDay'], message: 'Enter the date it happened' });
    else if (!/^\d{1,2}$/.test(v.dateDay) || !/^\d{1,2}$/.test(v.dateMonth) || !/^\d{4}$/.test(v.dateYear) || !isDay(day)) ctx.addIssue({ code: 'custom', path: ['dateDay'], message: 'Date it happened must be a real date, for example 27 3 2024' });
    if (v.time && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(v.time)) ctx.addIssue({ code: 'custom', path: ['time'], message: 'Time must be a time of day in 24-hour form, for example 14:30' });
  });

const KIND_SCHEMAS = {
  concern: z.object({ summary: summaryField('Describe the concern') }),
  contact: z.object({
    summary: summaryField('Describe what you were told'),
    from: z.enum(REFERRAL_SOURCE_CODES as unknown as [string, ...string[]], { message: 'Select who the information came from' }),
    to: z.enum(REFERRAL_TARGETS as unknown as [string, ...string[]], { message: 'Select which service received it' }),
    anonymous: z.preprocess((v) => v === 'yes', z.boolean()),
  }),
  observation: z.object({
    summary: summaryField('Describe what you saw, heard or smelled'),
    domain: z.enum(CONCERN_CODES as unknown as [string, ...string[]], { message: 'Select what the observation is about' }),
  }),
  'child-voice': z.object({
    summary: summaryField('Write what the child said or showed'),
    method: z.string().trim().min(1, 'Say how you heard it, for example “direct work” or “said at school”').max(200, 'Write 200 characters or fewer'),
  }),
  'home-visit': z
    .object({
      summary: summaryField('Describe the visit'),
      outcome: z.enum(['completed', 'no-access', 'declined', 'seen-outside-home', 'virtual'], { message: 'Select what happened' }),
      childSeen: z.enum(['yes', 'no'], { message: 'Select whether you saw the child in person' }),
      childSeenAlone: z.enum(['yes', 'no']).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.childSeen === 'yes' && !v.childSeenAlone) ctx.addIssue({ code: 'custom', path: ['childSeenAlone'], message: 'Select whether you saw the child on their own' });
      if (v.childSeen === 'yes' && (v.outcome === 'no-access' || v.outcome === 'virtual')) ctx.addIssue({ code: 'custom', path: ['childSeen'], message: 'A child on a video call or not let in was not seen in person: select “No”' });
    }),
  'lateral-check': z.object({
    summary: summaryField('Describe what you asked and why'),
    with: z.enum(AGENCIES as unknown as [string, ...string[]], { message: 'Select which agency you checked with' }),
    outcome: z.string().trim().min(1, 'Write what they told you').max(2000, 'Write 2,000 characters or fewer'),
  }),
  appointment: z.object({
    summary: summaryField('Describe the appointment'),
    service: z.string().trim().min(1, 'Enter the service, for example “speech and language therapy”').max(200, 'Write 200 characters or fewer'),
    status: z.enum(['attended', 'was-not-brought', 'did-not-attend', 'cancelled-by-family', 'cancelled-by-service', 'rearranged'], { message: 'Select what happened' }),
  }),
} satisfies Record<RecordingKind, z.ZodType>;

/** A form checked: the entry to record, or the form's errors. `labels` asks the recorder to confirm labelling words. */
export type ParsedEntryForm = { ok: true; entry: EntryInput } | { ok: false; error: z.ZodError } | { ok: 'confirm-labels'; labels: string[] };

/** Checks a submitted recording form. */
export function parseEntryForm(kind: RecordingKind, body: unknown): ParsedEntryForm {
  const sent = (body ?? {}) as Record<string, unknown>;
  // The GOV.UK date input names its parts "date-day", "date-month" and "date-year".
  const base = common.safeParse({ ...sent, dateDay: sent['date-day'] ?? '', dateMonth: sent['date-month'] ?? '', dateYear: sent['date-year'] ?? '' });
  const own = (KIND_SCHEMAS[kind] as z.ZodType<Record<string, unknown>>).safeParse(body);
  if (!base.success || !own.success) {
    const issues = [...(base.success ? [] : base.error.issues), ...(own.success ? [] : own.error.issues)];
    return { ok: false, error: new z.ZodError(issues) };
  }
  const b = base.data;
  const { summary, childSeen, childSeenAlone, anonymous, ...fields } = own.data as Record<string, unknown>;
  if (kind === 'observation' && b.labelsConfirmed !== 'yes') {
    const labels = labelWordsIn(String(summary));
    if (labels.length > 0) return { ok: 'confirm-labels', labels };
  }
  const day = `${b.dateYear}-${b.dateMonth.padStart(2, '0')}-${b.dateDay.padStart(2, '0')}`;
  const extra: Record<string, unknown> = { ...fields };
  if (kind === 'home-visit') {
    extra.childSeen = childSeen === 'yes';
    if (childSeen === 'yes') extra.childSeenAlone = childSeenAlone === 'yes';
  }
  if (kind === 'contact' && anonymous === true) extra.anonymous = true;
  return {
    ok: true,
    entry: {
      kind,
      date: b.time ? `${day}T${b.time.padStart(5, '0')}` : day,
      subjects: b.subjects,
      participants: (b.participants ?? []).filter((p) => /^[0-9a-f-]{36}$/i.test(p)),
      summary: String(summary),
      significant: b.significant,
      restricted: b.restricted,
      concerns: b.concerns,
      fields: extra,
    },
  };
}

/** The form's values for an entry (an amendment, or a draft), as the inputs are named. */
export function formValuesOf(entry: EntryInput): Record<string, unknown> {
  const [date, time] = entry.date.split('T');
  const [y, m, d] = (date ?? '').split('-');
  const f = entry.fields ?? {};
  return {
    'date-day': d ? String(Number(d)) : '',
    'date-month': m ? String(Number(m)) : '',
    'date-year': y ?? '',
    time: time?.slice(0, 5) ?? '',
    subjects: entry.subjects,
    participants: entry.participants ?? [],
    summary: entry.summary,
    significant: entry.significant ? 'yes' : '',
    restricted: entry.restricted ? 'yes' : '',
    concerns: entry.concerns ?? [],
    ...Object.fromEntries(Object.entries(f).filter(([k]) => !['childSeen', 'childSeenAlone', 'anonymous'].includes(k))),
    ...(typeof f.childSeen === 'boolean' ? { childSeen: f.childSeen ? 'yes' : 'no' } : {}),
    ...(typeof f.childSeenAlone === 'boolean' ? { childSeenAlone: f.childSeenAlone ? 'yes' : 'no' } : {}),
    ...(f.anonymous === true ? { anonymous: 'yes' } : {}),
  };
}
