import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { pgliteTarget } from '../helpers/stores.js';
import { startApp, WebClient, type RunningApp } from '../helpers/web-client.js';

// The chronology in the web application: recording one entry about two siblings (shown on both),
// GOV.UK error handling that keeps what was typed, drafts (also when the session times out),
// amendments and "entered in error" (nothing deleted), exports, and who may see what.

let store: Database;
let app: RunningApp;
let ruby: string;
let alfie: string;

const personOfRecord = async (key: string) => (await store.db.selectFrom('records').select('person_id').where('record_key', '=', key).executeTakeFirstOrThrow()).person_id!;

beforeAll(async () => {
  store = await pgliteTarget.open();
  await loadDemoData(store.db, { production: false });
  app = await startApp(store);
  ruby = await personOfRecord('csc:ruby');
  alfie = await personOfRecord('csc:alfie');
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function signedIn(email: string): Promise<WebClient> {
  const client = new WebClient(app.baseUrl);
  expect((await client.signIn(email, DEMO_PASSWORD)).status).toBe(303);
  return client;
}

function today(): Record<string, string> {
  const [y, m, d] = new Date().toISOString().slice(0, 10).split('-');
  return { 'date-day': String(Number(d)), 'date-month': String(Number(m)), 'date-year': y! };
}

/** A form body with repeated fields (checkboxes). */
function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
}

async function postForm(client: WebClient, path: string, fields: Record<string, string | string[]>, tokenFrom: string): Promise<Response> {
  const token = await client.csrfFrom(tokenFrom);
  return fetch(app.baseUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ _csrf: token, ...fields }),
  });
}

describe('recording an entry', () => {
  it('records one concern about two siblings and shows it on both chronologies, with its agency and recorder', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const response = await postForm(sw, `/people/${ruby}/record/concern`, { ...today(), subjects: [ruby, alfie], summary: 'Both children arrived at contact hungry; Ruby said there was no food at home yesterday.', significant: 'yes', concerns: ['neglect-nutritional'] }, `/people/${ruby}/record/concern`);
    expect(response.status).toBe(303);
    for (const person of [ruby, alfie]) {
      const page = await (await sw.get(`/people/${person}/chronology`)).text();
      expect(page).toContain('Ruby said there was no food at home yesterday.');
      expect(page).toContain('Recorded by Sam Lee');
      expect(page).toContain('Significant');
    }
    const rows = await store.db.selectFrom('events').select(['event_key', 'origin', 'version']).where('origin', '=', 'recorded').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.event_key).toMatch(/^throughline:[0-9a-f-]{36}$/);
    const audit = await store.db.selectFrom('audit_log').select('action').where('action', '=', 'chronology.record').execute();
    expect(audit).toHaveLength(1);
  });

  it('shows the error summary and inline errors, and keeps everything typed', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const response = await postForm(sw, `/people/${ruby}/record/home-visit`, { 'date-day': '31', 'date-month': '2', 'date-year': '2026', subjects: [ruby], summary: 'Mother answered; the children were upstairs.', outcome: 'completed' }, `/people/${ruby}/record/home-visit`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('There is a problem');
    expect(page).toContain('Date it happened must be a real date');
    expect(page).toContain('Select whether you saw the child in person');
    expect(page).toContain('Mother answered; the children were upstairs.');
    expect(page).toMatch(/<title>Error: /);
  });

  it('asks an observation to describe rather than label, and saves when the recorder confirms', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const body = { ...today(), subjects: [ruby], summary: 'The house was cluttered.', domain: 'home-conditions' };
    const first = await postForm(sw, `/people/${ruby}/record/observation`, body, `/people/${ruby}/record/observation`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('These are labels, not descriptions');
    const second = await postForm(sw, `/people/${ruby}/record/observation`, { ...body, labelsConfirmed: 'yes' }, `/people/${ruby}/record/observation`);
    expect(second.status).toBe(303);
  });

  it('keeps a draft, and a form sent after the session timed out, so nothing is lost', async () => {
    const hv = await signedIn('hv.jones@health.demo.test');
    const draft = await postForm(hv, `/people/${alfie}/record/child-voice/draft`, { ...today(), subjects: [alfie], summary: 'Alfie pointed at the fridge and said "empty".' }, `/people/${alfie}/record/child-voice`);
    expect(draft.status).toBe(303);
    const restored = await (await hv.get(`/people/${alfie}/record/child-voice`)).text();
    expect(restored).toContain('We kept what you had written');
    expect(restored).toContain('Alfie pointed at the fridge');

    // The session times out with the form open; the form is sent anyway.
    const token = await hv.csrfFrom(`/people/${alfie}/record/home-visit`);
    await store.db.updateTable('sessions').set({ idle_expires_at: new Date(Date.now() - 1000) }).execute();
    const late = await fetch(`${app.baseUrl}/people/${alfie}/record/home-visit`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: [...hv.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ _csrf: token, ...today(), subjects: alfie, summary: 'Visited at 4pm; Alfie seen in the garden in a wet nappy.', outcome: 'seen-outside-home', childSeen: 'yes', childSeenAlone: 'no' }),
    });
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toMatch(/^\/sign-in\?timedOut=1&kept=1&returnTo=/);
    const again = await signedIn('hv.jones@health.demo.test');
    const page = await (await again.get(`/people/${alfie}/record/home-visit`)).text();
    expect(page).toContain('Visited at 4pm; Alfie seen in the garden in a wet nappy.');
    expect(page).toContain('We kept what you had written');
    // Nothing was recorded in the chronology: a draft waits to be saved.
    const visits = await store.db.selectFrom('events').select('id').where('origin', '=', 'recorded').where('type', '=', 'home-visit').execute();
    expect(visits).toEqual([]);
  });

  it('amends an entry as a new version with the reason, and marks one entered in error without deleting it', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const created = await postForm(sw, `/people/${ruby}/record/lateral-check`, { ...today(), subjects: [ruby], summary: 'Checked with the school about attendance.', with: 'school', outcome: 'Attendance 82% this term.' }, `/people/${ruby}/record/lateral-check`);
    const id = /recorded=([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')![1]!;
    const amend = await postForm(sw, `/people/${ruby}/entries/${id}/amend`, { ...today(), subjects: [ruby], summary: 'Checked with the school about attendance and lateness.', with: 'school', outcome: 'Attendance 82% this term; late 9 times.', reason: 'Added the lateness the school mentioned' }, `/people/${ruby}/entries/${id}/amend`);
    expect(amend.status).toBe(303);
    const history = await (await sw.get(`/people/${ruby}/entries/${id}`)).text();
    expect(history).toContain('Version 2 (current)');
    expect(history).toContain('Added the lateness the school mentioned');
    expect(history).toContain('Checked with the school about attendance.');
    const wrong = await postForm(sw, `/people/${ruby}/entries/${id}/entered-in-error`, { reason: 'Recorded on the wrong child' }, `/people/${ruby}/entries/${id}`);
    expect(wrong.status).toBe(303);
    const page = await (await sw.get(`/people/${ruby}/chronology`)).text();
    expect(page).toContain('Entered in error');
    expect(page).toContain('Recorded on the wrong child');
    const versions = await store.db.selectFrom('exchange_versions').select(['version', 'status', 'reason']).where('kind', '=', 'event').where('object_key', '=', `throughline:${id}`).orderBy('version').execute();
    expect(versions.map((v) => v.status)).toEqual(['current', 'current', 'entered-in-error']);
    // Another organisation cannot amend it.
    const hv = await signedIn('hv.jones@health.demo.test');
    expect((await hv.get(`/people/${ruby}/entries/${id}/amend`)).status).toBe(404);
  });
});

describe('reading and exporting', () => {
  it('shows the family chronology with whom each entry concerns, the timeline and the figures', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const page = await (await sw.get(`/people/${ruby}/chronology?scope=family`)).text();
    expect(page).toContain('Family chronology');
    expect(page).toContain('<svg');
    expect(page).toContain('The timeline as a list');
    expect(page).toContain('Attendance and appointments');
    expect(page).toMatch(/Alfie Carter/);
  });

  it('filters by kind of entry and searches words', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const page = await (await sw.get(`/people/${ruby}/chronology?scope=family&type=appointment`)).text();
    expect(page).toContain('Was not brought');
    expect(page).not.toContain('same clothes all week');
    const words = await (await sw.get(`/people/${ruby}/chronology?q=clothes`)).text();
    expect(words).toContain('same clothes all week');
  });

  it('exports CSV, JSON and PDF, each audited', async () => {
    const sw = await signedIn('sw.lee@csc.demo.test');
    const csv = await sw.get(`/people/${ruby}/chronology/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toBe('"date","date_precision","recorded","agency","source","id","type","concerns","subjects","summary","significant"');
    const json = await sw.get(`/people/${ruby}/chronology/export?format=json&scope=family`);
    expect(((await json.json()) as { format: string }).format).toBe('throughline-exchange/1');
    const pdf = await sw.get(`/people/${ruby}/chronology/export?format=pdf`);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await store.db.selectFrom('audit_log').select('details').where('action', '=', 'chronology.export').execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('is not found for someone the user may not see, and is refused to partnership analysts', async () => {
    const pc = await signedIn('pc.smith@police.demo.test');
    expect((await pc.get(`/people/${ruby}/chronology`)).status).toBe(404);
    expect((await pc.get(`/people/${ruby}/chronology/export?format=csv`)).status).toBe(404);
    const analyst = await signedIn('analyst.wright@partnership.demo.test');
    expect((await analyst.get(`/people/${ruby}/chronology`)).status).toBe(404);
    expect((await analyst.get(`/people/${ruby}/record`)).status).toBe(403);
  });
});
