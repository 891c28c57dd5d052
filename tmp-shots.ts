// Screenshots of pages (scratch, not committed). Usage: npx tsx tmp-shots.ts pages.json outdir
import { readFileSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createTestEnvironment } from './test/support/environment.js';
import { seedDemo } from './seeds/demo.js';

type Shot = { name: string; login?: string; tenant?: string; path: string; langs?: string[]; widths?: number[]; before?: string };
const [pagesFile, outDir] = process.argv.slice(2);
const shots: Shot[] = JSON.parse(readFileSync(pagesFile, 'utf8'));
mkdirSync(outDir, { recursive: true });
const env = await createTestEnvironment('sqlite', { NODE_ENV: 'development' });
await seedDemo(env.db, { password: 'demo1234', bcryptCost: 4 });
const server = env.app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const shot of shots) {
  for (const lang of shot.langs ?? ['pl']) {
    for (const width of shot.widths ?? [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, extraHTTPHeaders: { 'Accept-Language': lang }, locale: lang });
      const page = await context.newPage();
      const tenant = shot.tenant ?? 'demo';
      if (shot.login) {
        await page.goto(`${base}/${tenant}/login`);
        await page.fill('input[name=login]', shot.login);
        await page.fill('input[name=password]', 'demo1234');
        await page.click('main button[type=submit]');
        await page.waitForLoadState();
      }
      if (shot.before) await eval(shot.before);
      await page.goto(`${base}${shot.path.replace('{tenant}', tenant)}`);
      await page.screenshot({ path: `${outDir}/${shot.name}-${lang}-${width}.png`, fullPage: true });
      console.log(shot.name, lang, width, page.url());
      await context.close();
    }
  }
}
await browser.close();
server.close();
await env.close?.();
process.exit(0);
