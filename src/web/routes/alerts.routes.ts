import type { Kysely } from 'kysely';
import { z } from 'zod';
import { getAlert, listAlerts, respondToAlert, rulesOverview, ruleTitle, type AlertListQuery } from '../../alerts/alerts.service.js';
import type { DB } from '../../db/schema.js';
import { ALL_RULES } from '../../patterns/rules/index.js';
import { formErrors } from '../form-errors.js';
import { actorContext, guard } from '../middleware/guards.middleware.js';
import type { RouteDef } from './route.js';

const WORKERS = guard.role('practitioner', 'manager', 'front-door');

const listQuery = z.object({
  rule: z.enum(ALL_RULES.map((r) => r.id) as [string, ...string[]]).optional().catch(undefined),
  severity: z.enum(['medium', 'high']).optional().catch(undefined),
  age: z.coerce.number().int().min(0).max(3650).optional().catch(undefined),
  status: z.enum(['open', 'closed', 'all']).optional().catch(undefined),
  sort: z.enum(['newest', 'oldest', 'severity']).optional().catch(undefined),
});

const responseForm = z
  .object({
    kind: z.enum(['acknowledged', 'action-taken', 'escalated', 'signed-off'], { message: 'Select how you are responding' }),
    reason: z.string().trim().min(5, 'Write why, in a few words').max(4000, 'Write 4,000 characters or fewer'),
    managerId: z.string().uuid().optional().or(z.literal('')),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'escalated' && !v.managerId) ctx.addIssue({ code: 'custom', path: ['managerId'], message: 'Select the manager you are escalating to' });
  });

/** "My alerts", "Team alerts", an alert's page and the responses to it, and the rules page. */
export function alertRoutes(db: Kysely<DB>): RouteDef[] {
  const list = (scope: AlertListQuery['scope']): RouteDef['handler'] => async (req, res) => {
    const q = listQuery.parse(req.query);
    const alerts = await listAlerts(db, actorContext(req, 'read alerts'), { scope, rule: q.rule, severity: q.severity, olderThanDays: q.age, status: q.status, sort: q.sort });
    res.render('pages/alerts.njk', { navSection: 'alerts', scope, alerts, query: q, rules: ALL_RULES.map((r) => ({ value: r.id, text: r.title })) });
  };
  return [
    { method: 'get', path: '/alerts', guard: WORKERS, handler: list('mine') },
    { method: 'get', path: '/alerts/team', guard: WORKERS, handler: list('team') },
    {
      method: 'get',
      path: '/alerts/:id',
      guard: WORKERS,
      handler: async (req, res) => {
        const alert = await getAlert(db, actorContext(req, 'read an alert'), String(req.params.id));
        res.render('pages/alert.njk', { navSection: 'alerts', alert, values: {}, flash: req.query });
      },
    },
    {
      method: 'post',
      path: '/alerts/:id/respond',
      guard: WORKERS,
      handler: async (req, res) => {
        const ctx = actorContext(req, 'respond to an alert');
        const parsed = responseForm.safeParse(req.body);
        if (!parsed.success) {
          const alert = await getAlert(db, ctx, String(req.params.id));
          return res.status(400).render('pages/alert.njk', { navSection: 'alerts', alert, values: req.body, errors: formErrors(parsed.error) });
        }
        const outcome = await respondToAlert(db, ctx, String(req.params.id), { kind: parsed.data.kind, reason: parsed.data.reason, ...(parsed.data.managerId ? { managerId: parsed.data.managerId } : {}) });
        res.redirect(303, `/alerts/${String(req.params.id)}?responded=${parsed.data.kind}${outcome.closed ? '&closed=1' : ''}`);
      },
    },
    {
      method: 'get',
      path: '/rules',
      guard: guard.signedIn,
      handler: async (req, res) => {
        const rules = await rulesOverview(db, actorContext(req, 'read the rules'));
        res.render('pages/rules.njk', { navSection: 'rules', rules, ruleTitle });
      },
    },
  ];
}
