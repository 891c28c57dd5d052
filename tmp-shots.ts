import { once } from 'node:events';
import { chromium } from 'playwright-core';
import { createTestEnvironment } from './test/support/environment.js';
import { seedDemo } from './seeds/demo.js';
const env = await createTestEnvironment('sqlite');
await seedDemo(env.db, { password: 'demo1234', bcryptCost: 4 });
const server = env.app.listen(0, '127.0.0.1'); await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as any).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const pages = (process.argv[2] ?? '/demo/staff').split(',');
const login = process.argv[3] ?? 'superadmin';
for (const width of [390, 1280]) {
  const context = await browser.newContext({ locale: 'pl-PL', viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/demo/login`);
  await page.fill('input[name=login]', login); await page.fill('input[name=password]', 'demo1234');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:not([name])')]);
  for (const p of pages) {
    await page.goto(base + p);
    const h = await page.locator('.site-header').boundingBox();
    console.log(width, p, 'header height', h?.height);
    await page.screenshot({ path: `test-results/tmp-${width}-${p.replace(/\W+/g, '_')}.png`, fullPage: true });
  }
  await context.close();
}
await browser.close(); server.close(); await env.close();
