import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { expect, it } from 'vitest';
import { viewsDirectory } from '../../src/lib/paths.js';
import { createAppOnDatabase } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';

/** The views whose compiled functions the app's engine holds (src/lib/views.ts, keyed by each file's full path). */
const cachedViews = (app: Express) => ((app as unknown as { engines: unknown }).engines as Record<string, { cachedFiles(): string[] }>)['.ejs']!.cachedFiles().map((file) => path.relative(viewsDirectory, file));

describeOnEachDatabase('compiled views', (env) => {
  it('keeps every compiled view in production, the partials a page includes too, and none in development', async () => {
    const tenant = await makeTenant(env.db);
    for (const [nodeEnv, isCached] of [['production', true], ['development', false]] as const) {
      const { app, close } = createAppOnDatabase(env.db, { config: { NODE_ENV: nodeEnv, BASE_URL: 'https://ebok.example' } });
      try {
        expect((await request(app).get(`/${tenant.slug}/login`)).status).toBe(200);
        const expected = ['layouts/public.ejs', 'auth/sessions/new.ejs', 'partials/head.ejs', 'partials/header.ejs', 'partials/preferences.ejs', 'partials/footer.ejs'];
        if (isCached) expect(cachedViews(app)).toEqual(expect.arrayContaining(expected));
        else expect(cachedViews(app)).toEqual([]);
      } finally {
        close();
      }
    }
  });
});
