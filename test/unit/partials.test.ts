import { describe, expect, it } from 'vitest';
import { renderPartial } from '../support/views.js';

const error = { key: 'validation:required' };

describe('the select partial', () => {
  const options = [{ value: '', label: 'any' }, { value: 'admin', label: { key: 'common:roles.admin' } }, { value: 7, label: 'Group <7>' }];

  it('shows its message, marks itself invalid and points to the message and the hint', async () => {
    const html = await renderPartial('select', { name: 'role', label: 'Role', options, value: '', errors: { role: error }, hint: 'Pick one' }, 'pl');
    expect(html).toContain('<p class="field__error" id="field-role-error">To pole jest wymagane.</p>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="field-role-hint field-role-error"');
    expect(html).toContain('class="field field--invalid"');
  });

  it('translates labels given as keys, escapes the ones given as text and selects the value whatever its type', async () => {
    const html = await renderPartial('select', { name: 'groupId', label: { key: 'accountsPanel:filters.group' }, options, value: 7, errors: {} });
    expect(html).toContain('<label for="field-groupId">Group</label>');
    expect(html).toContain('<option value="admin">administrator</option>');
    expect(html).toContain('<option value="7" selected>Group &lt;7&gt;</option>');
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('required');
  });

  it('takes its own id, says it is optional when asked and is required only when asked', async () => {
    const html = await renderPartial('select', { name: 'state', id: 'filter-state', label: 'State', options, value: undefined, isOptionalShown: true, isRequired: true }, 'pl');
    expect(html).toContain('<label for="filter-state">State <span class="field__optional">(opcjonalnie)</span></label>');
    expect(html).toContain('<select id="filter-state" name="state" required>');
    expect(html).toContain('<option value="" selected>any</option>');
  });
});

describe('the textarea partial', () => {
  it('gives back the text as typed, escaped, with its message', async () => {
    const html = await renderPartial('textarea', { name: 'reason', label: 'Reason', value: 'Line one\n<script>x</script>', errors: { reason: error }, lineCount: 3, maxlength: 500 });
    expect(html).toContain('rows="3" maxlength="500" required aria-invalid="true" aria-describedby="field-reason-error">Line one\n&lt;script&gt;x&lt;/script&gt;</textarea>');
    expect(html).toContain('id="field-reason-error">This field is required.</p>');
  });

  it('is not required when optional, and shows nothing for no value', async () => {
    const html = await renderPartial('textarea', { name: 'notes', label: 'Notes', value: null, isOptional: true, isOptionalShown: true, hint: { key: 'customers:hints.notes' } });
    expect(html).not.toContain('required');
    expect(html).toContain('(optional)');
    expect(html).toContain('aria-describedby="field-notes-hint"></textarea>');
  });
});

describe('the data table partial', () => {
  const columns = [{ label: 'Name', isRowHeader: true }, { label: { key: 'accounts:list.state' } }, { label: 'When' }];

  it('shows its empty state instead of an empty table', async () => {
    const html = await renderPartial('data-table', { caption: 'Accounts', columns, rows: [], emptyText: { key: 'accounts:list.empty' }, emptyTestid: 'none' });
    expect(html).toContain('<p class="empty-state" data-testid="none">This customer has no portal accounts yet. Create the first one below.</p>');
    expect(html).not.toContain('<table');
  });

  it('labels each cell with its column for the stacked layout and keeps the table roles', async () => {
    const rows = [{ attributes: { 'data-login': 'anna' }, cells: ['Anna <b>', { status: { label: 'active', tone: 'success' } }, { time: '2026-03-02 23:30:00' }] }];
    const html = await renderPartial('data-table', { caption: 'Accounts', columns, rows, emptyText: 'none' }, 'pl');
    expect(html).toContain('<tr role="row" data-login="anna">');
    expect(html).toContain('<th scope="row" role="rowheader" data-label="Name"><span class="data-table__value">Anna &lt;b&gt;</span></th>');
    expect(html).toContain('<td role="cell" data-label="Stan"><span class="data-table__value"><span class="status-badge status-badge--success">active</span></span></td>');
    expect(html).toContain('<time datetime="2026-03-02T23:30:00.000Z">3.03.2026, 00:30</time>');
    expect(html).toContain('<caption class="visually-hidden">Accounts</caption>');
  });

  it('shows a dash for a missing value, leaves an empty html cell empty and puts a link’s test id on the link', async () => {
    const rows = [{ cells: [{ text: 'Anna', href: '/a?x=1&y=2', testid: 'name' }, null, { html: '' }] }];
    const html = await renderPartial('data-table', { caption: 'Accounts', columns, rows, emptyText: 'none' });
    expect(html).toContain('<a href="/a?x=1&amp;y=2" data-testid="name">Anna</a>');
    expect(html).toContain('data-label="State"><span class="data-table__value">—</span></td>');
    expect(html).toContain('<td role="cell" data-label="When"></td>');
  });
});

describe('the status badge partial', () => {
  it('says the state in words, with its tone', async () => {
    const html = await renderPartial('status-badge', { status: { label: { key: 'changes:status.rejected' }, tone: 'danger' }, testid: 'state' }, 'pl');
    expect(html).toBe('<span class="status-badge status-badge--danger" data-testid="state">odrzucony</span>');
  });

  it('falls back to the neutral tone for a tone it does not know', async () => {
    expect(await renderPartial('status-badge', { label: 'waiting', tone: 'purple' })).toBe('<span class="status-badge status-badge--neutral">waiting</span>');
  });

  it('refuses to show a colour without words', async () => {
    await expect(renderPartial('status-badge', { label: '', tone: 'danger' })).rejects.toThrow(/needs a label/);
    await expect(renderPartial('status-badge', { status: { label: null, tone: 'success' } })).rejects.toThrow(/needs a label/);
  });
});

describe('the money partial', () => {
  it('shows the amount in the reader’s language with its exact decimal as the machine value', async () => {
    expect(await renderPartial('money', { amount: 123456, currency: 'PLN' }, 'pl')).toBe('<data class="money" value="1234.56" data-currency="PLN">1234,56\u00a0zł</data>');
    expect(await renderPartial('money', { amount: -5, currency: 'PLN', testid: 'due' }, 'en')).toBe('<data class="money" value="-0.05" data-currency="PLN" data-testid="due">-PLN\u00a00.05</data>');
  });

  it('shows a dash, or the given words, for no amount', async () => {
    expect(await renderPartial('money', { amount: null, currency: 'PLN' })).toBe('<span class="money money--none">—</span>');
    expect(await renderPartial('money', { currency: 'PLN', empty: { key: 'accounts:list.never' } }, 'pl')).toBe('<span class="money money--none">nigdy</span>');
  });

  it('fails on a fraction of a grosz rather than print a wrong amount', async () => {
    await expect(renderPartial('money', { amount: 12.5, currency: 'PLN' })).rejects.toThrow(/whole minor units/);
  });
});

describe('the date partial', () => {
  it('shows a stored time in the tenant’s zone, as a day or a day and time', async () => {
    expect(await renderPartial('date', { value: '2026-03-02 23:30:00', kind: 'date' }, 'pl')).toBe('<time datetime="2026-03-03">3.03.2026</time>');
    expect(await renderPartial('date', { value: new Date('2026-03-02T23:30:00Z') }, 'en')).toBe('<time datetime="2026-03-02T23:30:00.000Z">3 Mar 2026, 00:30</time>');
    expect(await renderPartial('date', { value: '2026-03-02 23:30:00', kind: 'date' }, 'en', 'America/New_York')).toBe('<time datetime="2026-03-02">2 Mar 2026</time>');
  });

  it('shows its "none" for no date and for text that is no date', async () => {
    expect(await renderPartial('date', { value: null, empty: { key: 'accounts:list.never' } }, 'pl')).toBe('nigdy');
    expect(await renderPartial('date', { value: 'soon' })).toBe('—');
    expect(await renderPartial('date', { value: undefined, testid: 'last' })).toBe('<span data-testid="last">—</span>');
  });
});
