import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicDirectory } from '../../src/lib/paths.js';
import { unmaskedCsrfToken } from '../../src/middleware/csrf.js';
import { compressText } from '../../src/middleware/compression.js';
import { createAppOnDatabase, listenCountingConnections, statementsDuring } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser } from '../support/factories.js';
import { sessionCookieOf, signedInAgent } from '../support/http.js';

type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A GET as a browser sends it, the body as it came over the wire (supertest would unzip it). */
function rawGet(baseUrl: string, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${pathname}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** A page's text without what differs from one rendering to the next: each form's one-time submission key. */
/** A page with what differs on every render taken out: submission keys, and the form token's random mask. */
const samePage = (html: string) =>
  html.replace(/name="submissionKey" value="[^"]*"/g, 'name="submissionKey" value=""').replace(/name="_csrf" value="([^"]*)"/g, (_match, token: string) => `name="_csrf" value="${unmaskedCsrfToken(token)}"`);
const stylesheetOf = (html: string) => /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
const stylesheetContent = () => readFileSync(path.join(publicDirectory, 'css/app.css'));

describeOnEachDatabase('static assets and compression', (env) => {
  let server: Awaited<ReturnType<typeof listenCountingConnections>>;
  beforeAll(async () => {
    server = await listenCountingConnections(env.app);
  });
  afterAll(() => server.close());

  it('links the stylesheet and icon by content-hashed names and serves them for a year, immutable, with no cookie and no query', async () => {
    const tenant = await makeTenant(env.db);
    const page = await request(env.app).get(`/${tenant.slug}/login`);
    const stylesheet = stylesheetOf(page.text)!;
    expect(stylesheet).toMatch(/^\/assets\/css\/app\.[0-9a-f]{10}\.css$/);
    expect(page.text).toMatch(/<link rel="icon" href="\/assets\/img\/favicon\.[0-9a-f]{10}\.svg"/);
    let response!: request.Response;
    const statements = await statementsDuring(env.db, async () => {
      response = await request(env.app).get(stylesheet);
    });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.text).toBe(stylesheetContent().toString());
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(statements).toEqual([]);
  });

  it('still serves the plain and an outdated hashed name, cached briefly, and answers an unknown file with 404 without a query', async () => {
    const plain = await request(env.app).get('/assets/css/app.css');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=0');
    const outdated = await request(env.app).get('/assets/css/app.0123456789.css');
    expect(outdated.status).toBe(200);
    expect(outdated.text).toBe(stylesheetContent().toString());
    expect(outdated.headers['cache-control']).not.toContain('immutable');
    let missing!: request.Response;
    const statements = await statementsDuring(env.db, async () => {
      missing = await request(env.app).get('/assets/css/nothing.css');
    });
    expect(missing.status).toBe(404);
    expect(missing.headers['set-cookie']).toBeUndefined();
    expect(statements).toEqual([]);
  });

  it('caches plain names for ten minutes in production', async () => {
    const production = createAppOnDatabase(env.db, { config: { NODE_ENV: 'production', BASE_URL: 'https://ebok.example' } });
    try {
      expect((await request(production.app).get('/assets/css/app.css')).headers['cache-control']).toBe('public, max-age=600');
    } finally {
      production.close();
    }
  });

  it('sends a signed-in page gzipped (or brotli) to a browser that accepts it, the same page once unzipped', async () => {
    const tenant = await makeTenant(env.db);
    const client = await makeUser(env.db, tenant, 'client');
    const agent = await signedInAgent(env.app, tenant, client.login);
    const cookie = sessionCookieOf(agent, tenant);
    await rawGet(server.baseUrl, `/${tenant.slug}/portal`, { cookie });
    const plain = await rawGet(server.baseUrl, `/${tenant.slug}/portal`, { cookie });
    const zipped = await rawGet(server.baseUrl, `/${tenant.slug}/portal`, { cookie, 'accept-encoding': 'gzip, deflate' });
    const brotli = await rawGet(server.baseUrl, `/${tenant.slug}/portal`, { cookie, 'accept-encoding': 'gzip, deflate, br' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(samePage(gunzipSync(zipped.body).toString())).toBe(samePage(plain.body.toString()));
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(samePage(brotliDecompressSync(brotli.body).toString())).toBe(samePage(plain.body.toString()));
  });

  it('gzips the stylesheet', async () => {
    const tenant = await makeTenant(env.db);
    const stylesheet = stylesheetOf((await request(env.app).get(`/${tenant.slug}/login`)).text)!;
    const zipped = await rawGet(server.baseUrl, stylesheet, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body)).toEqual(stylesheetContent());
  });

  it('streams a CSV export as it is written, uncompressed (a download is not worth a gzip stream that keeps every drain listener), without a Content-Length', async () => {
    const tenant = await makeTenant(env.db);
    for (let index = 0; index < 30; index += 1) await makeCustomer(env.db, tenant, { name: `Klient ${index}` });
    const admin = await makeUser(env.db, tenant, 'admin');
    const cookie = sessionCookieOf(await signedInAgent(env.app, tenant, admin.login), tenant);
    const plain = await rawGet(server.baseUrl, `/${tenant.slug}/admin/exports/customers.csv`, { cookie });
    const zipped = await rawGet(server.baseUrl, `/${tenant.slug}/admin/exports/customers.csv`, { cookie, 'accept-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-disposition']).toMatch(/^attachment/);
    expect(zipped.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['transfer-encoding']).toBe('chunked');
    expect(zipped.headers['content-length']).toBeUndefined();
    const rows = zipped.body.toString();
    expect(rows).toBe(plain.body.toString());
    expect(rows).toContain('Klient 29');
  });
});

it('leaves PDFs, zips, pictures and downloads as they are, and compresses CSV and pages', async () => {
  const app = express();
  app.use(compressText());
  const body = Buffer.alloc(8 * 1024, 'a');
  for (const type of ['application/pdf', 'application/zip', 'image/png', 'text/csv; charset=utf-8', 'text/html; charset=utf-8']) {
    app.get(`/${type.split(';')[0]}`, (_req, res) => void res.type(type).send(body));
  }
  app.get('/download', (_req, res) => void res.type('text/csv').attachment('customers.csv').send(body));
  const server = await listenCountingConnections(app);
  try {
    const encodingOf = async (type: string) => (await rawGet(server.baseUrl, `/${type}`, { 'accept-encoding': 'gzip' })).headers['content-encoding'];
    expect(await encodingOf('application/pdf')).toBeUndefined();
    expect(await encodingOf('application/zip')).toBeUndefined();
    expect(await encodingOf('image/png')).toBeUndefined();
    expect(await encodingOf('text/csv')).toBe('gzip');
    expect(await encodingOf('text/html')).toBe('gzip');
    expect(await encodingOf('download')).toBeUndefined();
  } finally {
    await server.close();
  }
});
