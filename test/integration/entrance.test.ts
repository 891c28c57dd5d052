import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSystemWork } from '../../src/db/installation.js';
import { ConflictError } from '../../src/lib/errors.js';
import { systemClock } from '../../src/lib/time.js';
import { createTenant, findTenantBySlug } from '../../src/models/tenant.js';
import { demoTenantSlug } from '../../seeds/demo.js';
import { createAppOnDatabase } from '../support/apps.js';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../support/environment.js';

/** The bare address of the installation, `/`, which belongs to no provider. */
for (const kind of databaseKinds()) {
  describe(`the bare address / [${kind}]`, () => {
    let env: TestEnvironment;
    beforeAll(async () => {
      env = await createTestEnvironment(kind);
    });
    afterAll(async () => env.close());

    it('answers a short page saying each provider has its own address when there is no demo provider (outside production)', async () => {
      if (await findTenantBySlug(openSystemWork(env.db, systemClock, 'test'), demoTenantSlug)) return; // another file made the demo on MySQL
      const response = await request(env.app).get('/').set('Accept-Language', 'en');
      expect(response.status).toBe(200);
      expect(response.text).toContain('Each provider has its own address of the portal.');
    });

    it('leads to the demo provider’s sign-in page in development', async () => {
      try {
        await createTenant(openSystemWork(env.db, systemClock, 'test fixture'), { slug: demoTenantSlug, name: 'Demo', admin: { login: 'superadmin', email: 'superadmin@demo.example', password: 'demo-password-1' } }, { bcryptCost: 4 });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
      const development = createAppOnDatabase(env.db, { config: { NODE_ENV: 'development' } });
      const response = await request(development.app).get('/');
      development.close();
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/${demoTenantSlug}/login`);
    });

    it('answers 200 with a short neutral page in production, with no error reference, in the reader’s language', async () => {
      const production = createAppOnDatabase(env.db, { config: { NODE_ENV: 'production' } });
      const polish = await request(production.app).get('/').set('Accept-Language', 'pl');
      const english = await request(production.app).get('/').set('Accept-Language', 'en');
      production.close();
      expect(polish.status).toBe(200);
      expect(polish.text).toContain('<h1 id="entrance-heading">Portal klienta eBOK</h1>');
      expect(polish.text).toContain('Każdy dostawca ma własny adres portalu.');
      expect(polish.text).not.toMatch(/error-page__reference|errors:|500|404/);
      expect(english.status).toBe(200);
      expect(english.text).toContain('eBOK customer portal');
      expect(english.headers['cache-control']).toBe('no-store');
    });
  });
}
