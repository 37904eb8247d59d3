import { pino, type Logger } from 'pino';

/**
 * Paths that may carry personal data or secrets. Pino replaces them with "[redacted]" before a line
 * is written, so a log file never becomes a second, unaudited copy of case data.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'email',
  '*.email',
  'name',
  'person.name',
  'user.name',
  'givenName',
  '*.givenName',
  'familyName',
  '*.familyName',
  'dateOfBirth',
  '*.dateOfBirth',
  'nhsNumber',
  '*.nhsNumber',
  'address',
  '*.address',
  'phone',
  '*.phone',
  'summary',
  '*.summary',
  'body',
  '*.body',
  // Database errors carry the query's values and sometimes the offending row.
  'err.params',
  'err.detail',
  'err.cause.params',
  'err.cause.detail',
];

/**
 * Creates the application logger. Logs go to standard error so that commands can print JSON on
 * standard output.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'throughline' },
    },
    pino.destination(2),
  );
}

/** The process-wide logger. */
export const logger: Logger = createLogger();
