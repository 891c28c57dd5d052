import { asciiOf, customerFrom, personFrom, randomSource } from './large-people.js';
import type { TenantFrame } from './large-tenant.js';
import { inTransaction, type Row, type Writer } from './large-writer.js';

/** One seeded customer as the ledger and the tickets need it. */
export type SeededCustomer = { id: number; caretakerId: number | null; isActive: boolean; clientIds: number[] };

/** Every 37th customer has left (inactive); it keeps its history but gets no numbered login. */
export const isActiveCustomer = (index: number) => index % 37 !== 36;
/** 65% of the active customers have a portal account, and one in twenty of them a second one. */
const accountsOf = (index: number) => (!isActiveCustomer(index) || index % 20 >= 13 ? 0 : index % 20 === 0 ? 2 : 1);
/** One customer in ten has no caretaker (the office's queue serves them); the rest go round the caretakers. */
const caretakerOf = (frame: TenantFrame, index: number) => (index % 10 === 9 || frame.caretakerIds.length === 0 ? null : frame.caretakerIds[index % frame.caretakerIds.length]!);

const customerColumns = ['name', 'caretaker_id', 'is_active', 'tax_country', 'tax_id', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'bank_account', 'customer_number', 'created_at', 'updated_at'];
const userColumns = ['login', 'email', 'first_name', 'last_name', 'role', 'customer_id', 'group_id', 'password_hash', 'is_primary_contact', 'password_changed_at', 'created_at', 'updated_at'];

/**
 * The customers, with the columns createCustomer writes (customer numbers 000001…, unique in the
 * tenant; no submission key, as for any customer not made through the form), then their client
 * accounts client1…clientM with the columns createUser writes: CLIENTS or VIP, the shared hash.
 */
export async function seedCustomers(writer: Writer, frame: TenantFrame, count: number, now: string, passwordHash: string, seed: number): Promise<SeededCustomer[]> {
  const random = randomSource(seed);
  const rows: Row[] = [];
  for (let index = 0; index < count; index += 1) {
    const data = customerFrom(random, index + 1);
    rows.push([data.name, caretakerOf(frame, index), isActiveCustomer(index), 'PL', data.taxId, data.street, data.postalCode, data.city, 'PL', data.email, data.phone, data.bankAccount, String(index + 1).padStart(6, '0'), now, now]);
  }
  const ids = await inTransaction(writer, (insert) => insert('customers', customerColumns, rows));
  writer.progress.finish('customers');
  const customers: SeededCustomer[] = ids.map((id, index) => ({ id, caretakerId: caretakerOf(frame, index), isActive: isActiveCustomer(index), clientIds: [] }));

  const accounts: Row[] = [];
  const owners: SeededCustomer[] = [];
  customers.forEach((customer, index) => {
    for (let account = 0; account < accountsOf(index); account += 1) {
      const person = personFrom(random);
      const login = `client${accounts.length + 1}`;
      const group = index % 50 === 1 ? frame.groupIds.vip : frame.groupIds.clients;
      accounts.push([login, `${asciiOf(person.firstName)}.${asciiOf(person.lastName)}.${login}@poczta.example`, person.firstName, person.lastName, 'client', customer.id, group, passwordHash, account === 0, now, now, now]);
      owners.push(customer);
    }
  });
  const userIds = await inTransaction(writer, (insert) => insert('users', userColumns, accounts));
  userIds.forEach((id, index) => owners[index]!.clientIds.push(id));
  writer.progress.finish('users');
  return customers;
}
