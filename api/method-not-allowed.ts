import type { RequestHandler } from 'express';
import { sendError } from './errors';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface DocumentedPath {
  pattern: RegExp;
  /** Path parameters: a literal segment is more specific than a parameter in its place. */
  parameters: number;
  allow: string[];
}

function documentedPaths(document: { paths: Record<string, Record<string, unknown>> }): DocumentedPath[] {
  return Object.entries(document.paths).map(([path, operations]) => {
    const methods = METHODS.filter((m) => m in operations).map((m) => m.toUpperCase());
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);
    return {
      pattern,
      parameters: (path.match(/\{/g) ?? []).length,
      allow: methods.includes('GET') ? [...methods, 'HEAD'] : methods,
    };
  });
}

/**
 * The methods of a documented path, from the OpenAPI document (the most specific path that
 * matches: `/v1/inventory/{sku}/movements` over `/v1/inventory/{sku}/{location}`): `OPTIONS`
 * answers them in `Allow`, and any other method no route took is 405 with `Allow`, not 404.
 * Paths the document does not name (the codec's CORS preflight among them) go on.
 */
export function documentedMethods(document: { paths: Record<string, Record<string, unknown>> }): {
  options: RequestHandler;
  notAllowed: RequestHandler;
} {
  const paths = documentedPaths(document);
  const match = (path: string) =>
    paths.filter((p) => p.pattern.test(path)).sort((a, b) => a.parameters - b.parameters)[0];
  return {
    options: (req, res, next) => {
      const found = req.method === 'OPTIONS' ? match(req.path) : undefined;
      if (!found) return next();
      res.setHeader('Allow', found.allow.join(', ')).status(204).end();
    },
    notAllowed: (req, res, next) => {
      const found = match(req.path);
      if (!found || found.allow.includes(req.method)) return next();
      res.setHeader('Allow', found.allow.join(', '));
      sendError(
        res,
        405,
        'method_not_allowed',
        `${req.method} is not allowed here; allowed: ${found.allow.join(', ')}`,
      );
    },
  };
}
