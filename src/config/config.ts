import { resolve } from 'node:path';
import { z } from 'zod';
import { UserFacingError } from '../shared/errors.js';

/** The session secret used when none is configured. Refused in production. */
export const DEVELOPMENT_SESSION_SECRET = 'throughline-development-session-secret-do-not-use';

/** Where the data lives: an embedded PGlite folder, or a PostgreSQL server. */
export type StoreConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' }
  | { kind: 'postgres'; url: string };

export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  store: StoreConfig;
  sessionSecret: string;
  /** Idle minutes before a session ends (WCAG 2.2.1: warned two minutes before). */
  sessionIdleMinutes: number;
  /** Hours after sign-in at which a session ends whatever the activity. */
  sessionAbsoluteHours: number;
  /** Failed sign-ins for one email within the window that lock it. */
  signInMaxFailures: number;
  signInLockMinutes: number;
  logLevel: string;
  /** The address users reach the service at (links in notification emails). */
  publicUrl: string;
  /** An SMTP server for notification emails (which carry no personal data), or null: in-app only. */
  mail: { url: string; from: string } | null;
}

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z
    .string()
    .regex(/^\d+$/, 'PORT must be a whole number')
    .transform(Number)
    .refine((n) => n > 0 && n < 65536, 'PORT must be between 1 and 65535')
    .optional(),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  THROUGHLINE_DATA_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().optional(),
  SESSION_IDLE_MINUTES: z.string().regex(/^\d+$/).transform(Number).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PUBLIC_URL: z.string().url('PUBLIC_URL must be an address such as https://throughline.example.gov.uk').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).optional(),
});

/**
 * Reads the configuration from the environment and command-line overrides. Throws a
 * `UserFacingError` with one clear sentence when the configuration cannot work, and refuses to run
 * in production (`NODE_ENV=production`) with a default or weak session secret.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { dataDir?: string | undefined; port?: number | undefined } = {},
): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserFacingError(
      `The setting ${String(issue?.path.join('.'))} is not valid: ${issue?.message ?? 'unknown problem'}.`,
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = overrides.dataDir ?? e.THROUGHLINE_DATA_DIR;

  let store: StoreConfig;
  if (e.DATABASE_URL) {
    if (dataDir) {
      throw new UserFacingError(
        'Choose either a data folder (--data or THROUGHLINE_DATA_DIR) or DATABASE_URL, not both.',
        { exitCode: 2 },
      );
    }
    if (!/^postgres(ql)?:\/\//i.test(e.DATABASE_URL)) {
      throw new UserFacingError(
        'DATABASE_URL must start with postgres:// or postgresql:// (for example postgres://user@localhost:5432/throughline).',
        { exitCode: 2 },
      );
    }
    store = { kind: 'postgres', url: e.DATABASE_URL };
  } else {
    store = { kind: 'pglite', dataDir: resolve(dataDir ?? 'data') };
  }

  const sessionSecret = e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET;
  if (production && (sessionSecret === DEVELOPMENT_SESSION_SECRET || sessionSecret.length < 32)) {
    throw new UserFacingError(
      'In production SESSION_SECRET must be set to a random value of at least 32 characters.',
      { exitCode: 2 },
    );
  }

  const port = overrides.port ?? e.PORT ?? 3000;
  if (production && e.SMTP_URL && !e.PUBLIC_URL) {
    throw new UserFacingError('With SMTP_URL set in production, set PUBLIC_URL too: notification emails link to it.', { exitCode: 2 });
  }
  return {
    production,
    port,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    store,
    sessionSecret,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES ?? 30,
    sessionAbsoluteHours: 12,
    signInMaxFailures: 5,
    signInLockMinutes: 15,
    logLevel: e.LOG_LEVEL ?? 'info',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    mail: e.SMTP_URL ? { url: e.SMTP_URL, from: e.MAIL_FROM ?? 'Throughline <no-reply@throughline.invalid>' } : null,
  };
}
