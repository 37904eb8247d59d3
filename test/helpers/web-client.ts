import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { createLogger } from '../../src/shared/logger.js';
import { createApp } from '../../src/web/app.js';

/** A running app on a free port, for HTTP tests. */
export interface RunningApp {
  baseUrl: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** Starts the real application on the given store. */
export async function startApp(store: Database, overrides: Partial<AppConfig> = {}): Promise<RunningApp> {
  const config = { ...loadConfig({ NODE_ENV: 'test' }), ...overrides };
  const app = createApp({ db: store.db, config, logger: createLogger('silent') });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A browser-like HTTP client: keeps cookies, never follows redirects, reads CSRF tokens from pages. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, body?: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: body ? new URLSearchParams(body).toString() : undefined,
    });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const cookie of this.lastSetCookies) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  /** The CSRF token in the form on `path`. */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match) throw new Error(`no CSRF token on ${path}`);
    return match[1]!;
  }

  async post(path: string, body: Record<string, string>, tokenFrom = path): Promise<Response> {
    const token = await this.csrfFrom(tokenFrom);
    return this.request('POST', path, { _csrf: token, ...body });
  }

  async signIn(email: string, password: string): Promise<Response> {
    return this.post('/sign-in', { email, password });
  }
}
