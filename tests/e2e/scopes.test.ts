import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { createApp } from '../../api/app';
import { scopeOf } from '../../api/scopes';
import { API_SCOPES, type ApiScope } from '../../platform/config/schema';
import { createLogger } from '../../platform/logger';
import { restOrder } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { mountedRoutes } from '../support/routes';

const WITHOUT = API_SCOPES.filter((scope): scope is Exclude<ApiScope, 'admin'> => scope !== 'admin');
const envOf = (name: string) => `CROSSDOCK_API_KEY_ACME_${name.toUpperCase()}`;

/**
 * API keys with scopes: for every route of the REST API, a key holding every scope but the one
 * the route needs is refused with 403 naming it; a key with it gets past the check.
 */
describe('API key scopes', () => {
  let hub: TestHub;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    for (const name of [...WITHOUT.map((s) => `no_${s}`), 'only_read', 'only_orders']) {
      keys[name] = `key_${randomBytes(12).toString('hex')}`;
      process.env[envOf(name)] = keys[name];
    }
    hub = await startTestHub((config) => {
      const acme = config.tenants.find((t) => t.id === 'acme')!;
      for (const scope of WITHOUT)
        acme.apiKeys.push({ env: envOf(`no_${scope}`), scopes: WITHOUT.filter((s) => s !== scope) });
      acme.apiKeys.push({ env: envOf('only_read'), scopes: ['read'] });
      acme.apiKeys.push({ env: envOf('only_orders'), scopes: ['orders'] });
    });
  }, 60_000);
  afterAll(() => hub?.stop());

  const call = (method: string, path: string, key: string, data?: unknown) =>
    axios.request({
      method,
      url: `${hub.apiUrl}${path}`,
      data,
      headers: { Authorization: `Bearer ${key}` },
      validateStatus: () => true,
    });

  it('refuses every route to a key lacking the scope it needs, with 403 naming the scope', async () => {
    const routes = mountedRoutes(createApp(hub.services, createLogger('silent'))).filter((r) =>
      r.path.startsWith('/v1/'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const needed = new Set<ApiScope>();
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, 'x-$1');
      const scope = scopeOf(route.method, path);
      needed.add(scope);
      const key = scope === 'admin' ? keys.no_read! : keys[`no_${scope}`]!; // no key but admin covers admin
      const answer = await call(route.method, path, key, {});
      expect({
        route: `${route.method} ${route.path}`,
        status: answer.status,
        scope: answer.data?.error?.details?.scope,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
        scope,
      });
      expect(answer.data.error.message).toContain(`"${scope}"`);
    }
    // Every scope guards some route, master data's writes among them.
    expect([...needed].sort()).toEqual([...API_SCOPES].sort());
  });

  it('lets a key do what its scopes name and nothing else', async () => {
    expect((await call('GET', '/v1/orders', keys.only_read!)).status).toBe(200);
    const order = restOrder(`scopes-${randomBytes(4).toString('hex')}`, [{ sku: 'MUG-TI', quantity: 1 }]);
    expect((await call('POST', '/v1/orders', keys.only_read!, order)).status).toBe(403);
    expect([200, 202]).toContain((await call('POST', '/v1/orders', keys.only_orders!, order)).status);
    expect((await call('GET', '/v1/orders', keys.only_orders!)).status).toBe(403);
    // The shipped keys hold every scope (`admin`, the default).
    expect(
      (await call('PUT', '/v1/locations/x-id', process.env.CROSSDOCK_API_KEY_ACME!, {})).status,
    ).not.toBe(403);
  });
});
