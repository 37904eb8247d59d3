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

/** "Threshold days" from "thresholdDays": a setting's name in words. */
export function thresholdLabel(key: unknown): string {
  const words = String(key).replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A setting's value as words: lists joined, shares as percentages, true and false as yes and no. */
export function thresholdValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v).replace(/-/g, ' ')).join(', ') || 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && value > 0 && value < 1) return `${Math.round(value * 1000) / 10}%`;
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${thresholdLabel(k)}: ${thresholdValue(v)}`).join('; ');
  return String(value);
}

/** The service navigation for a user's roles (with the count of their open alerts, when given). */
export function navigationFor(user: NavUser | undefined, section: string | undefined, alerts?: { open: number; unread: number }): { href: string; text?: string; html?: string; active: boolean }[] {
  if (!user) return [];
  const has = (...roles: string[]) => roles.some((r) => user.roles.includes(r));
  const alertsHtml = alerts && alerts.open > 0 ? `My alerts <strong class="app-nav-count">${alerts.open}<span class="govuk-visually-hidden"> open${alerts.unread ? `, ${alerts.unread} new` : ''}</span></strong>` : 'My alerts';
  return [
    { href: '/', text: 'My work', active: section === 'home' },
    ...(has('practitioner', 'manager', 'front-door') ? [{ href: '/alerts', html: alertsHtml, active: section === 'alerts' }] : []),
    ...(has('practitioner', 'manager', 'front-door') ? [{ href: '/search', text: 'Find a person', active: section === 'search' }] : []),
    ...(has('front-door') ? [{ href: '/identity/review', text: 'Records to review', active: section === 'identity' }] : []),
    ...(has('admin') ? [{ href: '/admin/import', text: 'Import', active: section === 'import' }] : []),
    ...(has('manager', 'admin') ? [{ href: '/break-glass/review', text: 'Emergency access review', active: section === 'review' }] : []),
    ...(has('admin', 'dpo') ? [{ href: '/admin/audit', text: 'Audit trail', active: section === 'audit' }] : []),
    ...(has('partnership-analyst') ? [{ href: '/replay', text: 'Replay a case', active: section === 'replay' }] : []),
    { href: '/rules', text: 'Rules', active: section === 'rules' },
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
  env.addFilter('thresholdLabel', thresholdLabel);
  env.addFilter('thresholdValue', thresholdValue);
  env.addGlobal('roleNames', { 'lead-practitioner': 'Lead practitioner', 'team-around-child': 'Team around the child', 'service-provided': 'Service provided', 'front-door': 'Front door contact' });
  env.addGlobal('consentNames', { given: 'Consent given', refused: 'Consent refused', 'not-sought': 'Consent not sought' });
  app.set('view engine', 'njk');
  return env;
}
