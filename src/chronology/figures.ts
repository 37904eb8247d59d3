// Attendance and appointment figures for each child over a chosen period, by service, as case
// reviews give them ("brought to 6 of 25 outpatient appointments (24%)"; nursery attendance 29%).
// An appointment counts when it was attended, the child was not brought (or "did not attend"), or
// the family cancelled it; appointments cancelled or rearranged by the service are not counted,
// because nobody was expected to come. Pure.
import type { Day } from '../calendar/days.js';

/** An attendance summary as the figures need it. */
export interface FigureEvent {
  type: string;
  date: Day;
  sourceKey: string;
  persons: readonly string[];
  details: Readonly<Record<string, unknown>> | null;
}

/** How many of one person's appointments with one service of one source had one outcome. */
export interface AppointmentCount {
  personId: string;
  sourceKey: string;
  service: string | null;
  status: string;
  count: number;
}

/** One line of appointment figures. */
export interface AppointmentFigure {
  source: string;
  service: string;
  attended: number;
  counted: number;
  text: string;
}

/** One line of school or nursery attendance. */
export interface AttendanceFigure {
  setting: string;
  from: Day;
  to: Day;
  possible: number;
  attended: number;
  unauthorised: number | null;
  text: string;
}

/** A child's figures for the period. */
export interface ChildFigures {
  personId: string;
  name: string;
  appointments: AppointmentFigure[];
  /** Every counted appointment of the child together. */
  allAppointments: AppointmentFigure | null;
  attendance: AttendanceFigure[];
  /** Attendance over the whole period, per setting. */
  attendanceOverall: AttendanceFigure[];
}

const COUNTED = new Set(['attended', 'was-not-brought', 'did-not-attend', 'cancelled-by-family']);

/** The service an appointment belongs to for the figures: its text before any ":" or "(" ("outpatients: ENT" → "outpatients"). */
export function serviceGroup(service: unknown): string {
  const text = typeof service === 'string' ? service.trim() : '';
  if (!text) return 'other';
  return text.split(/[:(]/)[0]!.trim().toLowerCase() || 'other';
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}

/** "Brought to 6 of 25 outpatient appointments (24%)", "Brought to 1 of 3 appointments for physiotherapy (33%)". */
function broughtText(group: string, attended: number, counted: number): string {
  const share = `(${pct(attended, counted)})`;
  if (group === 'outpatients') return `Brought to ${attended} of ${counted} outpatient appointments ${share}`;
  if (group === 'other') return `Brought to ${attended} of ${counted} appointments ${share}`;
  return `Brought to ${attended} of ${counted} appointments for ${group} ${share}`;
}

const SETTING_NAMES: Readonly<Record<string, string>> = { school: 'School', 'early-years': 'Nursery (early years)' };

/**
 * Works out each child's figures for the period (both ends included) from the counts of their
 * appointments in it and their attendance summaries.
 */
export function childFigures(
  children: readonly { id: string; name: string }[],
  appointmentCounts: readonly AppointmentCount[],
  events: readonly FigureEvent[],
  sourceName: (key: string) => string,
  period: { from: Day | null; to: Day | null },
): ChildFigures[] {
  const inPeriod = (d: Day) => (period.from === null || d >= period.from) && (period.to === null || d <= period.to);
  return children.map((child) => {
    const groups = new Map<string, AppointmentFigure>();
    let attendedAll = 0;
    let countedAll = 0;
    const attendance: AttendanceFigure[] = [];
    for (const a of appointmentCounts) {
      if (a.personId !== child.id || !COUNTED.has(a.status)) continue;
      const service = serviceGroup(a.service);
      const key = `${a.sourceKey}\u0000${service}`;
      const line = groups.get(key) ?? { source: sourceName(a.sourceKey), service, attended: 0, counted: 0, text: '' };
      line.counted += a.count;
      countedAll += a.count;
      if (a.status === 'attended') {
        line.attended += a.count;
        attendedAll += a.count;
      }
      groups.set(key, line);
    }
    for (const e of events) {
      if (!e.persons.includes(child.id) || !inPeriod(e.date)) continue;
      const d = e.details ?? {};
      if (e.type === 'attendance-summary' && typeof d.possibleSessions === 'number' && typeof d.attendedSessions === 'number') {
        const setting = String(d.setting ?? 'school');
        const unauthorised = typeof d.unauthorisedSessions === 'number' ? d.unauthorisedSessions : null;
        attendance.push({
          setting,
          from: String(d.from ?? e.date),
          to: String(d.to ?? e.date),
          possible: d.possibleSessions,
          attended: d.attendedSessions,
          unauthorised,
          text: `${SETTING_NAMES[setting] ?? setting}: ${pct(d.attendedSessions, d.possibleSessions)} attendance (${d.attendedSessions} of ${d.possibleSessions} sessions${unauthorised !== null ? `, ${unauthorised} unauthorised absence` : ''})`,
        });
      }
    }
    const appointments = [...groups.values()]
      .map((g) => ({ ...g, text: `${broughtText(g.service, g.attended, g.counted)}, ${g.source}` }))
      .sort((a, b) => b.counted - a.counted || a.text.localeCompare(b.text));
    const overall = new Map<string, AttendanceFigure>();
    for (const a of attendance) {
      const o = overall.get(a.setting) ?? { setting: a.setting, from: a.from, to: a.to, possible: 0, attended: 0, unauthorised: null, text: '' };
      o.possible += a.possible;
      o.attended += a.attended;
      if (a.unauthorised !== null) o.unauthorised = (o.unauthorised ?? 0) + a.unauthorised;
      if (a.from < o.from) o.from = a.from;
      if (a.to > o.to) o.to = a.to;
      overall.set(a.setting, o);
    }
    return {
      personId: child.id,
      name: child.name,
      appointments,
      allAppointments: countedAll === 0 ? null : { source: 'all services', service: 'all', attended: attendedAll, counted: countedAll, text: `Brought to ${attendedAll} of ${countedAll} appointments in all (${pct(attendedAll, countedAll)})` },
      attendance: attendance.sort((a, b) => (a.from < b.from ? -1 : 1)),
      attendanceOverall: [...overall.values()].map((o) => ({ ...o, text: `${SETTING_NAMES[o.setting] ?? o.setting} over the period: ${pct(o.attended, o.possible)} (${o.attended} of ${o.possible} sessions)` })),
    };
  });
}
