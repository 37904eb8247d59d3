import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { pgliteTarget } from '../helpers/stores.js';
import { startApp, WebClient, type RunningApp } from '../helpers/web-client.js';

// The web shell over HTTP, on the embedded store with the demo partnership loaded.

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

const client = () => new WebClient(app.baseUrl);
const personId = async (given: string) =>
  (await store.db.selectFrom('persons').select('id').where('given_name', '=', given).executeTakeFirstOrThrow()).id;
const lastAudit = (action: string) =>
  store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('occurred_at', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

describe('health', () => {
  it('answers 200 with the database and migration state', async () => {
    const response = await fetch(`${app.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', migrations: 'current' });
  });

  it('answers 503 when migrations are pending', async () => {
    const bare = await pgliteTarget.open({ migrated: false });
    const bareApp = await startApp(bare);
    try {
      const response = await fetch(`${bareApp.baseUrl}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', migrations: 'pending' });
    } finally {
      await bareApp.close();
      await bare.close();
    }
  });
});

describe('security headers and assets', () => {
  it('sends a nonce-based content security policy, fresh on every page', async () => {
    const a = await client().get('/sign-in');
    const b = await client().get('/sign-in');
    const csp = a.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toBe(b.headers.get('content-security-policy'));
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('cache-control')).toBe('no-store');
    const html = await a.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it('serves the compiled styles, print styles and scripts, with no GOV.UK crown or font', async () => {
    const css = await fetch(`${app.baseUrl}/assets/application.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect(await css.text()).not.toContain('GDS Transport');
    expect((await fetch(`${app.baseUrl}/assets/print.css`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/assets/js/app.js`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/assets/govuk/govuk-frontend.min.js`)).status).toBe(200);
    const html = await (await client().get('/sign-in')).text();
    expect(html).toContain('media="print"');
    expect(html).not.toMatch(/govuk-crest|govuk-logo|crown/i);
  });
});

describe('signing in and out', () => {
  it('sends visitors to sign in and back to where they were going', async () => {
    const c = client();
    const ruby = await personId('Ruby');
    const first = await c.get(`/people/${ruby}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/sign-in?returnTo=${encodeURIComponent(`/people/${ruby}`)}`);
    const token = await c.csrfFrom(first.headers.get('location')!);
    const signedIn = await c.request('POST', '/sign-in', { _csrf: token, email: 'sw.lee@csc.demo.test', password: DEMO_PASSWORD, returnTo: `/people/${ruby}` });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/people/${ruby}`);
    const session = c.lastSetCookies.find((s) => s.startsWith('tl_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect((await c.get(`/people/${ruby}`)).status).toBe(200);
    expect(await lastAudit('auth.sign-in')).toMatchObject({ outcome: 'success', actor_label: 'Sam Lee' });
  });

  it('never redirects off the site after sign-in', async () => {
    const c = client();
    const response = await c.post('/sign-in', { email: 'sw.lee@csc.demo.test', password: DEMO_PASSWORD, returnTo: '//evil.example/' });
    expect(response.headers.get('location')).toBe('/');
  });

  it('shows GOV.UK-style errors for an empty form and keeps what was typed', async () => {
    const c = client();
    const response = await c.post('/sign-in', { email: 'not-an-email', password: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('href="#email"');
    expect(html).toContain('Enter your password');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('<title>Error: Sign in');
  });

  it('refuses a wrong password without saying whether the account exists, and audits both', async () => {
    const wrong = await client().post('/sign-in', { email: 'hv.jones@health.demo.test', password: 'nope' });
    const unknown = await client().post('/sign-in', { email: 'nobody@nowhere.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain('The email address or password is not right');
    expect(await unknown.text()).toContain('The email address or password is not right');
    const failures = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.sign-in').where('outcome', '=', 'failure').execute();
    expect(failures.map((f) => (f.details as { reason: string }).reason)).toEqual(expect.arrayContaining(['wrong password', 'unknown email']));
  });

  it('locks an email after 5 failures, even against the right password', async () => {
    const email = 'pc.smith@police.demo.test';
    for (let i = 0; i < 4; i++) expect((await client().post('/sign-in', { email, password: `wrong-${i}` })).status).toBe(401);
    expect((await client().post('/sign-in', { email, password: 'wrong-5' })).status).toBe(429);
    const locked = await client().post('/sign-in', { email, password: DEMO_PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Too many failed attempts');
    expect(await lastAudit('auth.sign-in')).toMatchObject({ outcome: 'denied' });
  });

  it('rejects a form without a valid CSRF token', async () => {
    const c = client();
    await c.get('/sign-in');
    const none = await c.request('POST', '/sign-in', { email: 'sw.lee@csc.demo.test', password: DEMO_PASSWORD });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('Your form could not be sent');
    const other = client();
    const foreignToken = await other.csrfFrom('/sign-in');
    const forged = await c.request('POST', '/sign-in', { _csrf: foreignToken, email: 'sw.lee@csc.demo.test', password: DEMO_PASSWORD });
    expect(forged.status).toBe(403);
  });

  it('signs out, ends the session in the database and audits it', async () => {
    const c = client();
    await c.signIn('mgr.khan@csc.demo.test', DEMO_PASSWORD);
    const oldCookie = c.cookies.get('tl_session')!;
    const out = await c.post('/sign-out', {}, '/');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/signed-out');
    expect(c.cookies.has('tl_session')).toBe(false);
    expect(await lastAudit('auth.sign-out')).toMatchObject({ outcome: 'success', actor_label: expect.stringContaining('Imran Khan') });
    c.cookies.set('tl_session', oldCookie);
    expect((await c.get('/')).status).toBe(303);
  });

  it('times a session out after the idle period, audits it and explains on the sign-in page', async () => {
    const c = client();
    await c.signIn('dsl.brown@school.demo.test', DEMO_PASSWORD);
    expect((await c.get('/')).status).toBe(200);
    await sql`update sessions set idle_expires_at = now() - interval '1 minute' where ended_at is null and user_id = (select id from users where email = 'dsl.brown@school.demo.test')`.execute(store.db);
    const response = await c.get('/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('timedOut=1');
    expect(await (await c.get(response.headers.get('location')!)).text()).toContain('You were signed out because you had not done anything');
    expect(await lastAudit('auth.session-timeout')).toMatchObject({ outcome: 'success' });
  });

  it('reports the time left without extending it, and extends on request', async () => {
    const c = client();
    await c.signIn('hv.jones@health.demo.test', DEMO_PASSWORD);
    await sql`update sessions set idle_expires_at = now() + interval '90 seconds' where ended_at is null and user_id = (select id from users where email = 'hv.jones@health.demo.test')`.execute(store.db);
    const remaining = (await (await c.get('/session/remaining')).json()) as { secondsRemaining: number };
    expect(remaining.secondsRemaining).toBeLessThanOrEqual(90);
    const token = await c.csrfFrom('/');
    const extended = await c.request('POST', '/session/extend', undefined, { 'x-csrf-token': token, accept: 'application/json' });
    expect(extended.status).toBe(200);
    const after = (await (await c.get('/session/remaining')).json()) as { secondsRemaining: number };
    expect(after.secondsRemaining).toBeGreaterThan(29 * 60);
  });
});

describe('pages and errors', () => {
  it('shows "My work" with the user’s allocated people', async () => {
    const c = client();
    await c.signIn('sw.lee@csc.demo.test', DEMO_PASSWORD);
    const html = await (await c.get('/')).text();
    expect(html).toContain('<h1 class="govuk-heading-l">My work</h1>');
    expect(html).toContain('Ruby Carter');
    expect(html).not.toContain('Oskar');
  });

  it('gives the person, family and chronology pages stable addresses', async () => {
    const c = client();
    await c.signIn('hv.jones@health.demo.test', DEMO_PASSWORD);
    const lena = await personId('Lena');
    for (const suffix of ['', '/family', '/chronology']) {
      const response = await c.get(`/people/${lena}${suffix}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Lena Nowak');
    }
  });

  it('answers "Page not found" for a person the user has no relationship with, and audits the refusal', async () => {
    const c = client();
    await c.signIn('dsl.brown@school.demo.test', DEMO_PASSWORD);
    const oskar = await personId('Oskar');
    const refused = await c.get(`/people/${oskar}`);
    const missing = await c.get('/people/3f1c0b8e-0000-4000-8000-000000000000');
    expect(refused.status).toBe(404);
    expect(missing.status).toBe(404);
    const [a, b] = [await refused.text(), await missing.text()];
    expect(a).toContain('Page not found');
    expect(a.replace(/nonce="[^"]+"|content="[^"]+"|value="[^"]+"/g, '')).toBe(b.replace(/nonce="[^"]+"|content="[^"]+"|value="[^"]+"/g, ''));
    const audit = await store.db.selectFrom('audit_log').selectAll().where('object_id', '=', oskar).where('outcome', '=', 'denied').execute();
    expect(audit).toHaveLength(1);
  });

  it('answers 404 for unknown addresses and 400 for a malformed request', async () => {
    const c = client();
    expect((await c.get('/no-such-page')).status).toBe(404);
    // A well-formed but token-less JSON post is refused as a forged form.
    const forged = await c.request('POST', '/sign-in', undefined, { 'content-type': 'application/json' });
    expect(forged.status).toBe(403);
    const malformed = await fetch(`${app.baseUrl}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('There is a problem with the request');
  });

  it('shows no stack trace on a server error in production', async () => {
    const broken = await pgliteTarget.open();
    const prodApp = await startApp(broken, { production: true, sessionSecret: 'x'.repeat(40) });
    await broken.close();
    try {
      const response = await fetch(`${prodApp.baseUrl}/`, { headers: { cookie: '__Host-tl_session=abc' }, redirect: 'manual' });
      expect(response.status).toBe(500);
      const html = await response.text();
      expect(html).toContain('Sorry, there is a problem with the service');
      expect(html).toContain(response.headers.get('x-request-id')!);
      expect(html).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    } finally {
      await prodApp.close();
    }
  });
});
