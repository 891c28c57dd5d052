import { describe, expect, it } from 'vitest';
import { roles } from '../../src/db/scope.js';
import { createI18n } from '../../src/lib/i18n.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { accountFilterChoices, accountStatus, clientAccountStatus, clientRolesText, roleLabel } from '../../src/presenters/accounts.js';
import { changeRequestStatus } from '../../src/presenters/change-requests.js';
import { customerFilterChoices, customerStatus } from '../../src/presenters/customers.js';
import { mailStatus } from '../../src/presenters/mailbox.js';
import { message, presentationFor, translate, type Status } from '../../src/presenters/presentation.js';
import { groupInheritedAccess, inForceText, sourceText, valueText } from '../../src/presenters/settings.js';

const i18n = createI18n(localesDirectory);
const polish = i18n.getFixedT('pl');
const english = i18n.getFixedT('en');

const tones = ['neutral', 'waiting', 'success', 'danger', 'info'];
const statuses: Array<[string, Status]> = [
  ...(['active', 'locked', 'deactivated'] as const).map((state): [string, Status] => [`account ${state}`, accountStatus(state)]),
  ...(['active', 'locked', 'invited', 'deactivated'] as const).map((state): [string, Status] => [`client account ${state}`, clientAccountStatus(state)]),
  ...(['pending', 'approved', 'rejected'] as const).map((state): [string, Status] => [`change request ${state}`, changeRequestStatus(state)]),
  ...(['pending', 'sending', 'sent', 'failed'] as const).map((state): [string, Status] => [`mail ${state}`, mailStatus(state)]),
  ['customer active', customerStatus(true)],
  ['customer inactive', customerStatus(false)],
];

describe('status presenters', () => {
  it('give every state words in Polish and English, and a tone the badge knows', () => {
    for (const [name, status] of statuses) {
      expect(tones, name).toContain(status.tone);
      const key = typeof status.label === 'string' ? status.label : status.label.key;
      for (const t of [polish, english]) {
        expect(translate(t, status.label), name).not.toBe(key);
        expect(translate(t, status.label).trim(), name).not.toBe('');
      }
    }
  });

  it('tell states apart by tone where it matters: locked is danger, invited is waiting, approved is success', () => {
    expect(accountStatus('locked').tone).toBe('danger');
    expect(clientAccountStatus('invited').tone).toBe('waiting');
    expect(changeRequestStatus('approved').tone).toBe('success');
    expect(mailStatus('failed').tone).toBe('danger');
    expect(translate(polish, clientAccountStatus('invited').label)).toBe('zaproszenie wysłane');
    expect(translate(english, mailStatus('pending').label)).toBe('queued');
  });
});

describe('labels and choices', () => {
  it('name every role in both languages', () => {
    expect(roles.map((role) => translate(polish, roleLabel(role)))).toEqual(['klient', 'opiekun', 'administrator', 'superadministrator']);
  });

  it('list a client’s roles at the customer, or a dash when there are none', () => {
    expect(clientRolesText({ isPrimaryContact: true, isApprover: true }).map((text) => translate(polish, text))).toEqual(['główny kontakt', 'akceptuje zgłoszenia']);
    expect(clientRolesText({ isPrimaryContact: false, isApprover: false }).map((text) => translate(english, text))).toEqual(['—']);
  });

  it('offer the accounts panel’s filters with translated labels and the records’ names as they are', () => {
    const choices = accountFilterChoices([{ id: 3, name: 'CLIENTS' }]);
    expect(choices.state.map((choice) => [choice.value, translate(polish, choice.label)])).toEqual([
      ['active', 'aktywne'],
      ['invited', 'zaproszenie wysłane'],
      ['invitationExpired', 'zaproszenie wygasło'],
      ['locked', 'zablokowane'],
      ['deactivated', 'nieaktywne'],
    ]);
    expect(choices.group).toEqual([{ value: 3, label: 'CLIENTS' }]);
    expect(choices.direction.map((choice) => choice.value)).toEqual(['asc', 'desc']);
  });

  it('offer the customer list’s filters, the caretakers after "any" and "none"', () => {
    const choices = customerFilterChoices([{ id: 4, name: 'Celina Opiekun' }]);
    expect(choices.caretaker.map((choice) => [choice.value, translate(english, choice.label)])).toEqual([['all', 'Any caretaker'], ['none', 'No caretaker'], [4, 'Celina Opiekun']]);
    expect(choices.sort).toHaveLength(6);
  });
});

describe('settings in force', () => {
  it('say a setting’s value by its choice’s label and where it comes from', () => {
    const fromDefault = { level: 'default', targetId: null } as const;
    const setHere = { level: 'tenant', targetId: 0 } as const;
    expect(translate(polish, inForceText(valueText('account.landing_page', 'dashboard'), sourceText(fromDefault)))).toBe('Obowiązuje: pulpit (wartość domyślna)');
    expect(translate(english, inForceText(valueText('tickets.visible_since', '2025-03-01'), sourceText(setHere, { here: 'tenant' })))).toBe('In force: 2025-03-01 (set here)');
    expect(translate(polish, inForceText(valueText('tickets.visible_since', ''), sourceText(fromDefault)))).toBe('Obowiązuje: brak (wartość domyślna)');
    expect(translate(english, inForceText(valueText('portal.access', 'on'), sourceText({ level: 'group', targetId: 4 }, { groupName: 'VIP' })))).toBe('In force: on (set for the group VIP)');
  });

  it('translate the messages inside a message: what a group inherits', () => {
    expect(translate(english, groupInheritedAccess({ value: 'on', source: { level: 'default', targetId: null } }))).toBe('Inherited: on (default value)');
    expect(translate(english, groupInheritedAccess({ value: 'off', source: { level: 'tenant', targetId: 0 } }))).toBe('Inherited: off (the portal setting)');
  });
});

describe('the reader’s presentation helpers', () => {
  const inPolish = presentationFor(polish, 'pl', 'Europe/Warsaw');

  it('show words as they are, translate messages, and print numbers', () => {
    expect(inPolish.textOf('Kowalski')).toBe('Kowalski');
    expect(inPolish.textOf(message('common:roles.admin'))).toBe('administrator');
    expect(inPolish.textOf(42)).toBe('42');
  });

  it('read a stored UTC time, a Date and a calendar date, each with its machine form', () => {
    expect(inPolish.timeOf('2026-03-02 23:30:00')).toEqual({ datetime: '2026-03-02T23:30:00.000Z', text: '3.03.2026, 00:30' });
    expect(inPolish.timeOf(new Date('2026-03-02T23:30:00Z'), 'date')).toEqual({ datetime: '2026-03-03', text: '3.03.2026' });
    expect(inPolish.timeOf('2026-03-01', 'dateTime')).toEqual({ datetime: '2026-03-01', text: '1.03.2026' });
    expect(inPolish.formatDateTime('2026-03-02 23:30:00')).toBe('3.03.2026, 00:30');
  });

  it('give nothing for no time or text that is no time, so the page shows its "none"', () => {
    for (const value of [null, undefined, '', 'yesterday', '2026-02-30']) expect(inPolish.timeOf(value), String(value)).toBeNull();
    expect(inPolish.formatDate(null)).toBe('');
  });

  it('give an amount its exact decimal and its words, and nothing for no amount', () => {
    expect(inPolish.moneyOf(123456, 'PLN')).toEqual({ value: '1234.56', currency: 'PLN', text: '1234,56\u00a0zł' });
    expect(inPolish.moneyOf(null, 'PLN')).toBeNull();
  });
});
