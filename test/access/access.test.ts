import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/access/cli-context.js';
import { appendAudit } from '../../src/audit/audit.service.js';
import type { Database } from '../../src/db/database.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { getPersonView, searchPeople } from '../../src/people/people.service.js';
import { pgliteTarget } from '../helpers/stores.js';
import { userContext } from '../helpers/builders.js';
import { startApp, WebClient, type RunningApp } from '../helpers/web-client.js';

// Need-to-know access end to end, on the demo partnership: guessing ids, searching, break-glass and
// its expiry and review, restricted people, the access log, consent, allocation, the audit export.

let store: Database;
let app: RunningApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  store = await pgliteTarget.open();
  await loadDemoData(store.db, { production: false });
  app = await startApp(store);
  for (const row of await store.db.selectFrom('persons').select(['id', 'given_name']).where('given_name', 'is not', null).execute()) ids[row.given_name!] = row.id;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function as(email: string): Promise<WebClient> {
  const client = new WebClient(app.baseUrl);
  expect((await client.signIn(email, DEMO_PASSWORD)).status).toBe(303);
  return client;
}
const deniedFor = (personId: string) =>
  store.db.selectFrom('audit_log').selectAll().where('object_id', '=', personId).where('outcome', '=', 'denied').execute();

describe('guessing another child’s id (insecure direct object reference)', () => {
  it('gives the school "Page not found" for a child it does not work with, audits it, and hides the child from search', async () => {
    const dsl = await as('dsl.brown@school.demo.test');
    const before = (await deniedFor(ids.Oskar!)).length;
    for (const suffix of ['', '/family', '/chronology']) {
      const response = await dsl.get(`/people/${ids.Oskar}${suffix}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Page not found');
    }
    expect((await deniedFor(ids.Oskar!)).length).toBe(before + 3);
    const search = await (await dsl.get('/search?name=Oskar+Nowak')).text();
    expect(search).not.toContain(`/people/${ids.Oskar}`);
    expect(search).toContain('No matches');
    // The school works with no Nowak, so searching the family name shows none of them.
    const bySurname = await (await dsl.get('/search?name=Nowak')).text();
    expect(bySurname).not.toContain('Oskar Nowak');
    expect(bySurname).toContain('No matches');
  });

  it('lets the school open the children it works with and, through them, their families', async () => {
    const dsl = await as('dsl.brown@school.demo.test');
    expect((await dsl.get(`/people/${ids.Ruby}`)).status).toBe(200);
    expect((await dsl.get(`/people/${ids.Chloe}`)).status).toBe(200);
    const family = await (await dsl.get(`/people/${ids.Ruby}/family`)).text();
    expect(family).toContain('Chloe Carter');
    expect(family).toContain('Dean Mills');
  });

  it('never lets one partnership’s user reach another partnership’s person', async () => {
    const second = await pgliteTarget.open();
    try {
      // The same demo in a second store stands in for another partnership's ids.
      await loadDemoData(second.db, { production: false });
      const foreign = (await second.db.selectFrom('persons').select('id').where('given_name', '=', 'Ruby').executeTakeFirstOrThrow()).id;
      const fd = await as('fd.patel@csc.demo.test');
      expect((await fd.get(`/people/${foreign}`)).status).toBe(404);
    } finally {
      await second.close();
    }
  });

  it('treats partnership analysts as never seeing names', async () => {
    const analyst = await as('analyst.wright@partnership.demo.test');
    expect((await analyst.get(`/people/${ids.Ruby}`)).status).toBe(404);
    expect((await analyst.get('/search?name=Ruby')).status).toBe(403);
    const home = await (await analyst.get('/')).text();
    expect(home).not.toContain('Ruby');
  });
});

describe('the front door', () => {
  it('has a queue on the home page with children the school works with and children it does not', async () => {
    const fd = await as('fd.patel@csc.demo.test');
    const home = await (await fd.get('/')).text();
    expect(home).toContain('Front door queue');
    expect(home).toContain(`/people/${ids.Mia}`);
    expect(home).toContain(`/people/${ids.Oskar}`);
    expect((await fd.get(`/people/${ids.Oskar}`)).status).toBe(200);
    const again = await (await fd.get('/')).text();
    expect(again).toContain('Recently viewed');
  });

  it('searches the whole partnership', async () => {
    const fd = await as('fd.patel@csc.demo.test');
    expect(await (await fd.get('/search?name=nowak')).text()).toContain('Oskar Nowak');
  });
});

describe('break-glass', () => {
  it('needs a reason, opens one person for two hours, and shows it to the school’s manager', async () => {
    const dsl = await as('dsl.brown@school.demo.test');
    const noReason = await dsl.post('/break-glass/search', { name: 'Oskar', reason: '' }, '/break-glass');
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Enter a reason');

    const reason = 'Oskar came to our breakfast club hurt and frightened to go home';
    const found = await dsl.post('/break-glass/search', { name: 'Oskar', reason }, '/break-glass');
    expect(found.status).toBe(200);
    expect(await found.text()).toContain('Oskar Nowak');

    const opened = await dsl.post('/break-glass/access', { personId: ids.Oskar!, reason }, '/break-glass');
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/people/${ids.Oskar}`);
    const page = await (await dsl.get(`/people/${ids.Oskar}`)).text();
    expect(page).toContain('emergency (break-glass) access');

    const grant = await store.db.selectFrom('break_glass').selectAll().where('person_id', '=', ids.Oskar!).where('kind', '=', 'access').executeTakeFirstOrThrow();
    expect(grant.expires_at.getTime() - grant.started_at.getTime()).toBe(2 * 3_600_000);
    expect(grant.reason).toBe(reason);

    const head = await as('head.green@school.demo.test');
    const review = await (await head.get('/break-glass/review')).text();
    expect(review).toContain('Kerry Brown: opened Oskar Nowak');
    expect(review).toContain(reason);
    // A manager of another organisation does not see it.
    expect(await (await (await as('mgr.khan@csc.demo.test')).get('/break-glass/review')).text()).not.toContain('Oskar');

    const reviewed = await head.post(`/break-glass/review/${grant.id}`, { outcome: 'appropriate', note: 'Checked with the DSL; right call' }, '/break-glass/review');
    expect(reviewed.status).toBe(303);
    expect(await (await head.get('/break-glass/review')).text()).toContain('appropriate: Checked with the DSL');

    // Two hours later the door closes again.
    await sql`update break_glass set expires_at = now() - interval '1 second' where id = ${grant.id}`.execute(store.db);
    expect((await dsl.get(`/people/${ids.Oskar}`)).status).toBe(404);
  });

  it('cannot open a person outside the partnership or a made-up id', async () => {
    const dsl = await as('dsl.brown@school.demo.test');
    const response = await dsl.post('/break-glass/access', { personId: '5d7f2a10-0000-4000-8000-000000000000', reason: 'An emergency that is real' }, '/break-glass');
    expect(response.status).toBe(404);
  });

  it('is reviewed by the partnership admin where the organisation has no manager', async () => {
    const pc = await as('pc.smith@police.demo.test');
    await pc.post('/break-glass/access', { personId: ids.Ruby!, reason: 'Welfare check after a 999 call about the family' }, '/break-glass');
    expect((await pc.get(`/people/${ids.Ruby}`)).status).toBe(200);
    const admin = await as('admin@partnership.demo.test');
    expect(await (await admin.get('/break-glass/review')).text()).toContain('Dan Smith: opened Ruby Carter');
  });
});

describe('restricted people', () => {
  it('hides a refuge address from everyone without a grant, and shows it to the granted organisation', async () => {
    const fd = await as('fd.patel@csc.demo.test');
    const fdPage = await (await fd.get(`/people/${ids.Michelle}`)).text();
    expect(fdPage).toContain('Withheld');
    expect(fdPage).not.toContain('NS9 9ZZ');
    expect(fdPage).not.toContain('07700 900909');
    const pc = await as('pc.smith@police.demo.test');
    const pcPage = await (await pc.get(`/people/${ids.Michelle}`)).text();
    expect(pcPage).toContain('NS9 9ZZ');
  });

  it('hides it in the service layer too, not only in the page', async () => {
    const fdUser = await store.db.selectFrom('users').select(['id', 'organisation_id', 'partnership_id']).where('email', '=', 'fd.patel@csc.demo.test').executeTakeFirstOrThrow();
    const view = await getPersonView(store.db, userContext(fdUser.partnership_id, fdUser, fdUser.organisation_id, ['front-door']), ids.Michelle!);
    expect(view.contact).toBe('withheld');
  });
});

describe('who has looked at this record', () => {
  it('is shown to the lead practitioner, not to other practitioners', async () => {
    const sw = await as('sw.lee@csc.demo.test');
    const lead = await (await sw.get(`/people/${ids.Ruby}`)).text();
    expect(lead).toContain('Who has looked at this record');
    expect(lead).toContain('Kerry Brown');
    const dsl = await as('dsl.brown@school.demo.test');
    expect(await (await dsl.get(`/people/${ids.Ruby}`)).text()).not.toContain('Who has looked at this record');
  });

  it('is shown to the data protection officer, with break-glass and refusals', async () => {
    const dpo = await as('dpo.evans@partnership.demo.test');
    const page = await (await dpo.get(`/people/${ids.Oskar}`)).text();
    expect(page).toContain('Who has looked at this record');
    expect(page).toContain('Emergency (break-glass) access');
    expect(page).toContain('Refused');
    expect((await dpo.get(`/people/${ids.Oskar}/chronology`)).status).toBe(404);
  });
});

describe('consent and allocation', () => {
  it('needs a reason when information is shared without consent', async () => {
    const hv = await as('hv.jones@health.demo.test');
    const missing = await hv.post(`/people/${ids.Lena}/consent`, { status: 'not-sought', reason: '' }, `/people/${ids.Lena}`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Enter why information is shared without consent');
    const ok = await hv.post(`/people/${ids.Lena}/consent`, { status: 'not-sought', reason: 'Safeguarding concern: seeking consent would put the baby at risk' }, `/people/${ids.Lena}`);
    expect(ok.status).toBe(303);
    expect(await (await hv.get(`/people/${ids.Lena}`)).text()).toContain('Consent not sought');
  });

  it('lets a manager allocate within their organisation, to people they can reach', async () => {
    const mgr = await as('mgr.khan@csc.demo.test');
    const sw = await store.db.selectFrom('users').select('id').where('email', '=', 'sw.lee@csc.demo.test').executeTakeFirstOrThrow();
    expect((await mgr.post(`/people/${ids.Chloe}/allocations`, { role: 'lead-practitioner', workerUserId: sw.id }, `/people/${ids.Chloe}`)).status).toBe(303);
    // Oskar is at the front door, not with the manager's team: no relationship, no allocation.
    expect((await mgr.post(`/people/${ids.Oskar}/allocations`, { role: 'lead-practitioner', workerUserId: sw.id }, `/people/${ids.Chloe}`)).status).toBe(404);
  });
});

describe('relationships end', () => {
  it('after the grace period once an involvement ends, and the period is the partnership’s to set', async () => {
    const hvUser = await store.db.selectFrom('users').select(['id', 'organisation_id', 'partnership_id']).where('email', '=', 'hv.jones@health.demo.test').executeTakeFirstOrThrow();
    const ctx = () => userContext(hvUser.partnership_id, hvUser, hvUser.organisation_id, ['practitioner']);
    await expect(getPersonView(store.db, ctx(), ids.Sara!)).resolves.toMatchObject({ basis: 'involvement' });
    await sql`update involvements set end_date = (current_date - 200)::text where person_id = ${ids.Sara}`.execute(store.db);
    await expect(getPersonView(store.db, ctx(), ids.Sara!)).rejects.toThrow('Person not found');
    await sql`update partnerships set settings = '{"access":{"relationshipGraceDays":365}}'::jsonb where id = ${hvUser.partnership_id}`.execute(store.db);
    await expect(getPersonView(store.db, ctx(), ids.Sara!)).resolves.toMatchObject({ basis: 'involvement' });
    expect(await searchPeople(store.db, ctx(), { name: 'Sara' })).toHaveLength(1);
    await sql`update partnerships set settings = '{}'::jsonb where id = ${hvUser.partnership_id}`.execute(store.db);
  });
});

describe('the audit search', () => {
  it('filters by person and exports CSV with formula cells neutralised', async () => {
    const partnershipId = (await store.db.selectFrom('partnerships').select('id').executeTakeFirstOrThrow()).id;
    await store.db.transaction().execute((trx) =>
      appendAudit(trx, { ...systemContext(partnershipId, 'test', '=HYPERLINK("http://evil.example","click")') }, { action: 'person.read', objectType: 'person', objectId: ids.Yusuf! }),
    );
    const dpo = await as('dpo.evans@partnership.demo.test');
    const page = await dpo.get(`/admin/audit?personId=${ids.Yusuf}`);
    expect(page.status).toBe(200);
    const csv = await (await dpo.get(`/admin/audit.csv?personId=${ids.Yusuf}`)).text();
    expect(csv.split('\r\n')[0]).toContain('"when","who","organisation","action"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/(^|,)"=HYPERLINK/m);
    const audited = await store.db.selectFrom('audit_log').select('action').where('action', '=', 'audit.search').execute();
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });
});
