import { existsSync, readFileSync } from 'node:fs';
import ejs from 'ejs';

/** A view compiled by EJS as a function of its data and the include it is given (EJS's `client` form). */
type CompiledView = (data: Record<string, unknown>, escape: undefined, include: (name: string, extra?: Record<string, unknown>) => string) => string;

/** Express's engine signature. */
type Engine = (file: string, data: object, done: (error: unknown, html?: string) => void) => void;

/**
 * The views' engine: EJS templates, the same syntax and includes as ejs.renderFile, with what a page
 * costs on every request moved to the first (issue 20). EJS resolves every include() of every render
 * with a file-system check, and copies the page's data for each: on the client's start page (about 40
 * includes) that was a tenth of the request. Here each view is compiled once and each include's file
 * found once (when cached, in production); an include's data is a child of its page's (its own values
 * on top), so a view that assigns to a name changes only its own copy, as with EJS.
 */
export function createViewEngine(options: { isCached: boolean }): Engine & { cachedFiles(): string[] } {
  const views = new Map<string, CompiledView>();
  const includes = new Map<string, string>();

  const viewOf = (file: string): CompiledView => {
    const known = views.get(file);
    if (known) return known;
    const view = ejs.compile(readFileSync(file, 'utf8'), { client: true, filename: file }) as unknown as CompiledView;
    if (options.isCached) views.set(file, view);
    return view;
  };

  const includedFile = (from: string, name: string): string => {
    const key = `${from}\n${name}`;
    const known = includes.get(key);
    if (known) return known;
    const file = ejs.resolveInclude(name, from);
    if (!existsSync(file)) throw new Error(`Could not find the include file "${name}" (included by ${from})`);
    if (options.isCached) includes.set(key, file);
    return file;
  };

  const render = (file: string, data: Record<string, unknown>): string => viewOf(file)(data, undefined, (name, extra) => render(includedFile(file, name), childOf(data, extra)));

  const engine: Engine = (file, data, done) => {
    let html: string;
    try {
      html = render(file, data as Record<string, unknown>);
    } catch (error) {
      done(error);
      return;
    }
    done(null, html);
  };
  return Object.assign(engine, { cachedFiles: () => [...views.keys()] });
}

/** An include's data: the page's as its prototype, its own values on top (skipping, as EJS does, keys that would reach a prototype). */
function childOf(data: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const child = Object.create(data) as Record<string, unknown>;
  if (extra) for (const key of Object.keys(extra)) if (key !== '__proto__' && key !== 'constructor') child[key] = extra[key];
  return child;
}
