import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { afterAll, describe, expect, it } from 'vitest';
import { createViewEngine } from '../../src/lib/views.js';

const folder = mkdtempSync(path.join(tmpdir(), 'ebok-views-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
  writeFileSync(path.join(folder, name), text);
};
write('layouts/page.ejs', '<h1><%= title %></h1><% title = "changed by the page" %><%- include(page, { extra: "<b>" }) %>|<%= title %>|<%- include("../partials/item", { label: "a" }) %><%- include("../partials/item") %>');
write('pages/show.ejs', '<p><%= extra %> <%- extra %> <%= typeof label %></p><% title = "changed by the include" %><%- include("../partials/item", { label: "inner" }) %>');
write('partials/item.ejs', '<i><%= typeof label === "undefined" ? "none" : label %>, <%= title %></i>');
write('broken.ejs', '<%- include("missing") %>');

function render(engine: ReturnType<typeof createViewEngine>, file: string, data: object): Promise<string> {
  return new Promise((resolve, reject) => engine(path.join(folder, file), data, (error, html) => (error ? reject(error) : resolve(html!))));
}

describe('the views’ engine (src/lib/views.ts)', () => {
  // A fresh object each time: a view that assigns to a name at its top changes its data, in EJS too.
  const data = () => ({ title: 'Tom & Jerry', page: '../pages/show' });

  it('renders as ejs.renderFile does: escaping, includes with and without their own data, names assigned in a view kept to it', async () => {
    const expected = await ejs.renderFile(path.join(folder, 'layouts/page.ejs'), data());
    expect(expected).toContain('changed by the page');
    expect(await render(createViewEngine({ isCached: true }), 'layouts/page.ejs', data())).toBe(expected);
    expect(await render(createViewEngine({ isCached: false }), 'layouts/page.ejs', data())).toBe(expected);
  });

  it('compiles each view once when cached and again on every render when not (development sees an edited view)', async () => {
    const cached = createViewEngine({ isCached: true });
    const fresh = createViewEngine({ isCached: false });
    write('edited.ejs', 'one <%- include("partials/item", { label: 1 }) %>');
    expect(await render(cached, 'edited.ejs', { title: 't' })).toBe('one <i>1, t</i>');
    expect(await render(fresh, 'edited.ejs', { title: 't' })).toBe('one <i>1, t</i>');
    write('edited.ejs', 'two');
    expect(await render(cached, 'edited.ejs', { title: 't' })).toBe('one <i>1, t</i>');
    expect(await render(fresh, 'edited.ejs', { title: 't' })).toBe('two');
    expect(cached.cachedFiles().map((file) => path.relative(folder, file)).sort()).toEqual(['edited.ejs', 'partials/item.ejs']);
    expect(fresh.cachedFiles()).toEqual([]);
  });

  it('skips an include value named __proto__ or constructor, as EJS does (it would change what the include sees)', async () => {
    write('guarded.ejs', `<%- include("partials/item", JSON.parse('{"__proto__": {"title": "polluted"}, "label": "kept"}')) %>`);
    const expected = await ejs.renderFile(path.join(folder, 'guarded.ejs'), { title: 'page title' });
    expect(await render(createViewEngine({ isCached: true }), 'guarded.ejs', { title: 'page title' })).toBe(expected);
    expect(expected).toBe('<i>kept, page title</i>');
  });

  it('gives an error naming an include that does not exist, and the view that asked for it', async () => {
    await expect(render(createViewEngine({ isCached: true }), 'broken.ejs', {})).rejects.toThrow(/Could not find the include file "missing" \(included by .*broken\.ejs\)/);
  });
});
