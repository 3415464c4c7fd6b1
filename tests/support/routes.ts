import type { Express } from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route an app mounts, as method and Express path pattern (Express 5's router stack). */
export function mountedRoutes(app: Express): Array<{ method: string; path: string }> {
  const walk = (stack: Layer[]): Array<{ method: string; path: string }> =>
    stack.flatMap((layer) =>
      layer.route
        ? [layer.route.path]
            .flat()
            .flatMap((path) =>
              Object.keys(layer.route!.methods).map((method) => ({ method: method.toUpperCase(), path })),
            )
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}
