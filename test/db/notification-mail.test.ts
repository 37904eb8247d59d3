import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendNotificationEmails } from '../../src/alerts/notification-mail.js';
import type { Database } from '../../src/db/database.js';
import { loadDemoData } from '../../src/demo/demo-data.js';
import { createLogger } from '../../src/shared/logger.js';
import { describeEachStore } from '../helpers/stores.js';

// Notification emails go through a configured SMTP server and carry no personal data: just "you
// have a new <severity> alert" and a link. A tiny SMTP server here receives them.
function smtpServer(): Promise<{ server: Server; url: string; messages: string[] }> {
  const messages: string[] = [];
  const server = createServer((socket) => {
    let data = false;
    let body = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('utf8').split('\r\n')) {
        if (data) {
          if (line === '.') {
            data = false;
            messages.push(body);
            body = '';
            socket.write('250 queued\r\n');
          } else body += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (!line) continue;
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 test\r\n');
        else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') socket.write('250 ok\r\n');
        else if (verb === 'DATA') {
          data = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, messages })));
}

describeEachStore('notification emails', (target) => {
  let store: Database;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  beforeAll(async () => {
    store = await target.open();
    await loadDemoData(store.db, { production: false });
    smtp = await smtpServer();
  });
  afterAll(async () => {
    smtp.server.close();
    await store.close();
  });

  it('are sent for new inbox entries, once, with no personal data', async () => {
    const inbox = await store.db.selectFrom('alert_inbox').select(['user_id', 'alert_id']).execute();
    expect(inbox.length).toBeGreaterThan(0);
    const entries = inbox.map((i) => ({ userId: i.user_id, alertId: i.alert_id }));
    const sent = await sendNotificationEmails(store.db, { url: smtp.url, from: 'Throughline <alerts@throughline.test>' }, 'https://throughline.example.test', entries, createLogger('silent'));
    expect(sent).toBe(inbox.length);
    expect(smtp.messages).toHaveLength(inbox.length);
    const names = (await store.db.selectFrom('persons').select(['given_name', 'family_name']).execute()).flatMap((p) => [p.given_name, p.family_name]).filter((n): n is string => Boolean(n) && n!.length > 2);
    for (const raw of smtp.messages) {
      // Quoted-printable: soft line breaks and =XX escapes.
      const m = raw.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      expect(m).toMatch(/Subject: Throughline: you have a new (high|medium) alert/);
      expect(m).toMatch(/https:\/\/throughline\.example\.test\/alerts\/[0-9a-f-]{36}/);
      for (const name of names) expect(m).not.toContain(name);
    }
    // Once each: a second run sends nothing.
    expect(await sendNotificationEmails(store.db, { url: smtp.url, from: 'alerts@throughline.test' }, 'https://throughline.example.test', entries, createLogger('silent'))).toBe(0);
  });
});
