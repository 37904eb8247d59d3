import { readFileSync } from 'node:fs';
import type { Express } from 'express';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createLogger } from '../../src/shared/logger.js';
import { allRoutes, createApp } from '../../src/web/app.js';
import { pgliteTarget } from '../helpers/stores.js';
import { startApp, WebClient, type RunningApp } from '../helpers/web-client.js';

// The authorisation matrix: every route × every demo account, against the hand-written expectations
// in route-matrix.json. A route added without an entry there fails the first test, so no route can
// be added unguarded.

type Outcome = 'allowed' | 'not-found' | 'forbidden' | 'sign-in';
interface Matrix {
  accounts: Record<string, string | null>;
  routes: Record<string, Record<string, Outcome>>;
}

const matrix = JSON.parse(readFileSync(join(import.meta.dirname, 'route-matrix.json'), 'utf8')) as Matrix;
const accountKeys = Object.keys(matrix.accounts);

let store: Database;
let app: RunningApp;
let rubyId: string;

beforeAll(async () => {
  store = await pgliteTarget.open();
  await loadDemoData(store.db, { production: false });
  app = await startApp(store);
  rubyId = (await store.db.selectFrom('persons').select('id').where('given_name', '=', 'Ruby').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

function routeKeys(): string[] {
  const config = loadConfig({ NODE_ENV: 'test' });
  return allRoutes({ db: null as never, config, logger: createLogger('silent') }).map((r) => `${r.method.toUpperCase()} ${r.path}`);
}

describe('the route matrix', () => {
  it('has an entry for every route, and every route for every account', () => {
    const routes = routeKeys();
    expect(routes.filter((r) => !(r in matrix.routes))).toEqual([]);
    expect(Object.keys(matrix.routes).filter((r) => !routes.includes(r))).toEqual([]);
    for (const [route, outcomes] of Object.entries(matrix.routes)) {
      expect({ route, accounts: Object.keys(outcomes).sort() }).toEqual({ route, accounts: [...accountKeys].sort() });
    }
  });

  it('knows every route Express actually serves (none is registered outside the route list)', () => {
    expect(servedRoutes(buildApp()).sort()).toEqual(routeKeys().sort());
  });

  it('catches a route added to Express without an entry in the matrix', () => {
    const app = buildApp();
    app.get('/people/:id/secrets', (_req, res) => {
      res.send('unguarded');
    });
    expect(servedRoutes(app).filter((r) => !(r in matrix.routes))).toEqual(['GET /people/:id/secrets']);
  });
});

/** The real application, as the server builds it. */
function buildApp(): Express {
  return createApp({ db: store.db, config: loadConfig({ NODE_ENV: 'test' }), logger: createLogger('silent') });
}

/** Every "METHOD /path" Express will answer, read from its own router. */
function servedRoutes(app: Express): string[] {
  const router = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  return router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

function outcomeOf(response: Response): Outcome {
  const location = response.headers.get('location') ?? '';
  if (response.status === 401 || (response.status === 303 && location.startsWith('/sign-in'))) return 'sign-in';
  if (response.status === 404) return 'not-found';
  if (response.status === 403) return 'forbidden';
  if (response.status < 400 || response.status === 400) return 'allowed';
  throw new Error(`unexpected status ${response.status}`);
}

describe.each(accountKeys)('as %s', (accountKey) => {
  it('gets exactly the intended answer from every route', async () => {
    const email = matrix.accounts[accountKey];
    const client = new WebClient(app.baseUrl);
    if (email) {
      const signedIn = await client.signIn(email, DEMO_PASSWORD);
      expect(signedIn.status).toBe(303);
    }
    // Sign-out last: it ends the session the other requests use.
    const entries = Object.entries(matrix.routes).sort(([a], [b]) => Number(a === 'POST /sign-out') - Number(b === 'POST /sign-out'));
    const got: Record<string, Outcome> = {};
    const want: Record<string, Outcome> = {};
    for (const [route, outcomes] of entries) {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace('/people/:id', `/people/${rubyId}`).replace('/review/:id', '/review/4f1e7d3a-0000-4000-8000-000000000000').replace('/:kind', '/concern');
      let response: Response;
      if (method === 'GET') {
        response = await client.get(path);
      } else {
        const token = await client.csrfFrom('/sign-in').catch(() => '');
        response = await client.request('POST', path, { _csrf: email ? await client.csrfFrom('/').catch(() => token) : token });
      }
      got[route] = outcomeOf(response);
      want[route] = outcomes[accountKey]!;
    }
    expect(got).toEqual(want);
  });
});
