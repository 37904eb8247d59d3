import { join } from 'node:path';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { packageDir } from './assets.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date as GOV.UK style writes it, keeping the precision it was recorded with:
 * "2019-05-04" → "4 May 2019", "2019-05" → "May 2019", "2019" → "2019". Anything else is shown as is.
 */
export function ukDate(value: unknown): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value ?? '');
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text);
  if (!match) return text;
  const [, year, month, day] = match;
  if (!month) return year!;
  const monthName = MONTHS[Number(month) - 1] ?? month;
  return day ? `${Number(day)} ${monthName} ${year}` : `${monthName} ${year}`;
}

/** An NHS number in the 3-3-4 groups people read it in. */
export function formatNhsNumber(value: unknown): string {
  const digits = String(value ?? '').replace(/\s/g, '');
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : String(value ?? '');
}

/** Configures Nunjucks with our views and the GOV.UK and MoJ component templates. Autoescaping is on. */
export function configureViews(app: Express, production: boolean): nunjucks.Environment {
  const env = nunjucks.configure(
    [join(import.meta.dirname, 'views'), join(packageDir('govuk-frontend'), 'dist'), packageDir('@ministryofjustice/frontend')],
    { autoescape: true, express: app, noCache: !production, throwOnUndefined: false },
  );
  env.addFilter('ukDate', ukDate);
  env.addFilter('nhsNumber', formatNhsNumber);
  app.set('view engine', 'njk');
  return env;
}
