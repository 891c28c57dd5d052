import { describe, expect, it } from 'vitest';
import { decodeBase, encodeBase, mergeEdit } from '../../src/validators/edit-merge.js';

const fields = ['name', 'city', 'phone'] as const;

describe('mergeEdit: a submission merged into what another person saved meanwhile', () => {
  const base = { name: 'Alfa', city: 'Kraków', phone: '1' };

  it("keeps the other person's change to a field this user left alone", () => {
    const merge = mergeEdit(fields, base, { name: 'Alfa', city: 'Kraków', phone: '2' }, { name: 'Alfa Sp.', city: 'Kraków', phone: '1' });
    expect(merge.values).toEqual({ name: 'Alfa Sp.', city: 'Kraków', phone: '2' });
    expect(merge.kept).toEqual(['phone']);
    expect(merge.clashes).toEqual([]);
  });

  it('reports a field both changed to different values as a clash, holding this user’s value', () => {
    const merge = mergeEdit(fields, base, { name: 'Beta', city: 'Kraków', phone: '1' }, { name: 'Gamma', city: 'Kraków', phone: '1' });
    expect(merge.clashes).toEqual(['name']);
    expect(merge.values.name).toBe('Beta');
  });

  it('is no clash when both made the same change', () => {
    const merge = mergeEdit(fields, base, { name: 'Beta', city: 'Kraków', phone: '1' }, { name: 'Beta', city: 'Kraków', phone: '1' });
    expect(merge).toEqual({ values: { name: 'Beta', city: 'Kraków', phone: '1' }, kept: [], clashes: [] });
  });

  it('without a base, takes nothing over silently: every difference is a clash', () => {
    const merge = mergeEdit(fields, null, { name: 'Beta', city: 'Kraków', phone: '1' }, { name: 'Alfa', city: 'Gdańsk', phone: '1' });
    expect(merge.clashes).toEqual(['name', 'city']);
  });
});

describe('the base field', () => {
  it('round-trips the named fields', () => {
    const text = encodeBase({ name: 'Alfa "x" <b>', city: '', phone: '1', extra: 'no' }, fields);
    expect(decodeBase(text, fields)).toEqual({ name: 'Alfa "x" <b>', city: '', phone: '1' });
  });

  it('is unreadable (null) when missing, malformed or missing a field', () => {
    expect(decodeBase(undefined, fields)).toBeNull();
    expect(decodeBase('{', fields)).toBeNull();
    expect(decodeBase('[]', fields)).toBeNull();
    expect(decodeBase(JSON.stringify({ name: 'a', city: 'b' }), fields)).toBeNull();
    expect(decodeBase(JSON.stringify({ name: 'a', city: 'b', phone: 3 }), fields)).toBeNull();
  });
});
