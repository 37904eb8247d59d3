import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import type { DB } from '../db/schema.js';
import { AccessDeniedError, NotFoundError, PersonMovedError, UserFacingError } from '../shared/errors.js';
import { BUILD_DIR, buildAssets, packageDir } from './assets.js';
import { CsrfError, csrfProtection } from './middleware/csrf.middleware.js';
import { requestContext } from './middleware/request-context.middleware.js';
import { keepRecordingDraft } from './middleware/timed-out-form.middleware.js';
import { requestLog } from './middleware/request-log.middleware.js';
import { noStore, securityHeaders } from './middleware/security-headers.middleware.js';
import { loadSession } from './middleware/session.middleware.js';
import { authRoutes } from './routes/auth.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { homeRoutes } from './routes/home.routes.js';
import { peopleRoutes } from './routes/people.routes.js';
import { chronologyRoutes } from './routes/chronology.routes.js';
import { alertRoutes } from './routes/alerts.routes.js';
import { replayRoutes } from './routes/replay.routes.js';
import { inlineJobs, type EvaluationJobs } from '../jobs/job-queue.js';
import { searchRoutes } from './routes/search.routes.js';
import { identityRoutes } from './routes/identity.routes.js';
import { importRoutes } from './routes/import.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import type { RouteDef } from './routes/route.js';
import { configureViews } from './views.js';

export interface AppDependencies {
  db: Kysely<DB>;
  config: AppConfig;
  logger: Logger;
  /** Background jobs (the server's queue); without one, evaluation runs in the request after the change commits. */
  jobs?: EvaluationJobs;
}

/** Every route of the application, in one list (the route matrix test walks it). */
export function allRoutes({ db, config, logger, jobs }: AppDependencies): RouteDef[] {
  const queue = jobs ?? inlineJobs(db, config, logger);
  return [
    ...healthRoutes(db),
    ...authRoutes(db, config),
    ...homeRoutes(db),
    ...peopleRoutes(db),
    ...chronologyRoutes(db, queue),
    ...alertRoutes(db),
    ...replayRoutes(db),
    ...searchRoutes(db),
    ...identityRoutes(db, queue),
    ...importRoutes(db, queue),
    ...adminRoutes(db),
  ];
}

/** Builds the Express application. The middleware list below is the order a request meets them. */
export function createApp(deps: AppDependencies): Express {
  const { db, config, logger } = deps;
  buildAssets();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.production ? 1 : false);
  configureViews(app, config.production);

  app.use(requestContext());
  app.use(requestLog(logger));
  app.use(securityHeaders(config.production));
  app.use('/assets', assetRoutes());
  app.use(noStore());
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  app.use(express.json({ limit: '200kb' }));
  app.use(loadSession(db, config));
  app.use(csrfProtection(config.sessionSecret, config.production, keepRecordingDraft(db)));

  for (const route of allRoutes(deps)) {
    app[route.method](route.path, route.guard, ...(route.before ?? []), route.handler);
  }

  app.use((req, res) => {
    res.status(404).render('pages/error.njk', { status: 404, title: 'Page not found' });
  });
  app.use(errorHandler(config.production, logger));
  return app;
}

function assetRoutes(): express.Router {
  const router = express.Router();
  const options = { maxAge: '1h', fallthrough: true, index: false as const };
  router.use(express.static(BUILD_DIR, options));
  router.use('/js', express.static(join(import.meta.dirname, 'assets', 'js'), options));
  router.use('/images', express.static(join(import.meta.dirname, 'assets', 'images'), options));
  const govukDist = join(packageDir('govuk-frontend'), 'dist', 'govuk');
  router.get('/govuk/govuk-frontend.min.js', ((_req, res) => res.sendFile(join(govukDist, 'govuk-frontend.min.js'))) as RequestHandler);
  router.use('/govuk', express.static(join(govukDist, 'assets'), options));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return router;
}

function errorHandler(production: boolean, logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    void _next;
    if (error instanceof PersonMovedError) {
      // A merged person's address leads to the person they are now (same page, same section).
      const rest = req.path.replace(/^\/people\/[^/]+/, '');
      return res.redirect(302, `/people/${error.survivorId}${rest}`);
    }
    if (error instanceof NotFoundError || error instanceof AccessDeniedError) {
      return res.status(404).render('pages/error.njk', { status: 404, title: 'Page not found' });
    }
    if (error instanceof CsrfError) {
      return res.status(403).render('pages/error.njk', {
        status: 403,
        title: 'Your form could not be sent',
        message: 'For your security, forms expire. Go back, refresh the page and try again.',
      });
    }
    const status = (error as { status?: number }).status;
    if (error instanceof UserFacingError || (status !== undefined && status >= 400 && status < 500)) {
      return res.status(error instanceof UserFacingError ? 400 : status!).render('pages/error.njk', {
        status: 400,
        title: 'There is a problem with the request',
        message: error instanceof UserFacingError ? error.message : undefined,
      });
    }
    logger.error({ err: error, correlationId: req.correlationId, path: req.path }, 'request failed');
    res.status(500).render('pages/error.njk', {
      status: 500,
      title: 'Sorry, there is a problem with the service',
      reference: req.correlationId,
      stack: production ? undefined : (error as Error)?.stack,
    });
  };
}
