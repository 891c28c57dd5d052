import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseImapMailboxes } from '../../src/lib/imap-mailboxes.js';
import { cleanSubject, withoutQuotedReply } from '../../src/lib/mail-message.js';
import { ticketMailTag, ticketNumberFromSubject } from '../../src/models/ticket-mail-tag.js';

describe('incoming e-mail helpers (T9)', () => {
  it('reads a ticket’s tag from a subject and writes it back the same way', () => {
    expect(ticketMailTag('2026/000123')).toBe('[#2026/000123]');
    expect(ticketNumberFromSubject('Odp: [#2026/000123] Drukarka')).toEqual({ year: 2026, sequence: 123 });
    expect(ticketNumberFromSubject('Re: #2026/000123 Drukarka')).toBeNull();
    expect(ticketNumberFromSubject('[#26/123] Drukarka')).toBeNull();
  });

  it('takes reply and forward prefixes and the tag off a subject', () => {
    expect(cleanSubject('Re: Odp: [#2026/000123] Drukarka nie drukuje')).toBe('Drukarka nie drukuje');
    expect(cleanSubject('FWD:  PD: Awaria')).toBe('Awaria');
    expect(cleanSubject('Regulamin: pytanie')).toBe('Regulamin: pytanie');
  });

  it('keeps the new part of a reply, before the quoted message, and all of a reply that is only quotation', () => {
    expect(withoutQuotedReply('Tak.\n\nOn Tue, 1 Dec 2026 at 09:50, Biuro <b@x> wrote:\n> Czy?')).toBe('Tak.');
    expect(withoutQuotedReply('Dziękuję.\n-----Original Message-----\nFrom: x')).toBe('Dziękuję.');
    expect(withoutQuotedReply('Dobrze\n\nW dniu 1.12.2026 o 09:50 Biuro pisze:\n> x')).toBe('Dobrze');
    expect(withoutQuotedReply('> only quoted')).toBe('> only quoted');
  });

  it('reads IMAP_URL: one or more mailboxes, each with its tenant, without ever repeating the password in an error', () => {
    expect(parseImapMailboxes('')).toEqual([]);
    expect(parseImapMailboxes('imaps://office%40acme.example:p%40ss@mail.acme.example/INBOX?tenant=acme imap://u:p@127.0.0.1:1143/Zg%C5%82oszenia?tenant=beta&processed=Done')).toEqual([
      { host: 'mail.acme.example', port: 993, isSecure: true, user: 'office@acme.example', password: 'p@ss', mailbox: 'INBOX', tenantSlug: 'acme', processedFolder: undefined },
      { host: '127.0.0.1', port: 1143, isSecure: false, user: 'u', password: 'p', mailbox: 'Zgłoszenia', tenantSlug: 'beta', processedFolder: 'Done' },
    ]);
    expect(() => parseImapMailboxes('imaps://u:secret@host/INBOX')).toThrow('mailbox 1 names no tenant (add ?tenant=SLUG)');
    expect(() => parseImapMailboxes('pop3://u:secret@host/?tenant=a')).toThrow('must be an imap:// or imaps:// URL');
    let message = '';
    try {
      loadConfig({ IMAP_URL: 'imaps://u:secret@host/INBOX' }, { dataDirectory: '/tmp' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Configuration error: IMAP_URL mailbox 1 names no tenant (add ?tenant=SLUG)');
    expect(message).not.toContain('secret');
  });
});
