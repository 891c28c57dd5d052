import { describe, expect, it } from 'vitest';
import { decodeSetting, encodeSetting, settingLevels, settingNames, settingRegistry, type SettingLevel } from '../../src/models/setting-registry.js';
import { resolve } from '../../src/models/settings.js';

type Row = { level: SettingLevel; target_id: number; name: string; value: string };

const subject = { account: 7, customer: 3, group: 5, tenant: 0 } as const;
const row = (level: SettingLevel, name: string, value: string): Row => ({ level, target_id: subject[level], name, value });

/** Every subset of a list: the layers that hold a value, in every combination. */
function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => all.concat(all.map((subset) => [...subset, item])), [[]]);
}

/** Values of the settings that hold a structure, as the table keeps them (JSON). */
const structured: Partial<Record<string, string[]>> = { 'portal.portlets': ['[{"id":"balance","settings":{}}]', '[{"id":"dues","settings":{"limit":3}},{"id":"balance","settings":{}}]'] };

describe('the settings resolver', () => {
  for (const name of settingNames) {
    const definition = settingRegistry[name];
    // A setting without choices holds a day, or an address (the ticket queue's), or a structure.
    const values = structured[name] ?? (definition.choices ? Object.keys(definition.choices) : name === 'tickets.queue_email' ? ['kolejka@example.test'] : ['2025-03-01']);
    for (const layers of subsets(settingLevels)) {
      const label = layers.length ? layers.join(' + ') : 'no layer';
      it(`gives ${name} from the most specific of its own levels with ${label}`, () => {
        // Each layer holds a value of its own, so the answer shows which layer won.
        const rows = layers.map((level, index) => row(level, name, values[index % values.length]!));
        const result = resolve(rows, subject)[name];
        const winner = definition.levels.find((level) => layers.includes(level));
        if (!winner) {
          expect(result).toEqual({ value: definition.fallback, source: { level: 'default', targetId: null } });
          return;
        }
        expect(result.source).toEqual({ level: winner, targetId: subject[winner] });
        const stored = rows.find((candidate) => candidate.level === winner)!.value;
        expect(result.value).toEqual(structured[name] ? JSON.parse(stored) : stored);
      });
    }
  }

  it('resolves person settings account → customer → group → tenant and ticket settings customer → tenant', () => {
    expect(settingRegistry['portal.access'].levels).toEqual(['customer', 'group', 'tenant']);
    expect(settingRegistry['account.landing_page'].levels).toEqual(['account', 'tenant']);
    expect(settingRegistry['tickets.approval'].levels).toEqual(['customer', 'tenant']);
    expect(settingRegistry['tickets.visibility'].levels).toEqual(['customer', 'tenant']);
  });

  it('ignores a value set on a level the setting does not have (an account row for portal access)', () => {
    const result = resolve([row('account', 'portal.access', 'off'), row('tenant', 'portal.access', 'on')], subject);
    expect(result['portal.access']).toEqual({ value: 'on', source: { level: 'tenant', targetId: 0 } });
  });

  it('ignores a row of another target of the same level (another customer’s value)', () => {
    const other: Row = { level: 'customer', target_id: 99, name: 'portal.access', value: 'off' };
    expect(resolve([other], subject)['portal.access'].source).toEqual({ level: 'default', targetId: null });
  });

  it('skips a stored value the registry no longer accepts and falls through to the next layer', () => {
    const result = resolve([row('customer', 'portal.access', 'sometimes'), row('group', 'portal.access', 'off')], subject);
    expect(result['portal.access']).toEqual({ value: 'off', source: { level: 'group', targetId: 5 } });
  });

  it('asks only for the layers the subject has: a tenant-only question never sees a customer’s row', () => {
    const result = resolve([row('customer', 'portal.access', 'off')], { account: null, customer: null, group: null, tenant: 0 });
    expect(result['portal.access'].source.level).toBe('default');
  });
});

describe('stored values', () => {
  it('keeps a plain string as it is and reads it back', () => {
    expect(encodeSetting('portal.access', 'off')).toBe('off');
    expect(decodeSetting('portal.access', 'off')).toEqual({ isValid: true, value: 'off' });
  });

  it('refuses to store a value the setting cannot take', () => {
    expect(() => encodeSetting('portal.access', 'maybe')).toThrow();
    expect(() => encodeSetting('tickets.visible_since', '2025-02-30')).toThrow();
  });

  it('reads back a value the registry no longer accepts as not set', () => {
    expect(decodeSetting('account.landing_page', 'inbox')).toEqual({ isValid: false });
  });
});
