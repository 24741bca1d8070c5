import type { SimHttpHandler, SimHttpRequest, SimHttpResponse } from './http-types.js';

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: SimHttpHandler;
}

/**
 * A tiny method + path router. Paths are literal segments and `:name` parameters
 * (`/products/:id/book`); the first route added that matches wins. Unmatched
 * requests go to the not-found handler (404 `{ message: 'Not Found' }` by default;
 * simulators replace it with their exchange's answer).
 */
export class Router {
  private readonly routes: Route[] = [];
  private notFoundHandler: SimHttpHandler = () => ({ status: 404, body: { message: 'Not Found' } });

  /** Adds a route for `method` (case-insensitive; `*` for any method). */
  add(method: string, path: string, handler: SimHttpHandler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(path), handler });
    return this;
  }

  /** Adds a GET route. */
  get(path: string, handler: SimHttpHandler): this {
    return this.add('GET', path, handler);
  }

  /** Adds a POST route. */
  post(path: string, handler: SimHttpHandler): this {
    return this.add('POST', path, handler);
  }

  /** Adds a PUT route. */
  put(path: string, handler: SimHttpHandler): this {
    return this.add('PUT', path, handler);
  }

  /** Adds a DELETE route. */
  delete(path: string, handler: SimHttpHandler): this {
    return this.add('DELETE', path, handler);
  }

  /** Replaces the handler for requests no route matches. */
  notFound(handler: SimHttpHandler): this {
    this.notFoundHandler = handler;
    return this;
  }

  /** The route and parameters for a method and path, if one matches. */
  match(
    method: string,
    path: string,
  ): { handler: SimHttpHandler; params: Record<string, string> } | undefined {
    const parts = split(path);
    const m = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== '*' && route.method !== m) continue;
      const params = matchSegments(route.segments, parts);
      if (params !== undefined) return { handler: route.handler, params };
    }
    return undefined;
  }

  /** Dispatches a request: a {@link SimHttpHandler} to pass to `startHttpServer`. */
  readonly handle = (request: SimHttpRequest): SimHttpResponse | Promise<SimHttpResponse> => {
    const found = this.match(request.method, request.path);
    if (found === undefined) return this.notFoundHandler(request);
    return found.handler({ ...request, params: found.params });
  };
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(v);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = decoded;
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}
