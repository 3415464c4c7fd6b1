import { createApp } from '../../api/app';
import { createLogger } from '../../platform/logger';
import { connectServices, type HubServices } from '../../platform/services';
import { endpointsFromEnv, testConfig } from '../support/hub';
import { mountedRoutes } from '../support/routes';

/** Served for people and tools, not part of the API the document describes. */
const NOT_API = /^\/(docs|openapi\.json|metrics|codec\/)/;

/**
 * The OpenAPI document cannot drift from what runs: every route the API mounts is documented,
 * with each of its methods, and every documented operation is mounted.
 */
describe('the API contract', () => {
  let services: HubServices;
  beforeAll(async () => {
    services = await connectServices(testConfig(), endpointsFromEnv());
  });
  afterAll(() => services?.close());

  it('documents every mounted route and mounts every documented one', () => {
    const app = createApp(services, createLogger('silent'));
    const mounted = mountedRoutes(app)
      .filter((route) => !NOT_API.test(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    const paths = (app.locals.openApi as { paths: Record<string, Record<string, unknown>> }).paths;
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => method !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(mounted.length).toBeGreaterThan(40);
    expect({ undocumented: mounted.filter((r) => !documented.includes(r)).sort() }).toEqual({
      undocumented: [],
    });
    expect({ notMounted: documented.filter((r) => !mounted.includes(r)).sort() }).toEqual({ notMounted: [] });
  });
});
