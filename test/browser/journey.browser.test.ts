// A real browser (Debian's Chromium, driven by playwright-core) walks the service by keyboard alone,
// checking every page it reaches with axe-core against WCAG 2.2 AA, and then checks the session
// time-out warning (WCAG 2.2.1 Timing Adjustable). Without Chromium the suite is skipped with a
// loud warning, except in CI, where a missing browser fails the run.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createLogger } from '../../src/shared/logger.js';
import { createApp } from '../../src/web/app.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) {
  if (process.env.CI === 'true') {
    throw new Error(`Chromium was not found at ${CHROMIUM_PATH}; CI must run the browser tests (install Debian's chromium or set CHROMIUM_PATH).`);
  }
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!!  BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH}.`,
      '!!  Install it (apt-get install chromium) or set CHROMIUM_PATH to run them.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}

const DEMO_EMAIL = 'sw.lee@csc.demo.test';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** The warning shows 120 s before the idle deadline; 2.1 minutes puts it about 6 s after sign-in. */
const SHORT_IDLE_MINUTES = 2.1;
/** Each test takes about 8 s alone; the margin is for a machine busy with the rest of the suite. */
const TEST_TIMEOUT_MS = 90_000;

interface Running {
  url: string;
  close(): Promise<void>;
}

async function startApp(store: Database, config: AppConfig): Promise<Running> {
  const app = createApp({ db: store.db, config, logger: createLogger('error') });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs axe-core on the page (injected by evaluate, which the page's CSP does not govern). */
async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG_TAGS);
  if (violations.length > 0) {
    console.error(`axe found ${violations.length} violation(s) on ${label} (${page.url()}):\n${violations.map((v) => `  - ${v.id} [${v.impact}] ${v.help}\n      ${v.targets.join('\n      ')}`).join('\n')}`);
  }
  expect(violations, `accessibility violations on ${label}`).toEqual([]);
}

interface Focused {
  tag: string;
  id: string;
  text: string;
  href: string | null;
  inDialog: boolean;
  outlineStyle: string;
  outlineWidth: string;
  outlineColor: string;
  boxShadow: string;
  backgroundColor: string;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: el?.getAttribute('href') ?? null,
      inDialog: Boolean(el?.closest('dialog')),
      outlineStyle: style?.outlineStyle ?? '',
      outlineWidth: style?.outlineWidth ?? '',
      outlineColor: style?.outlineColor ?? '',
      boxShadow: style?.boxShadow ?? '',
      backgroundColor: style?.backgroundColor ?? '',
    };
  });
}

/** Presses Tab until the focused element matches, failing if it is not reached within `max` presses. */
async function tabTo(page: Page, matches: (f: Focused) => boolean, what: string, max = 40): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (matches(f)) return f;
    seen.push(`${f.tag}#${f.id} "${f.text.slice(0, 30)}"`);
  }
  throw new Error(`Tabbing never reached ${what} on ${page.url()}; focus went through: ${seen.join(', ')}`);
}

/** A focus indicator a sighted keyboard user can see: an outline that is drawn, or a box shadow. */
function hasVisibleFocus(f: Focused): boolean {
  const outline = f.outlineStyle !== 'none' && parseFloat(f.outlineWidth) > 0 && !/rgba\(.*,\s*0\)$/.test(f.outlineColor) && f.outlineColor !== 'transparent';
  return outline || (f.boxShadow !== '' && f.boxShadow !== 'none');
}

/**
 * Checks the focused element shows a focus indicator, and that it is the focus that draws it: by
 * keyboard, Shift+Tab moves focus off the element, its look is read unfocused, and Tab comes back.
 */
async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  const withFocus = await focused(page);
  expect(hasVisibleFocus(withFocus), `${what} shows no focus indicator when focused: ${JSON.stringify(withFocus)}`).toBe(true);
  await page.evaluate(() => document.activeElement?.setAttribute('data-focus-probe', ''));
  await page.keyboard.press('Shift+Tab');
  const withoutFocus = await page.evaluate(() => {
    const el = document.querySelector('[data-focus-probe]')!;
    const style = getComputedStyle(el);
    return { isFocused: el === document.activeElement, outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, outlineColor: style.outlineColor, boxShadow: style.boxShadow, backgroundColor: style.backgroundColor };
  });
  await page.keyboard.press('Tab');
  const back = await page.evaluate(() => {
    const el = document.querySelector('[data-focus-probe]');
    el?.removeAttribute('data-focus-probe');
    return el !== null && el === document.activeElement;
  });
  expect(withoutFocus.isFocused, `Shift+Tab should move focus off ${what}`).toBe(false);
  expect(back, `Tab should bring focus back to ${what}`).toBe(true);
  const look = (s: Omit<typeof withoutFocus, 'isFocused'>) => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor].join(' | ');
  expect(look(withFocus), `${what} looks the same focused and unfocused`).not.toBe(look(withoutFocus));
}

/** Presses a key that should load a new page, and waits for that page. */
async function pressAndWaitForNavigation(page: Page, key: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

async function h1(page: Page): Promise<string> {
  return ((await page.locator('h1').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe.skipIf(!hasChromium)('the service in a real browser', () => {
  let store: Database;
  let browser: Browser;

  let mainApp: Running;
  let shortIdleApp: Running;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
    for (const name of ['DATABASE_URL', 'THROUGHLINE_DATA_DIR', 'PORT', 'HOST', 'SESSION_IDLE_MINUTES', 'LOG_LEVEL']) delete env[name];
    const config: AppConfig = { ...loadConfig(env), store: { kind: 'pglite-memory' }, sessionIdleMinutes: 30, logLevel: 'error' };
    // The browser starts while the database is made and the demo loaded.
    const launching = chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
    launching.catch(() => {});
    store = await openDatabase({ kind: 'pglite-memory' });
    await migrate(store.db);
    await loadDemoData(store.db, { production: false });
    browser = await launching;
    // Two instances on the one database: the usual idle time-out, and one short enough that the
    // warning shows a few seconds after the last activity.
    mainApp = await startApp(store, config);
    shortIdleApp = await startApp(store, { ...config, sessionIdleMinutes: SHORT_IDLE_MINUTES });
  });

  afterAll(async () => {
    await browser?.close();
    await mainApp?.close();
    await shortIdleApp?.close();
    await store?.close();
  });

  /** A new browser context on an app; `problems` collects script errors and console errors (CSP refusals among them). */
  async function newPage(app: Running): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      // The deliberate 404 page logs its own status as a failed load; nothing else should.
      if (message.type() === 'error' && !/status of 404/.test(message.text())) problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    return { context, page, problems };
  }

  it('can be used from sign-in to sign-out by keyboard alone, with no WCAG 2.2 AA failures', async () => {
    const { context, page, problems } = await newPage(mainApp);

    // Signed out, the home page sends you to sign in.
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await h1(page)).toBe('Sign in to Throughline');
    await expectNoAxeViolations(page, 'sign-in page');

    // The first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.tag).toBe('a');
    expect(first.text).toBe('Skip to main content');

    await tabTo(page, (f) => f.id === 'email', 'the email field');
    await expectVisibleFocus(page, 'the email field');
    await page.keyboard.type(DEMO_EMAIL);
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('password');
    await page.keyboard.type(DEMO_PASSWORD);
    await pressAndWaitForNavigation(page, 'Enter');

    expect(new URL(page.url()).pathname).toBe('/');
    expect(await h1(page)).toBe('My work');
    await expectNoAxeViolations(page, 'My work');

    const session = (await context.cookies()).find((c) => c.name === 'tl_session');
    expect(session, 'a tl_session cookie after sign-in').toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe('Lax');

    // Open a child's record from "My work".
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Ruby Carter', 'the link "Ruby Carter"');
    await expectVisibleFocus(page, 'the link "Ruby Carter"');
    await pressAndWaitForNavigation(page, 'Enter');
    const personPath = new URL(page.url()).pathname;
    expect(personPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    expect(await h1(page)).toBe('Ruby Carter');
    await expectNoAxeViolations(page, 'person summary');

    // The record's sub-navigation, by keyboard.
    for (const section of ['Family', 'Chronology']) {
      await tabTo(page, (f) => f.tag === 'a' && f.text === section, `the "${section}" sub-navigation link`);
      await pressAndWaitForNavigation(page, 'Enter');
      expect(new URL(page.url()).pathname).toBe(`${personPath}/${section.toLowerCase()}`);
      expect(await h1(page)).toBe('Ruby Carter');
      expect(await page.locator('h2', { hasText: section }).count()).toBeGreaterThan(0);
      expect(await page.locator('.moj-sub-navigation__link[aria-current="page"]').textContent()).toBe(section);
      await expectNoAxeViolations(page, `person ${section.toLowerCase()}`);
    }

    // An address that leads nowhere.
    const missing = await page.goto('/people/00000000-0000-4000-8000-000000000000');
    expect(missing?.status()).toBe(404);
    expect(await h1(page)).toBe('Page not found');
    await expectNoAxeViolations(page, 'page not found');

    // Sign out, by keyboard.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Sign out', 'the "Sign out" button');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(new URL(page.url()).pathname).toBe('/signed-out');
    expect(await h1(page)).toBe('You have signed out');
    await expectNoAxeViolations(page, 'signed out');
    expect((await context.cookies()).find((c) => c.name === 'tl_session')).toBeUndefined();

    // The old session is gone: the home page asks for sign-in again.
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(problems, 'script or console errors in the pages').toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('passes axe on the access pages: search, break-glass, its review, and the audit trail', async () => {
    const signIn = async (email: string) => {
      const opened = await newPage(mainApp);
      await opened.page.goto('/sign-in');
      await opened.page.fill('#email', email);
      await opened.page.fill('#password', DEMO_PASSWORD);
      await pressAndWaitForNavigation(opened.page, 'Enter');
      return opened;
    };
    const dsl = await signIn('dsl.brown@school.demo.test');
    await dsl.page.goto('/search?name=Oskar');
    expect(await h1(dsl.page)).toBe('Find a person');
    await expectNoAxeViolations(dsl.page, 'search with no matches');
    await dsl.page.goto('/break-glass?name=Oskar');
    await expectNoAxeViolations(dsl.page, 'break-glass form');
    await dsl.page.click('button:has-text("Search in an emergency")');
    expect(await dsl.page.locator('.govuk-error-summary').count()).toBe(1);
    await expectNoAxeViolations(dsl.page, 'break-glass form with errors');
    await dsl.page.fill('#reason', 'Oskar came to breakfast club hurt and frightened to go home');
    await dsl.page.click('button:has-text("Search in an emergency")');
    await expectNoAxeViolations(dsl.page, 'break-glass results');
    await dsl.page.click('button:has-text("Open for 2 hours")');
    expect(await h1(dsl.page)).toBe('Oskar Nowak');
    await expectNoAxeViolations(dsl.page, 'a record opened by break-glass');
    // The form sent without a reason answers 400 on purpose; nothing else may log an error.
    expect(dsl.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await dsl.context.close();

    const head = await signIn('head.green@school.demo.test');
    await head.page.goto('/break-glass/review');
    expect(await head.page.textContent('main')).toContain('Kerry Brown: opened Oskar Nowak');
    await expectNoAxeViolations(head.page, 'break-glass review');
    await head.context.close();

    const dpo = await signIn('dpo.evans@partnership.demo.test');
    await dpo.page.goto('/admin/audit');
    await expectNoAxeViolations(dpo.page, 'audit search');
    await dpo.context.close();

    const sw = await signIn('sw.lee@csc.demo.test');
    await sw.page.goto('/');
    await sw.page.click('text=Ruby Carter');
    expect(await sw.page.textContent('main')).toContain('Who has looked at this record');
    await expectNoAxeViolations(sw.page, 'a record with its access log, consent and allocation forms');
    await sw.context.close();
  }, TEST_TIMEOUT_MS);

  it('lets the front door review who is who, merge and undo the merge by keyboard, with no WCAG 2.2 AA failures', async () => {
    const { context, page, problems } = await newPage(mainApp);
    await page.goto('/sign-in');
    await page.fill('#email', 'fd.patel@csc.demo.test');
    await page.fill('#password', DEMO_PASSWORD);
    await pressAndWaitForNavigation(page, 'Enter');

    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Records to review', 'the "Records to review" navigation link');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await h1(page)).toBe('Who is who: records to review');
    await expectNoAxeViolations(page, 'review queue');

    await tabTo(page, (f) => f.tag === 'a' && f.text.startsWith('Review') && f.text.includes('Dean Mills'), 'the Dean Mills pair');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await h1(page)).toBe('Are these the same person?');
    await expectNoAxeViolations(page, 'a pair side by side');

    // Submitting without a decision shows the error summary.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Record decision', 'the "Record decision" button');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    await expectNoAxeViolations(page, 'a pair with errors');

    // "Same person", by keyboard: the first radio, a reason, then the button.
    await tabTo(page, (f) => f.id === 'decision', 'the "Same person" radio');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.id === 'reason', 'the reason box');
    await page.keyboard.type('Same mobile number on both files');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Record decision', 'the "Record decision" button');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await h1(page)).toBe('Dean Mills');
    expect(await page.textContent('main')).toContain('The two people were merged');
    const merged = page.url();
    await expectNoAxeViolations(page, 'the merged person with their records');

    await tabTo(page, (f) => f.tag === 'textarea' && f.id.startsWith('undo-reason'), 'the undo reason', 80);
    await page.keyboard.type('Different dates of birth on closer look');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Undo this merge', 'the "Undo this merge" button');
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await page.textContent('main')).toContain('The merge was undone');
    expect(page.url()).not.toBe(merged);
    await expectNoAxeViolations(page, 'the person restored by undoing the merge');

    await page.goto(new URL(merged).pathname + '/family');
    await expectNoAxeViolations(page, 'the whole-family page with its genogram');
    expect(await page.locator('svg[role="img"]').count()).toBe(1);
    // The decision sent without a choice answers 400 on purpose; nothing else may log an error.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await context.close();

    const admin = await newPage(mainApp);
    await admin.page.goto('/sign-in');
    await admin.page.fill('#email', 'admin@partnership.demo.test');
    await admin.page.fill('#password', DEMO_PASSWORD);
    await pressAndWaitForNavigation(admin.page, 'Enter');
    await admin.page.goto('/admin/import');
    await expectNoAxeViolations(admin.page, 'the import page');
    await admin.page.setInputFiles('#file', 'test/fixtures/exchange/broken.json');
    await admin.page.click('button:has-text("Import")');
    expect(await admin.page.textContent('main')).toContain('Imported, with rejections');
    await expectNoAxeViolations(admin.page, 'an import summary with rejections and warnings');
    await admin.context.close();
  }, TEST_TIMEOUT_MS);

  it('records one concern about two siblings, shows it on both chronologies, with no WCAG 2.2 AA failures on the chronology, family and recording pages', async () => {
    const { context, page, problems } = await newPage(mainApp);
    await page.goto('/sign-in');
    await page.fill('#email', 'sw.lee@csc.demo.test');
    await page.fill('#password', DEMO_PASSWORD);
    await pressAndWaitForNavigation(page, 'Enter');
    await page.click('text=Ruby Carter');
    const ruby = new URL(page.url()).pathname;
    await page.goto(`${ruby}/chronology`);
    expect(await h1(page)).toBe('Ruby Carter');
    await expectNoAxeViolations(page, 'a child’s chronology with its timeline and figures');
    await page.goto(`${ruby}/chronology?scope=family`);
    await expectNoAxeViolations(page, 'the family chronology');
    await page.goto(`${ruby}/family`);
    await expectNoAxeViolations(page, 'the whole-family page');

    await page.goto(`${ruby}/chronology`);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Record an entry', 'the "Record an entry" button', 80);
    await pressAndWaitForNavigation(page, 'Enter');
    await expectNoAxeViolations(page, 'choosing what to record');
    await page.check('input[name="kind"][value="concern"]');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Continue")')]);
    expect(await h1(page)).toBe('A concern');
    await expectNoAxeViolations(page, 'the concern form');
    // Saving with no description shows the error summary, and keeps the choices made.
    await page.check('input[name="subjects"] >> nth=1');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save the entry")')]);
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    await expectNoAxeViolations(page, 'the concern form with errors');
    expect(await page.locator('input[name="subjects"]:checked').count()).toBe(2);
    await page.fill('#summary', 'Ruby and Alfie both came in without coats in the snow; Ruby said the heating is off at home.');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save the entry")')]);
    expect(await page.textContent('main')).toContain('Entry recorded');
    expect(await page.textContent('main')).toContain('Ruby said the heating is off at home.');
    await expectNoAxeViolations(page, 'the chronology after recording');
    // The same entry on the brother's chronology.
    const alfie = await page.getAttribute('main a[href^="/people/"][href$="/chronology"]:has-text("Alfie")', 'href').catch(() => null);
    await page.goto(`${ruby}/chronology?scope=family`);
    const alfieLink = alfie ?? (await page.getAttribute('table a:has-text("Alfie Carter")', 'href'));
    await page.goto(alfieLink!);
    expect(await page.textContent('main')).toContain('Ruby said the heating is off at home.');
    await page.click('text=History and corrections');
    expect(await h1(page)).toBe('History of this entry');
    await expectNoAxeViolations(page, 'an entry’s history with the correction forms');
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('warns before the idle time-out and lets the user stay signed in by keyboard (WCAG 2.2.1)', async () => {
    const { context, page, problems } = await newPage(shortIdleApp);
    await page.goto('/sign-in');
    await page.fill('#email', DEMO_EMAIL);
    await page.fill('#password', DEMO_PASSWORD);
    await pressAndWaitForNavigation(page, 'Enter');
    expect(await h1(page)).toBe('My work');

    // The warning opens as a modal dialog about 6 s after the last activity.
    const dialog = page.locator('dialog#timeout-dialog');
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open), { timeout: 20_000, interval: 250 }).toBe(true);
    expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
    expect(await page.locator('#timeout-heading').textContent()).toContain('about to be signed out');
    await expectNoAxeViolations(page, 'time-out warning');

    // Focus is inside the dialog, so the keyboard reaches "Stay signed in" without leaving it.
    let f = await focused(page);
    expect(f.inDialog, `focus should be inside the dialog, is on ${f.tag} "${f.text}"`).toBe(true);
    if (f.text !== 'Stay signed in') f = await tabTo(page, (x) => x.text === 'Stay signed in', 'the "Stay signed in" button', 5);
    expect(f.inDialog).toBe(true);
    await expectVisibleFocus(page, 'the "Stay signed in" button');
    expect((await focused(page)).text).toBe('Stay signed in');
    await page.keyboard.press('Enter');

    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open), { timeout: 5_000, interval: 100 }).toBe(false);
    // Still on the same page (the script extended the session without navigating).
    expect(new URL(page.url()).pathname).toBe('/');
    const remaining = await page.evaluate(async () => {
      const response = await fetch('/session/remaining', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      return { status: response.status, body: (await response.json()) as { secondsRemaining: number } };
    });
    expect(remaining.status).toBe(200);
    expect(remaining.body.secondsRemaining).toBeGreaterThan(120);

    // The warning comes back before the next time-out; Escape must not dismiss it silently with
    // the clock still running: it counts as "Stay signed in".
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open), { timeout: 20_000, interval: 250 }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open), { timeout: 5_000, interval: 100 }).toBe(false);
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const response = await fetch('/session/remaining', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
            return ((await response.json()) as { secondsRemaining: number }).secondsRemaining;
          }),
        { timeout: 5_000, interval: 250 },
      )
      .toBeGreaterThan(120);
    expect(problems, 'script or console errors in the pages').toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);
});
