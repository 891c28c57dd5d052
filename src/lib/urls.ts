/** A route's parameters, by name (`tenant`, `customerId`…). */
export type PathParameters = Record<string, string | number>;
/** What a query string may carry; an undefined or empty value is left out. */
export type QueryParameters = Record<string, string | number | undefined>;
export type PathTo = (name: string, parameters?: PathParameters, query?: QueryParameters) => string;

/** Absolute links for e-mails: the base URL in front of a route's path. */
export type Links = { absolute(name: string, parameters: PathParameters, query?: QueryParameters): string };

/**
 * The one way to a URL: builds a route's path from its name (src/routes.ts) and parameters.
 * Values are encoded; a missing parameter or an unknown name is a programming error and throws.
 */
export function createPathTo(routes: ReadonlyArray<{ name: string; path: string }>): PathTo {
  const paths = new Map<string, string>();
  for (const route of routes) {
    if (paths.has(route.name)) throw new Error(`two routes are named ${route.name}`);
    paths.set(route.name, route.path);
  }
  return (name, parameters = {}, query = {}) => {
    const pattern = paths.get(name);
    if (pattern === undefined) throw new Error(`no route is named ${name}`);
    const path = pattern.replace(/:(\w+)/g, (_match, parameter: string) => {
      const value = parameters[parameter];
      if (value === undefined || value === '') throw new Error(`route ${name} needs :${parameter}`);
      return encodeURIComponent(String(value));
    });
    return path + queryString(query);
  };
}

function queryString(query: QueryParameters): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Links to this installation's pages for e-mails, from its public base URL. */
export function createLinks(pathTo: PathTo, baseUrl: string): Links {
  const base = baseUrl.replace(/\/$/, '');
  return { absolute: (name, parameters, query) => `${base}${pathTo(name, parameters, query)}` };
}
