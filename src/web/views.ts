import { join } from 'node:path';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { packageDir } from './assets.js';
import { ukDate } from '../shared/uk-date.js';

export { ukDate };

/** An NHS number in the 3-3-4 groups people read it in. */
export function formatNhsNumber(value: unknown): string {
  const digits = String(value ?? '').replace(/\s/g, '');
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : String(value ?? '');
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });

/** A moment as people in England read it: "22 November 2026, 3:45 pm" (London time). */
export function ukDateTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? '' : DATE_TIME.format(date);
}

interface NavUser {
  roles: string[];
}

/** The service navigation for a user's roles. */
export function navigationFor(user: NavUser | undefined, section: string | undefined): { href: string; text: string; active: boolean }[] {
  if (!user) return [];
  const has = (...roles: string[]) => roles.some((r) => user.roles.includes(r));
  return [
    { href: '/', text: 'My work', active: section === 'home' },
    ...(has('practitioner', 'manager', 'front-door') ? [{ href: '/search', text: 'Find a person', active: section === 'search' }] : []),
    ...(has('front-door') ? [{ href: '/identity/review', text: 'Records to review', active: section === 'identity' }] : []),
    ...(has('admin') ? [{ href: '/admin/import', text: 'Import', active: section === 'import' }] : []),
    ...(has('manager', 'admin') ? [{ href: '/break-glass/review', text: 'Emergency access review', active: section === 'review' }] : []),
    ...(has('admin', 'dpo') ? [{ href: '/admin/audit', text: 'Audit trail', active: section === 'audit' }] : []),
  ];
}

/** Configures Nunjucks with our views and the GOV.UK and MoJ component templates. Autoescaping is on. */
export function configureViews(app: Express, production: boolean): nunjucks.Environment {
  const env = nunjucks.configure(
    [join(import.meta.dirname, 'views'), join(packageDir('govuk-frontend'), 'dist'), packageDir('@ministryofjustice/frontend')],
    { autoescape: true, express: app, noCache: !production, throwOnUndefined: false },
  );
  env.addFilter('ukDate', ukDate);
  env.addFilter('nhsNumber', formatNhsNumber);
  env.addFilter('ukDateTime', ukDateTime);
  env.addFilter('concat', (a: unknown[], b: unknown[]) => [...(a ?? []), ...(b ?? [])]);
  env.addGlobal('navigationFor', navigationFor);
  env.addGlobal('roleNames', { 'lead-practitioner': 'Lead practitioner', 'team-around-child': 'Team around the child', 'service-provided': 'Service provided', 'front-door': 'Front door contact' });
  env.addGlobal('consentNames', { given: 'Consent given', refused: 'Consent refused', 'not-sought': 'Consent not sought' });
  app.set('view engine', 'njk');
  return env;
}
