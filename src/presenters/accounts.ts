import type { Role } from '../db/scope.js';
import type { AccountState } from '../models/account.js';
import type { ClientAccountState } from '../models/client-account.js';
import { choicesOf, message, type Choice, type Status, type Text, type Tone } from './presentation.js';

/** What the accounts panel (A4) and a customer's Accounts tab (A3) show of an account. Keys are written out for the locales test. */
const roleLabels: Record<Role, string> = {
  client: 'common:roles.client',
  caretaker: 'common:roles.caretaker',
  admin: 'common:roles.admin',
  superadmin: 'common:roles.superadmin',
};

const accountTypeLabels = {
  staff: 'accountsPanel:type.staff',
  client: 'accountsPanel:type.client',
} as const;

/** The panel's states: whether and why the account cannot sign in. */
const accountStateLabels: Record<AccountState, string> = {
  active: 'accountsPanel:state.active',
  invited: 'accountsPanel:state.invited',
  invitationExpired: 'accountsPanel:state.invitationExpired',
  locked: 'accountsPanel:state.locked',
  deactivated: 'accountsPanel:state.deactivated',
};

const accountStateTones: Record<AccountState, Tone> = { active: 'success', invited: 'waiting', invitationExpired: 'danger', locked: 'danger', deactivated: 'neutral' };

/** The Accounts tab's states: "invited" until the client sets a password, "invitation expired" once the last invitation's link is past its lifetime. */
const clientAccountStateLabels: Record<ClientAccountState, string> = {
  active: 'accounts:state.active',
  locked: 'accounts:state.locked',
  invited: 'accounts:state.invited',
  invitationExpired: 'accounts:state.invitationExpired',
  deactivated: 'accounts:state.deactivated',
};

const clientAccountStateTones: Record<ClientAccountState, Tone> = { active: 'success', locked: 'danger', invited: 'waiting', invitationExpired: 'danger', deactivated: 'neutral' };

const accountSortLabels = {
  name: 'accountsPanel:sort.name',
  login: 'accountsPanel:sort.login',
  role: 'accountsPanel:sort.role',
  customer: 'accountsPanel:sort.customer',
  group: 'accountsPanel:sort.group',
  lastSignIn: 'accountsPanel:sort.lastSignIn',
} as const;

export function roleLabel(role: Role): Text {
  return message(roleLabels[role]);
}

export function accountStatus(state: AccountState): Status {
  return { label: message(accountStateLabels[state]), tone: accountStateTones[state] };
}

export function clientAccountStatus(state: ClientAccountState): Status {
  return { label: message(clientAccountStateLabels[state]), tone: clientAccountStateTones[state] };
}

/** A client's roles at their customer, or "no role". */
export function clientRolesText(account: { isPrimaryContact: boolean; isApprover: boolean }): Text[] {
  const held: Text[] = [];
  if (account.isPrimaryContact) held.push(message('accounts:list.primaryContact'));
  if (account.isApprover) held.push(message('accounts:list.approver'));
  return held.length > 0 ? held : [message('accounts:list.noRole')];
}

const sortDirectionLabels = { asc: 'accountsPanel:filters.ascending', desc: 'accountsPanel:filters.descending' } as const;

/** The choices of the accounts panel's filters; "any" comes from the page, as it is the filter's absence. */
export function accountFilterChoices(groups: ReadonlyArray<{ id: number; name: string }>) {
  return {
    type: choicesOf(accountTypeLabels),
    role: choicesOf(roleLabels),
    group: groups.map((group): Choice => ({ value: group.id, label: group.name })),
    state: choicesOf(accountStateLabels),
    sort: choicesOf(accountSortLabels),
    direction: choicesOf(sortDirectionLabels),
  };
}
