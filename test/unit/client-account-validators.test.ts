import { describe, expect, it } from 'vitest';
import { clientAccountCreateForm } from '../../src/validators/client-account.js';
import { parseForm } from '../../src/validators/form.js';
import { passwordResetRequestForm } from '../../src/validators/password-reset.js';

const valid = { login: 'Jan.Kowalski', firstName: ' Jan ', lastName: 'Kowalski', email: 'jan@example.com', phone: '', access: 'invitation' };

describe('clientAccountCreateForm', () => {
  it('gives an invitation account in lower case, trimmed, without flags or phone', () => {
    expect(parseForm(clientAccountCreateForm, valid)).toEqual({
      ok: true,
      data: { login: 'jan.kowalski', firstName: 'Jan', lastName: 'Kowalski', email: 'jan@example.com', phone: null, isPrimaryContact: false, isApprover: false, isSharedEmailConfirmed: false, access: { kind: 'invitation' } },
    });
  });

  it('gives a password account with its flags, and needs no e-mail then', () => {
    const result = parseForm(clientAccountCreateForm, { ...valid, email: '', phone: '(22) 123-45-67', access: 'password', newPassword: 'long enough', passwordConfirmation: 'long enough', isPrimaryContact: 'on', isApprover: 'on' });
    expect(result).toMatchObject({ ok: true, data: { email: null, phone: '(22) 123-45-67', isPrimaryContact: true, isApprover: true, access: { kind: 'password', password: 'long enough' } } });
  });

  it('accepts logins of letters, digits and . _ @ - from 2 to 100 characters, and nothing else', () => {
    for (const login of ['ab', 'a.b_c-d@e', '9'.repeat(100)]) expect(parseForm(clientAccountCreateForm, { ...valid, login }).ok, login).toBe(true);
    const refusals = { a: 'validation:tooShort', ['x'.repeat(101)]: 'validation:tooLong', 'jan kowalski': 'validation:loginInvalid', 'łukasz': 'validation:loginInvalid', 'jan/..': 'validation:loginInvalid' };
    for (const [login, key] of Object.entries(refusals)) {
      expect(parseForm(clientAccountCreateForm, { ...valid, login }), login).toMatchObject({ ok: false, errors: { login: { key } } });
    }
  });

  it('refuses a bad e-mail address or phone number, and an invitation without an e-mail', () => {
    expect(parseForm(clientAccountCreateForm, { ...valid, email: 'jan@' })).toMatchObject({ errors: { email: { key: 'accounts:create.emailInvalid' } } });
    expect(parseForm(clientAccountCreateForm, { ...valid, phone: '12345' })).toMatchObject({ errors: { phone: { key: 'accounts:create.phoneInvalid' } } });
    expect(parseForm(clientAccountCreateForm, { ...valid, phone: '+48 abc 123 456' })).toMatchObject({ errors: { phone: { key: 'accounts:create.phoneInvalid' } } });
    expect(parseForm(clientAccountCreateForm, { ...valid, email: '  ' })).toMatchObject({ errors: { email: { key: 'accounts:invitation.needsEmail' } } });
  });

  it('checks the first password with the set-password rules only when one is chosen', () => {
    expect(parseForm(clientAccountCreateForm, { ...valid, newPassword: 'x' }).ok).toBe(true);
    expect(parseForm(clientAccountCreateForm, { ...valid, access: 'password', newPassword: 'x'.repeat(201), passwordConfirmation: '' })).toEqual({
      ok: false,
      errors: { newPassword: { key: 'validation:tooLong', values: { max: 200, count: 200 } }, passwordConfirmation: { key: 'validation:passwordsDiffer' } },
    });
  });

  it('asks how the account gets its password', () => {
    expect(parseForm(clientAccountCreateForm, { ...valid, access: 'telepathy' })).toMatchObject({ errors: { access: { key: 'accounts:create.accessRequired' } } });
  });
});

describe('passwordResetRequestForm', () => {
  it('takes a login or an e-mail address of up to 200 characters', () => {
    expect(parseForm(passwordResetRequestForm, { loginOrEmail: ' anna ' })).toEqual({ ok: true, data: { loginOrEmail: 'anna' } });
    expect(parseForm(passwordResetRequestForm, { loginOrEmail: 'x'.repeat(201) })).toMatchObject({ errors: { loginOrEmail: { key: 'validation:tooLong' } } });
  });
});

describe('the confirmation of a shared e-mail address', () => {
  it('confirms only the address it was given for, in any letter case', () => {
    const confirmed = parseForm(clientAccountCreateForm, { ...valid, confirmSharedEmail: 'JAN@example.com ' });
    expect(confirmed.ok && confirmed.data.isSharedEmailConfirmed).toBe(true);
    const other = parseForm(clientAccountCreateForm, { ...valid, confirmSharedEmail: 'ewa@example.com' });
    expect(other.ok && other.data.isSharedEmailConfirmed).toBe(false);
    const ticked = parseForm(clientAccountCreateForm, { ...valid, confirmSharedEmail: 'on' });
    expect(ticked.ok && ticked.data.isSharedEmailConfirmed).toBe(false);
  });
});
