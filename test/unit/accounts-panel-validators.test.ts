import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { NotFoundError } from '../../src/lib/errors.js';
import { idParameter } from '../../src/middleware/context.js';
import { accountFiltersFrom, groupMoveForm, staffAccountCreateForm } from '../../src/validators/accounts-panel.js';
import { parseForm } from '../../src/validators/form.js';
import { groupDeletionForm, groupEditForm } from '../../src/validators/group.js';

describe('accountFiltersFrom', () => {
  it('keeps the filters it knows and drops the rest, sorting by name ascending by default', () => {
    expect(accountFiltersFrom({ type: 'client', role: 'caretaker', customer: '12', group: '3', state: 'locked', search: '  anna  ' })).toEqual({
      type: 'client', role: 'caretaker', customer: 12, group: 3, state: 'locked', search: 'anna', sort: 'name', direction: 'asc',
    });
    expect(accountFiltersFrom({ type: 'robot', customer: '1 OR 1=1', group: '-4', sort: 'password_hash', direction: 'up', search: ['a', 'b'] })).toEqual({
      type: undefined, role: undefined, customer: undefined, group: undefined, state: undefined, search: '', sort: 'name', direction: 'asc',
    });
  });
});

describe('staffAccountCreateForm', () => {
  const valid = { login: 'ewa.nowa', firstName: 'Ewa', lastName: 'Nowa', email: 'ewa@example.test', phone: '', role: 'caretaker', passwordChoice: 'invitation' };

  it('accepts an invitation with an e-mail and gives no password', () => {
    const form = parseForm(staffAccountCreateForm, valid);
    expect(form).toEqual({ ok: true, data: { login: 'ewa.nowa', firstName: 'Ewa', lastName: 'Nowa', email: 'ewa@example.test', phone: null, role: 'caretaker', password: null, isSharedEmailConfirmed: false } });
  });

  it('asks for an e-mail for an invitation, and for matching passwords of 8 characters otherwise', () => {
    expect(parseForm(staffAccountCreateForm, { ...valid, email: '' })).toEqual({ ok: false, errors: { email: { key: 'accountsPanel:form.emailNeededForInvitation' } } });
    expect(parseForm(staffAccountCreateForm, { ...valid, passwordChoice: 'password', newPassword: 'short', passwordConfirmation: 'short' })).toEqual({ ok: false, errors: { newPassword: { key: 'validation:passwordTooShort' } } });
    expect(parseForm(staffAccountCreateForm, { ...valid, passwordChoice: 'password', newPassword: 'long enough', passwordConfirmation: 'different' })).toEqual({ ok: false, errors: { passwordConfirmation: { key: 'validation:passwordsDiffer' } } });
  });

  it('refuses a client role, a login with spaces and a phone without enough digits', () => {
    const form = parseForm(staffAccountCreateForm, { ...valid, role: 'client', login: 'two words', phone: '12-34' });
    expect(form.ok).toBe(false);
    if (!form.ok) expect(Object.keys(form.errors).sort()).toEqual(['login', 'phone', 'role']);
  });

  it('refuses accented letters in a login, which MySQL and SQLite would compare differently', () => {
    expect(parseForm(staffAccountCreateForm, { ...valid, login: 'łukasz' })).toEqual({ ok: false, errors: { login: { key: 'validation:loginInvalid' } } });
    expect(parseForm(staffAccountCreateForm, { ...valid, login: 'lukasz.b@firma' }).ok).toBe(true);
  });
});

describe('groupMoveForm', () => {
  it('takes one or many ids, dropping what cannot be an id', () => {
    expect(parseForm(groupMoveForm, { ids: '5', groupId: '2' })).toEqual({ ok: true, data: { ids: [5], groupId: 2 } });
    expect(parseForm(groupMoveForm, { ids: ['5', 'x', '-1', '7'], groupId: '2' })).toEqual({ ok: true, data: { ids: [5, 7], groupId: 2 } });
  });

  it('refuses an empty selection and a missing group', () => {
    expect(parseForm(groupMoveForm, { groupId: '' })).toEqual({
      ok: false,
      errors: { ids: { key: 'accountsPanel:groupMove.nothingSelected' }, groupId: { key: 'accountsPanel:groupMove.groupRequired' } },
    });
  });
});

describe('group forms', () => {
  it('leaves out the name of CLIENTS and the override when they are not sent', () => {
    expect(parseForm(groupEditForm, {})).toEqual({ ok: true, data: {} });
    expect(parseForm(groupEditForm, { portalAccess: 'sometimes' }).ok).toBe(false);
  });

  it('deletes only with the box ticked', () => {
    expect(parseForm(groupDeletionForm, {})).toEqual({ ok: false, errors: { confirmation: { key: 'groups:deletion.confirmationRequired' } } });
    expect(parseForm(groupDeletionForm, { confirmation: 'yes' }).ok).toBe(true);
  });
});

describe('idParameter', () => {
  const request = (value: string | undefined) => ({ params: { userId: value } }) as unknown as Request;

  it('reads a positive whole number in plain digits and turns anything else into a 404', () => {
    expect(idParameter(request('42'), 'userId')).toBe(42);
    for (const value of ['0', '-1', '1.5', 'abc', '1e3', ' 7', '07', '99999999999', undefined]) {
      expect(() => idParameter(request(value), 'userId'), String(value)).toThrow(NotFoundError);
    }
  });
});
