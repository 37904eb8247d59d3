// Notification emails: "you have a new high alert" and a link, nothing more. An email leaves the
// system's protection (it may be read on a phone, forwarded, kept), so it carries no personal data:
// no name, no rule, no detail; the link opens the alert after signing in, through the usual checks.
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.js';
import { markEmailed, unemailed } from './inbox.js';

/** The email for one new alert: subject and text only (no HTML, no personal data). */
export function notificationEmail(severity: string, link: string): { subject: string; text: string } {
  const level = severity === 'high' ? 'high' : 'medium';
  return {
    subject: `Throughline: you have a new ${level} alert`,
    text: `You have a new ${level} alert in Throughline.\n\nSign in to see it: ${link}\n\nThis email holds no details on purpose. Do not reply to it.\n`,
  };
}

/**
 * Sends the notification emails for new inbox entries, after the evaluation that made them has
 * committed. A failure is logged and the entry left unemailed (the alert is in the app anyway).
 */
export async function sendNotificationEmails(db: Kysely<DB>, mail: { url: string; from: string }, publicUrl: string, entries: readonly { userId: string; alertId: string }[], logger: Logger): Promise<number> {
  const pending = await unemailed(db, entries);
  if (pending.length === 0) return 0;
  const transport = nodemailer.createTransport(mail.url);
  let sent = 0;
  try {
    for (const p of pending) {
      const message = notificationEmail(p.severity, `${publicUrl}/alerts/${p.alertId}`);
      try {
        await transport.sendMail({ from: mail.from, to: p.email, subject: message.subject, text: message.text });
        await markEmailed(db, p.userId, p.alertId);
        sent += 1;
      } catch (error) {
        logger.warn({ err: error, alertId: p.alertId }, 'a notification email could not be sent');
      }
    }
  } finally {
    transport.close();
  }
  return sent;
}
