import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One log line per request when it finishes: method, the route's pattern (never the query string,
 * which can hold a searched name), status, duration and correlation id. Assets are not logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/assets/')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? (res.statusCode === 404 ? '(no route)' : req.path);
      logger.info(
        {
          method: req.method,
          route,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          correlationId: req.correlationId,
          user: req.user?.userId,
        },
        'request',
      );
    });
    next();
  };
}
