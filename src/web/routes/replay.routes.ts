import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../audit/audit.service.js';
import { ruleTitle } from '../../alerts/alerts.service.js';
import type { DB } from '../../db/schema.js';
import { layoutTimeline, type TimelineMark } from '../../chronology/timeline.js';
import { renderTimelineSvg } from '../../chronology/timeline-svg.js';
import { timelineInput } from '../../chronology/timeline-data.js';
import { replayFile } from '../../patterns/replay-run.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { receiveUpload } from '../upload.js';
import type { RouteDef } from './route.js';

const ANALYSTS = guard.role('partnership-analyst');

/**
 * Replay for learning reviews: a partnership analyst uploads a reconstructed case history; it is
 * replayed in a throwaway store (nothing of it is kept, and it never meets the partnership's own
 * records), and the page shows where each alert would have fired and how long before the incident.
 * The names shown are those in the analyst's own file. The upload is audited (not its content).
 */
export function replayRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    { method: 'get', path: '/replay', guard: ANALYSTS, handler: (_req, res) => res.render('pages/replay.njk', { navSection: 'replay' }) },
    {
      method: 'post',
      path: '/replay',
      guard: ANALYSTS,
      handler: async (req, res) => {
        if (!req.is('multipart/form-data')) return res.status(400).render('pages/replay.njk', { navSection: 'replay', problems: ['Choose a case history file to replay.'] });
        const folder = await mkdtemp(join(tmpdir(), 'throughline-replay-'));
        try {
          const upload = await receiveUpload(req, folder);
          if (!upload) return res.status(400).render('pages/replay.njk', { navSection: 'replay', problems: ['Choose a case history file to replay.'] });
          const ctx = actorContext(req, 'replay a case history for a learning review');
          await db.transaction().execute((trx) => appendAudit(trx, ctx, { action: 'replay.run', objectType: 'file', details: { file: upload.name } }));
          const result = await replayFile(upload.path);
          if (!result.ok) return res.status(400).render('pages/replay.njk', { navSection: 'replay', problems: result.problems, file: upload.name });
          const { output, input } = result;
          const names = new Map(input.records.map((r) => [r.id, [r.givenName, r.familyName].filter(Boolean).join(' ') || (r.kind === 'unborn' ? 'Unborn baby' : r.id)]));
          const nameOf = (records: readonly string[]) => names.get(records[0] ?? '') ?? records[0] ?? '';
          // The picture: the children's plans, the alerts as marks, and the incident.
          const subjects = [...new Set(output.alerts.map((a) => a.subjectRecords[0]!))];
          const lanes = subjects.slice(0, 8).map((id) => ({ id, label: nameOf([id]), from: null }));
          const laneOf = new Map(subjects.map((id, i) => [id, i]));
          const personOfRecord = new Map(output.alerts.flatMap((a) => a.subjectRecords.map((r) => [r, a.subjectRecords[0]!] as const)));
          const events = input.events
            .filter((e) => e.type === 'plan-start' || e.type === 'plan-end' || e.type === 'incident')
            .map((e) => ({ id: e.id, type: e.type, date: e.date.sortKey, significant: false, persons: e.subjects.map((s) => personOfRecord.get(s) ?? s), details: e as unknown as Record<string, unknown>, about: e.about ?? [] }));
          const first = [...output.alerts.map((a) => a.raised), ...events.map((e) => e.date)].sort()[0] ?? output.asOf;
          const timeline = timelineInput(result.title ?? 'Replay', lanes, events, { from: first, to: output.asOf });
          for (const a of output.alerts) {
            const lane = laneOf.get(a.subjectRecords[0]!);
            const mark: TimelineMark = { date: a.raised, kind: 'alert', label: `${ruleTitle(a.rule)} (${nameOf(a.subjectRecords)})`, ...(lane !== undefined && lane < 8 ? { lane } : {}) };
            timeline.marks.push(mark);
          }
          res.render('pages/replay.njk', {
            navSection: 'replay',
            file: upload.name,
            title: result.title,
            output,
            timelineSvg: renderTimelineSvg(layoutTimeline(timeline, { width: 960 })),
            alerts: output.alerts.map((a) => ({ ...a, title: ruleTitle(a.rule), who: nameOf(a.subjectRecords), leadTimeDays: output.incident ? Math.round((Date.parse(output.incident.date) - Date.parse(a.raised)) / 86_400_000) : null })),
            expectations: output.expectations.map((x) => ({ ...x, title: ruleTitle(x.rule), who: names.get(x.subject) ?? x.subject })),
          });
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    },
  ];
}
