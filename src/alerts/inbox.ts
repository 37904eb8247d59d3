// A user's alert inbox, counted for the navigation. The inbox holds ids only (which alert, whose
// inbox, whether it is open and new): no personal data, so counting it needs no read of anyone's
// record. Opening an alert reads the record, through the data-access door (alerts.service.ts).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** How many alerts in a user's inbox are open, and how many of those they have not opened yet. */
export async function openInboxCount(db: Kysely<DB>, userId: string): Promise<{ open: number; unread: number }> {
  const row = await db
    .selectFrom('alert_inbox')
    .select((eb) => [eb.fn.countAll<string>().as('open'), eb.fn.sum<string>(sql`case when unread then 1 else 0 end`).as('unread')])
    .where('user_id', '=', userId)
    .where('open', '=', true)
    .executeTakeFirst();
  return { open: Number(row?.open ?? 0), unread: Number(row?.unread ?? 0) };
}

/** Inbox entries not yet emailed (for the notification email), with the recipient's address. */
export async function unemailed(db: Kysely<DB>, entries: readonly { userId: string; alertId: string }[]): Promise<{ userId: string; alertId: string; email: string; severity: string }[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .selectFrom('alert_inbox as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['i.user_id', 'i.alert_id', 'i.severity', 'u.email'])
    .where('i.emailed_at', 'is', null)
    .where('i.alert_id', 'in', [...new Set(entries.map((e) => e.alertId))])
    .execute();
  const wanted = new Set(entries.map((e) => `${e.userId}|${e.alertId}`));
  return rows.filter((r) => wanted.has(`${r.user_id}|${r.alert_id}`)).map((r) => ({ userId: r.user_id, alertId: r.alert_id, email: r.email, severity: r.severity }));
}

/** Marks an inbox entry as emailed. */
export async function markEmailed(db: Kysely<DB>, userId: string, alertId: string): Promise<void> {
  await db.updateTable('alert_inbox').set({ emailed_at: new Date() }).where('user_id', '=', userId).where('alert_id', '=', alertId).execute();
}
