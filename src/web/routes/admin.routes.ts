import type { Kysely } from 'kysely';
import { z } from 'zod';
import { describeAction, searchAudit } from '../../audit/audit-search.service.js';
import type { DB } from '../../db/schema.js';
import { csvLine } from '../../shared/csv.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import { formErrors } from '../form-errors.js';
import type { RouteDef } from './route.js';

const date = z.string().trim().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Enter dates as year-month-day, like 2026-11-01').optional();
const auditQuery = z.object({
  userId: z.union([z.string().uuid('Enter a user id'), z.literal('')]).optional(),
  personId: z.union([z.string().uuid('Enter a person id (from the address of their page)'), z.literal('')]).optional(),
  from: date,
  to: date,
  action: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});

const PAGE_SIZE = 50;
const AUDITORS = guard.role('admin', 'dpo');

/** The audit search and its CSV export, for administrators and the data protection officer. */
export function adminRoutes(db: Kysely<DB>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/admin/audit',
      guard: AUDITORS,
      handler: async (req, res) => {
        const parsed = auditQuery.safeParse(req.query);
        if (!parsed.success) return res.status(400).render('pages/audit-search.njk', { values: req.query, errors: formErrors(parsed.error), rows: [], actions: [], navSection: 'audit' });
        const { page: requestedPage, ...filter } = parsed.data;
        const page = requestedPage ?? 1;
        const { rows, actions } = await searchAudit(db, actorContext(req, 'audit search'), filter, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
        const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
        res.render('pages/audit-search.njk', { values: parsed.data, rows: rows.slice(0, PAGE_SIZE), actions, page, hasNext: rows.length > PAGE_SIZE, query, describeAction, navSection: 'audit' });
      },
    },
    {
      method: 'get',
      path: '/admin/audit.csv',
      guard: AUDITORS,
      handler: async (req, res) => {
        const parsed = auditQuery.safeParse(req.query);
        if (!parsed.success) return res.status(400).render('pages/error.njk', { status: 400, title: 'There is a problem with the request', message: parsed.error.issues[0]?.message });
        const { page: _page, ...filter } = parsed.data;
        const { rows } = await searchAudit(db, actorContext(req, 'audit export'), filter, { limit: 50_000, offset: 0 });
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="throughline-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
        res.write(csvLine(['when', 'who', 'organisation', 'action', 'what', 'object type', 'object id', 'purpose', 'outcome', 'access basis', 'lawful basis', 'ip', 'request']));
        for (const r of rows) {
          const details = (r.details ?? {}) as { basis?: string; lawfulBasis?: string };
          res.write(csvLine([r.occurred_at, r.actor_label, r.organisation_name, r.action, describeAction(r.action), r.object_type, r.object_id, r.purpose, r.outcome, details.basis, details.lawfulBasis, r.ip, r.correlation_id]));
        }
        res.end();
      },
    },
  ];
}
