import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { sharedDir } from '../helpers/shared-material.js';
import { pgliteTarget } from '../helpers/stores.js';
import { startApp, WebClient, type RunningApp } from '../helpers/web-client.js';

// Who is who in the web application: the front door's review queue (decide, merge, undo), a
// merged person's old address redirecting, the whole-family page, and an administrator's upload.

let store: Database;
let app: RunningApp;

beforeAll(async () => {
  store = await pgliteTarget.open();
  await loadDemoData(store.db, { production: false });
  app = await startApp(store);
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function signedIn(email: string): Promise<WebClient> {
  const client = new WebClient(app.baseUrl);
  const response = await client.signIn(email, DEMO_PASSWORD);
  expect(response.status).toBe(303);
  return client;
}

const personOfRecord = async (key: string) =>
  (await store.db.selectFrom('records').select('person_id').where('record_key', '=', key).executeTakeFirstOrThrow()).person_id!;

describe('the review queue', () => {
  it('shows the front door the demo pair side by side, with the fields that agree and the score', async () => {
    const fd = await signedIn('fd.patel@csc.demo.test');
    const list = await (await fd.get('/identity/review')).text();
    expect(list).toContain('Dean Mills');
    const pair = await fd.get('/identity/review/pair?a=csc%3Adean&b=police%3Adean');
    expect(pair.status).toBe(200);
    const html = await pair.text();
    expect(html).toContain('Are these the same person?');
    expect(html).toMatch(/Match probability: <strong>\d+(\.\d)?%<\/strong>/);
    expect(html).toContain('Agrees');
    expect(html).toContain('Differs');
  });

  it('is closed to everyone but the front door', async () => {
    for (const email of ['sw.lee@csc.demo.test', 'hv.jones@health.demo.test', 'admin@partnership.demo.test', 'analyst.wright@partnership.demo.test']) {
      const client = await signedIn(email);
      expect((await client.get('/identity/review')).status).toBe(403);
    }
  });

  it('asks for a note with "not sure", keeps the pair queued, and remembers the note', async () => {
    const fd = await signedIn('fd.patel@csc.demo.test');
    const page = '/identity/review/pair?a=csc%3Adean&b=police%3Adean';
    const refused = await fd.post('/identity/review/decide', { a: 'csc:dean', b: 'police:dean', decision: 'ask' }, page);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Enter who to ask');
    const asked = await fd.post('/identity/review/decide', { a: 'csc:dean', b: 'police:dean', decision: 'ask', reason: 'Ask the police officer in the case' }, page);
    expect(asked.status).toBe(303);
    expect(await (await fd.get('/identity/review')).text()).toContain('Asked');
  });

  it('merges on "same person", audited; the old address redirects; undo restores both exactly', async () => {
    const fd = await signedIn('fd.patel@csc.demo.test');
    const cscDean = await personOfRecord('csc:dean');
    const policeDean = await personOfRecord('police:dean');
    expect(cscDean).not.toBe(policeDean);
    const page = '/identity/review/pair?a=csc%3Adean&b=police%3Adean';
    const merged = await fd.post('/identity/review/decide', { a: 'csc:dean', b: 'police:dean', decision: 'same', reason: 'Same phone number on both files' }, page);
    expect(merged.status).toBe(303);
    const survivor = await personOfRecord('csc:dean');
    expect(await personOfRecord('police:dean')).toBe(survivor);
    const gone = survivor === cscDean ? policeDean : cscDean;
    expect(merged.headers.get('location')).toContain(`/people/${survivor}`);
    const audit = await store.db.selectFrom('audit_log').select(['actor_label', 'outcome']).where('action', '=', 'identity.decide.same').executeTakeFirstOrThrow();
    expect(audit.outcome).toBe('success');

    // The merged-away id leads to the survivor.
    const redirect = await fd.get(`/people/${gone}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/people/${survivor}`);

    // The queue no longer asks about the pair.
    expect(await (await fd.get('/identity/review')).text()).not.toContain('police:dean');

    // Undo from the person's page.
    const personPage = await (await fd.get(`/people/${survivor}`)).text();
    const change = /action="\/people\/[^/]+\/identity\/([^/]+)\/undo"/.exec(personPage)?.[1];
    expect(change).toBeDefined();
    const undone = await fd.post(`/people/${survivor}/identity/${change}/undo`, { reason: 'Different dates of birth on closer look' }, `/people/${survivor}`);
    expect(undone.status).toBe(303);
    expect(await personOfRecord('csc:dean')).toBe(cscDean);
    expect(await personOfRecord('police:dean')).toBe(policeDean);
    expect((await fd.get(`/people/${gone}`)).status).toBe(200);
    const decision = await store.db.selectFrom('identity_decisions').select('decision').where('record_a', '=', 'csc:dean').orderBy('decided_at', 'desc').executeTakeFirstOrThrow();
    expect(decision.decision).toBe('different');
  });
});

describe('the whole-family page', () => {
  it('draws the genogram with the family as a table too, and prompts when no father is recorded', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const ruby = await personOfRecord('csc:ruby');
    const html = await (await sw.get(`/people/${ruby}/family`)).text();
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toContain('Dean Mills');
    expect(html).toContain('No, lives elsewhere');
    expect(html).not.toContain('No father is recorded');
    const fd = await signedIn('fd.patel@csc.demo.test');
    const oskar = await personOfRecord('csc-front-door:oskar');
    const oskarPage = await (await fd.get(`/people/${oskar}/family`)).text();
    expect(oskarPage).toContain('father is not known');
  });

  it('shows the mother’s partner on the child’s page, and the mother joined from two agencies’ records', async () => {
    const fd = await signedIn('fd.patel@csc.demo.test');
    const oskar = await personOfRecord('csc-front-door:oskar');
    const html = await (await fd.get(`/people/${oskar}/family`)).text();
    expect(html).toContain('Kyle Brooks');
    expect(html).toContain('Mother’s partner');
    expect(html).toContain('Half sibling');
    expect(await personOfRecord('csc-front-door:anna')).toBe(await personOfRecord('health:anna'));
  });
});

describe('importing from the web', () => {
  async function upload(client: WebClient, name: string, content: string): Promise<Response> {
    const form = await (await client.get('/admin/import')).text();
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(form)?.[1]?.replace(/&amp;/g, '&');
    expect(action).toBeDefined();
    const body = new FormData();
    body.append('file', new Blob([content], { type: 'application/json' }), name);
    return fetch(app.baseUrl + action!, { method: 'POST', body, redirect: 'manual', headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  }

  it('lets an administrator upload a file and shows the summary with each rejection', async () => {
    const admin = await signedIn('admin@partnership.demo.test');
    const response = await upload(admin, 'broken.json', readFileSync('test/fixtures/exchange/broken.json', 'utf8'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Imported, with rejections');
    expect(html).toContain('date &quot;2019-13-02&quot; is not a date');
    const again = await (await upload(admin, 'broken.json', readFileSync('test/fixtures/exchange/broken.json', 'utf8'))).text();
    expect(again).toMatch(/0 new, 0 updated/);
  });

  it('refuses a file that is not the format, plainly', async () => {
    const admin = await signedIn('admin@partnership.demo.test');
    const text = readFileSync(join(sharedDir('scenarios'), 'ordinary-2.json'), 'utf8');
    const response = await upload(admin, 'cut.json', text.slice(0, 500));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('was refused as a whole');
  });

  it('is for administrators only, and needs the form’s token', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    expect((await sw.get('/admin/import')).status).toBe(403);
    const admin = await signedIn('admin@partnership.demo.test');
    const body = new FormData();
    body.append('file', new Blob(['{}'], { type: 'application/json' }), 'x.json');
    const forged = await fetch(`${app.baseUrl}/admin/import`, { method: 'POST', body, redirect: 'manual', headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(forged.status).toBe(403);
  });
});
