import { describe, expect, it } from 'vitest';
import { renderRichText } from '../../src/lib/rich-text.js';
import { localDateTimeIn, momentIn } from '../../src/lib/time.js';
import { announcementCreateForm } from '../../src/validators/announcement.js';
import { parseForm } from '../../src/validators/form.js';

describe('the safe formatting of announcements (C2)', () => {
  it('makes paragraphs, lists, emphasis and links, each link with rel="noopener noreferrer"', async () => {
    const html = await renderRichText('Od **stycznia**:\n\n- serwis\n- *części*\n\n1. raz\n\nhttps://ebok.example/a i [cennik](https://ebok.example/cennik)');
    expect(html).toContain('<p>Od <strong>stycznia</strong>:</p>');
    expect(html).toContain('<ul>\n<li>serwis</li>\n<li><em>części</em></li>\n</ul>');
    expect(html).toContain('<ol>\n<li>raz</li>\n</ol>');
    expect(html).toContain('<a href="https://ebok.example/a" rel="noopener noreferrer">https://ebok.example/a</a>');
    expect(html).toContain('<a href="https://ebok.example/cennik" rel="noopener noreferrer">cennik</a>');
  });

  it('shows HTML, event attributes and javascript: or data: links as text', async () => {
    const html = await renderRichText('<script>alert(1)</script> <a href="x" onclick="alert(2)">a</a>\n\n[x](javascript:alert(3)) [y](data:text/html;base64,PHNjcmlwdD4=) ![i](https://ebok.example/i.png)');
    expect(html).not.toMatch(/<script|<a href="x"|onclick="|href="javascript|href="data|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('date-time fields in the tenant’s time zone', () => {
  it('reads a wall-clock time of Warsaw in winter and summer, and refuses what is no moment', () => {
    expect(momentIn('2026-12-01T14:05', 'Europe/Warsaw')?.toISOString()).toBe('2026-12-01T13:05:00.000Z');
    expect(momentIn('2026-07-01T14:05', 'Europe/Warsaw')?.toISOString()).toBe('2026-07-01T12:05:00.000Z');
    expect(localDateTimeIn(new Date('2026-07-01T12:05:00Z'), 'Europe/Warsaw')).toBe('2026-07-01T14:05');
    expect([momentIn('2026-02-30T10:00', 'Europe/Warsaw'), momentIn('2026-12-01T24:00', 'Europe/Warsaw'), momentIn('jutro', 'Europe/Warsaw')]).toEqual([null, null, null]);
  });

  it('refuses an announcement that ends before, or when, it is published', () => {
    const form = (endsAt: string) => parseForm(announcementCreateForm('Europe/Warsaw'), { title: 'T', body: 'B', audience: 'all', publishAt: '2026-12-01T10:00', endsAt });
    expect(form('2026-12-01T10:00')).toEqual({ ok: false, errors: { endsAt: { key: 'announcements:errors.endsBeforePublication' } } });
    expect(form('2026-12-01T09:00').ok).toBe(false);
    expect(form('2026-12-01T10:01').ok).toBe(true);
    expect(form('').ok).toBe(true);
  });
});
