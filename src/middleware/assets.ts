import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/** How long a browser keeps a file under its content-hashed name: a year, never asking again. */
const hashedMaxAge = '365d';
/** How long it keeps a file under its plain name (an old page, a bookmark), which may change at the next release. */
const plainMaxAge = '10m';
const hashLength = 10;
const hashedName = new RegExp(`^(.*)\\.([0-9a-f]{${hashLength}})(\\.[^./]+)$`);

export type Assets = {
  /** The address of a file of public/ under its content-hashed name: asset('css/app.css') is /assets/css/app.<hash>.css. */
  urlOf(file: string): string;
  /** Serves public/ at /assets: current hashed names for a year (immutable), plain and outdated names briefly, anything else 404. */
  serve: express.RequestHandler;
};

type Entry = { hash: string; modifiedAt: number };

/**
 * The files of public/, each named by a hash of its content, read once at start. Outside production
 * a file's hash is worked out again when the file has changed, so an edited stylesheet shows at the
 * next reload without a restart. An asset request never reaches the tenant, the session or the
 * database: app.ts serves /assets before the tenant's router.
 * @throws Error from urlOf for a file public/ does not have (a typo in a view fails at once)
 */
export function createAssets(directory: string, options: { isProduction: boolean }): Assets {
  const entries = new Map(filesUnder(directory).map((file) => [file, entryOf(directory, file)]));

  const entryFor = (file: string): Entry | undefined => {
    const entry = entries.get(file);
    if (!entry || options.isProduction) return entry;
    const modifiedAt = statSync(path.join(directory, file)).mtimeMs;
    if (modifiedAt === entry.modifiedAt) return entry;
    const fresh = entryOf(directory, file);
    entries.set(file, fresh);
    return fresh;
  };

  const hashed = express.static(directory, { index: false, fallthrough: false, immutable: true, maxAge: hashedMaxAge });
  const plain = express.static(directory, { index: false, fallthrough: false, maxAge: options.isProduction ? plainMaxAge : 0 });

  return {
    urlOf(file) {
      const entry = entryFor(file);
      if (!entry) throw new Error(`public/${file} does not exist`);
      const extension = path.extname(file);
      return `/assets/${file.slice(0, file.length - extension.length)}.${entry.hash}${extension}`;
    },
    serve(req: Request, res: Response, next: NextFunction) {
      const match = hashedName.exec(req.path.slice(1));
      const file = match ? `${match[1]}${match[3]}` : undefined;
      const entry = file ? entryFor(file) : undefined;
      if (!entry) return plain(req, res, next);
      req.url = `/${file}`;
      // A page of the previous release asks for the previous content: it gets today's, cached briefly.
      (entry.hash === match![2] ? hashed : plain)(req, res, next);
    },
  };
}

function entryOf(directory: string, file: string): Entry {
  const absolute = path.join(directory, file);
  return { hash: createHash('sha256').update(readFileSync(absolute)).digest('hex').slice(0, hashLength), modifiedAt: statSync(absolute).mtimeMs };
}

/** The files under a folder, as paths relative to it with forward slashes. */
function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(path.join(directory, prefix), { withFileTypes: true }).flatMap((item) => {
    const relative = prefix ? `${prefix}/${item.name}` : item.name;
    return item.isDirectory() ? filesUnder(directory, relative) : [relative];
  });
}
