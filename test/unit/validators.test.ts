import { describe, expect, it } from 'vitest';
import { passwordChangeForm, passwordSetupForm, signInForm } from '../../src/validators/auth.js';
import { formValues, parseForm } from '../../src/validators/form.js';
import { languageForm, safeReturnPath, textSizeForm } from '../../src/validators/preferences.js';
import { tenantCreateCommand } from '../../src/validators/tenant.js';

const longest = 'x'.repeat(200);
const tooLong = 'x'.repeat(201);

describe('signInForm', () => {
  it('accepts a login and a password, trimming the login but not the password', () => {
    expect(parseForm(signInForm, { login: '  anna  ', password: ' secret ' })).toEqual({ ok: true, data: { login: 'anna', password: ' secret ' } });
  });

  it('requires both fields, also when they are missing or only spaces', () => {
    expect(parseForm(signInForm, { login: '   ', password: '' })).toEqual({
      ok: false,
      errors: { login: { key: 'validation:required' }, password: { key: 'validation:required' } },
    });
    expect(parseForm(signInForm, undefined)).toEqual({
      ok: false,
      errors: { login: { key: 'validation:required' }, password: { key: 'validation:required' } },
    });
  });

  it('accepts exactly 200 characters and refuses 201 with tooLong and the limit', () => {
    expect(parseForm(signInForm, { login: longest, password: longest }).ok).toBe(true);
    expect(parseForm(signInForm, { login: tooLong, password: tooLong })).toEqual({
      ok: false,
      errors: { login: { key: 'validation:tooLong', values: { max: 200, count: 200 } }, password: { key: 'validation:tooLong', values: { max: 200, count: 200 } } },
    });
  });

  it('measures the limit after trimming the login', () => {
    expect(parseForm(signInForm, { login: ` ${longest} `, password: 'p' }).ok).toBe(true);
  });

  it('treats a field sent twice (an array) as missing', () => {
    const result = parseForm(signInForm, { login: ['a', 'b'], password: 'secret' });
    expect(result).toEqual({ ok: false, errors: { login: { key: 'validation:required' } } });
  });
});

describe('passwordChangeForm', () => {
  const valid = { currentPassword: 'old password', newPassword: 'new password', passwordConfirmation: 'new password' };

  it('accepts a current password and a matching new one of 8 characters', () => {
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: '12345678', passwordConfirmation: '12345678' }).ok).toBe(true);
  });

  it('requires the current password', () => {
    expect(parseForm(passwordChangeForm, { ...valid, currentPassword: '' })).toEqual({ ok: false, errors: { currentPassword: { key: 'validation:required' } } });
  });

  it('refuses a new password of 7 characters', () => {
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: '1234567', passwordConfirmation: '1234567' })).toEqual({
      ok: false,
      errors: { newPassword: { key: 'validation:passwordTooShort' } },
    });
  });

  it('counts bytes, not characters, against the 72-byte limit: Polish letters count double', () => {
    const thirtySixPolishLetters = 'ą'.repeat(36);
    const thirtySevenPolishLetters = 'ą'.repeat(37);
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: thirtySixPolishLetters, passwordConfirmation: thirtySixPolishLetters }).ok).toBe(true);
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: thirtySevenPolishLetters, passwordConfirmation: thirtySevenPolishLetters })).toEqual({
      ok: false,
      errors: { newPassword: { key: 'validation:passwordTooLong' } },
    });
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: 'a'.repeat(72), passwordConfirmation: 'a'.repeat(72) }).ok).toBe(true);
    expect(parseForm(passwordChangeForm, { ...valid, newPassword: 'a'.repeat(73), passwordConfirmation: 'a'.repeat(73) }).ok).toBe(false);
  });

  it('reports a confirmation that differs on the passwordConfirmation field', () => {
    expect(parseForm(passwordChangeForm, { ...valid, passwordConfirmation: 'something else' })).toEqual({
      ok: false,
      errors: { passwordConfirmation: { key: 'validation:passwordsDiffer' } },
    });
  });
});

describe('passwordSetupForm', () => {
  it('needs no current password', () => {
    expect(parseForm(passwordSetupForm, { newPassword: 'new password', passwordConfirmation: 'new password' }).ok).toBe(true);
  });

  it('reports a short password and a differing confirmation on their fields', () => {
    expect(parseForm(passwordSetupForm, { newPassword: 'short', passwordConfirmation: 'shorter' })).toEqual({
      ok: false,
      errors: { newPassword: { key: 'validation:passwordTooShort' }, passwordConfirmation: { key: 'validation:passwordsDiffer' } },
    });
  });

  it('requires the new password', () => {
    expect(parseForm(passwordSetupForm, { newPassword: '', passwordConfirmation: '' })).toMatchObject({
      ok: false,
      errors: { newPassword: { key: 'validation:required' } },
    });
  });
});

describe('languageForm and textSizeForm', () => {
  it('accept only the supported languages', () => {
    expect(parseForm(languageForm, { locale: 'en', returnTo: '/acme/portal' })).toEqual({ ok: true, data: { locale: 'en', returnTo: '/acme/portal' } });
    expect(parseForm(languageForm, { locale: 'pl' }).ok).toBe(true);
    expect(parseForm(languageForm, { locale: 'de' })).toEqual({ ok: false, errors: { locale: { key: 'validation:invalid' } } });
  });

  it('accept only the three text sizes', () => {
    for (const textSize of ['smaller', 'default', 'larger']) expect(parseForm(textSizeForm, { textSize }).ok).toBe(true);
    expect(parseForm(textSizeForm, { textSize: 'huge' }).ok).toBe(false);
  });

  it('refuse a return path longer than 500 characters', () => {
    expect(parseForm(textSizeForm, { textSize: 'larger', returnTo: `/acme/${'x'.repeat(500)}` })).toEqual({
      ok: false,
      errors: { returnTo: { key: 'validation:tooLong', values: { max: 500, count: 500 } } },
    });
  });
});

describe('safeReturnPath', () => {
  const fallback = '/acme';

  it('judges a path as the browser resolves it, so /acme/../beta is another tenant', () => {
    expect(safeReturnPath('/acme/../beta/login', 'acme', fallback)).toBe(fallback);
    expect(safeReturnPath('/acme/%2e%2e/beta/login', 'acme', fallback)).toBe(fallback);
    expect(safeReturnPath('/acme/portal/../account', 'acme', fallback)).toBe('/acme/account');
  });

  it('falls back for anything but one string (a field sent twice arrives as a list)', () => {
    expect(safeReturnPath(['/acme/portal', '/acme/staff'], 'acme', fallback)).toBe(fallback);
    expect(safeReturnPath(undefined, 'acme', fallback)).toBe(fallback);
  });

  it('returns a path of the same tenant, with or without a query', () => {
    expect(safeReturnPath('/acme/portal', 'acme', fallback)).toBe('/acme/portal');
    expect(safeReturnPath('/acme', 'acme', fallback)).toBe('/acme');
    expect(safeReturnPath('/acme?x=1', 'acme', fallback)).toBe('/acme?x=1');
  });

  it('falls back when nothing is given', () => {
    expect(safeReturnPath(undefined, 'acme', fallback)).toBe(fallback);
    expect(safeReturnPath('', 'acme', fallback)).toBe(fallback);
  });

  it.each([
    ['another site', 'https://evil.example/acme/portal'],
    ['a protocol-relative URL', '//evil.example/acme'],
    ['a double slash inside the tenant', '/acme//evil.example'],
    ['a backslash', '/acme/\\evil.example'],
    ['another tenant', '/other/portal'],
    ['a tenant whose slug only starts the same', '/acme-evil/portal'],
    ['a relative path', 'acme/portal'],
    ['a javascript: URL', 'javascript:alert(1)'],
  ])('refuses %s', (_what, candidate) => {
    expect(safeReturnPath(candidate, 'acme', fallback)).toBe(fallback);
  });
});

describe('tenantCreateCommand', () => {
  const valid = { slug: 'acme', name: 'Acme sp. z o.o.', adminLogin: 'owner', adminEmail: 'owner@acme.example', adminFirstName: 'Olga', adminLastName: 'Łęcka' };

  it('requires the owner’s first and last name', () => {
    for (const field of ['adminFirstName', 'adminLastName'] as const) {
      const result = tenantCreateCommand.safeParse({ ...valid, [field]: '   ' });
      expect(result.success, field).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: [field], message: 'is required' });
    }
  });

  it('accepts a good tenant and defaults its language to Polish', () => {
    expect(tenantCreateCommand.parse(valid)).toEqual({ ...valid, locale: 'pl' });
  });

  it.each(['assets', 'healthz', 'readyz', 'api', 'admin', 'static'])('refuses the reserved slug %s', (slug) => {
    const result = tenantCreateCommand.safeParse({ ...valid, slug });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('is reserved');
  });

  it.each(['Acme', 'a', '-acme', 'acme_co', 'ac me', 'acme/portal', 'ąćme', 'x'.repeat(64)])('refuses the malformed slug %j', (slug) => {
    const result = tenantCreateCommand.safeParse({ ...valid, slug });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['slug']);
  });

  it('accepts a slug of 2 and of 63 characters with digits and hyphens', () => {
    expect(tenantCreateCommand.safeParse({ ...valid, slug: 'a1' }).success).toBe(true);
    expect(tenantCreateCommand.safeParse({ ...valid, slug: `9${'-'.repeat(61)}z` }).success).toBe(true);
  });

  it('refuses an empty name, a malformed login and a malformed e-mail', () => {
    expect(tenantCreateCommand.safeParse({ ...valid, name: '  ' }).success).toBe(false);
    expect(tenantCreateCommand.safeParse({ ...valid, adminLogin: 'o' }).success).toBe(false);
    expect(tenantCreateCommand.safeParse({ ...valid, adminLogin: 'own er' }).success).toBe(false);
    expect(tenantCreateCommand.safeParse({ ...valid, adminEmail: 'not-an-address' }).success).toBe(false);
    expect(tenantCreateCommand.safeParse({ ...valid, locale: 'de' }).success).toBe(false);
  });
});

describe('formValues', () => {
  it('gives back only the named text fields, empty for anything missing or not text', () => {
    const body = { login: 'anna', password: 'secret', _csrf: 'token', tags: ['a', 'b'] };
    expect(formValues(body, ['login', 'tags', 'missing'])).toEqual({ login: 'anna', tags: '', missing: '' });
    expect(formValues(undefined, ['login'])).toEqual({ login: '' });
  });
});
