import type { Server } from 'node:http';
import { UserFacingError } from '../../shared/errors.js';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the web application (loads demo data the first time, outside production)',
  usage: 'serve [--port N]',
  help: `Migrates the database, loads the demo partnership the first time (not in production), and serves
the web application on http://localhost:3000 (PORT or --port chooses another).
In production (NODE_ENV=production) it refuses to start with demo data or demo accounts.`,
  options: { port: { type: 'string' } },
  async run({ values, global }) {
    const { logger } = await import('../../shared/logger.js');
    const { hasDemoData } = await import('../../directory/directory.service.js');
    const { DEMO_ACCOUNTS, DEMO_PASSWORD, loadDemoData } = await import('../../demo/demo-data.js');
    const { createApp } = await import('../../web/app.js');
    const { openStore } = await import('../open-store.js');
    const { cliContext } = await import('../../access/cli-context.js');
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new UserFacingError('--port must be a whole number between 1 and 65535.', { exitCode: 2 });
    }
    const { config, store } = await openStore(global, { port });
    try {
      if (config.production) {
        if (await hasDemoData(store.db)) {
          throw new UserFacingError('This database holds demo data or demo accounts, which are not allowed in production; use a new database.', { exitCode: 2 });
        }
      } else {
        const demo = await loadDemoData(store.db, { production: false, actorFor: (id) => cliContext(id, 'load demonstration data') });
        if (demo.loaded) process.stderr.write('Loaded the demo partnership (Northshire).\n');
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    const { startJobQueue } = await import('../../jobs/job-queue.js');
    let queue;
    try {
      queue = await startJobQueue(store.db, config, logger);
    } catch (error) {
      await store.close();
      throw error;
    }
    const app = createApp({ db: store.db, config, logger, jobs: queue.jobs });
    let server: Server;
    try {
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(config.port, config.host, () => resolve(s));
        s.once('error', (error: NodeJS.ErrnoException) => {
          reject(
            error.code === 'EADDRINUSE'
              ? new UserFacingError(`Port ${config.port} is already in use; stop the other program or choose another port with PORT=3001.`, { exitCode: 2 })
              : error,
          );
        });
      });
    } catch (error) {
      await queue.stop();
      await store.close();
      throw error;
    }

    const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
    const lines = [`Throughline is running on ${store.describe}.`, `Sign in at http://${shownHost}:${config.port}/sign-in`];
    if (!config.production) {
      lines.push('', `Demo accounts (password "${DEMO_PASSWORD}"):`);
      for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.email.padEnd(38)} ${a.jobTitle}`);
    }
    lines.push('', 'Press Ctrl+C to stop.');
    process.stdout.write(`${lines.join('\n')}\n`);

    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stderr.write('Stopping...\n');
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await queue.stop();
    await store.close();
    return 0;
  },
};
