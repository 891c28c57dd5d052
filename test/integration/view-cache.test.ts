import path from 'node:path';
import ejs from 'ejs';
import request from 'supertest';
import { expect, it } from 'vitest';
import { viewsDirectory } from '../../src/lib/paths.js';
import { createAppOnDatabase } from '../support/apps.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant } from '../support/factories.js';

/** The views whose compiled functions EJS holds (its cache is keyed by each file's full path). */
const cachedViews = () => Object.keys((ejs.cache as unknown as { _data: Record<string, unknown> })._data).map((file) => path.relative(viewsDirectory, file));

describeOnEachDatabase('compiled views', (env) => {
  it('keeps every compiled view in production, the partials a page includes too, and none in development', async () => {
    const tenant = await makeTenant(env.db);
    for (const [nodeEnv, isCached] of [['production', true], ['development', false]] as const) {
      ejs.cache.reset();
      const { app, close } = createAppOnDatabase(env.db, { config: { NODE_ENV: nodeEnv, BASE_URL: 'https://ebok.example' } });
      try {
        expect((await request(app).get(`/${tenant.slug}/login`)).status).toBe(200);
        const expected = ['layouts/public.ejs', 'auth/sessions/new.ejs', 'partials/head.ejs', 'partials/header.ejs', 'partials/preferences.ejs', 'partials/footer.ejs'];
        if (isCached) expect(cachedViews()).toEqual(expect.arrayContaining(expected));
        else expect(cachedViews()).toEqual([]);
      } finally {
        close();
      }
    }
  });
});
