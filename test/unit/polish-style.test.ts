import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localesDirectory } from '../../src/lib/paths.js';

/** Every message of a language as 'namespace:dotted.key' → text. */
function messagesOf(locale: string): Array<[string, string]> {
  const messages: Array<[string, string]> = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`, child);
    } else {
      messages.push([prefix, String(value)]);
    }
  };
  for (const file of readdirSync(path.join(localesDirectory, locale)).filter((name) => name.endsWith('.json'))) {
    walk(`${file.replace(/\.json$/, '')}:`, JSON.parse(readFileSync(path.join(localesDirectory, locale, file), 'utf8')));
  }
  return messages;
}

/** The messages that match a pattern, as 'key: text', so a failure names each of them. */
function matching(messages: Array<[string, string]>, pattern: RegExp): string[] {
  return messages.filter(([, text]) => pattern.test(text)).map(([key, text]) => `${key}: ${text}`);
}

const polish = messagesOf('pl');
const english = messagesOf('en');

// The glossary these hold is "Polish terms" in docs/decisions.md.
describe('Polish texts', () => {
  it('never assume the reader is a man (or add a bracketed feminine ending)', () => {
    expect(matching(polish, /\p{L}+(łeś|łaś|łbyś|łabyś)(?![\p{L}\p{N}])/u)).toEqual([]);
    expect(matching(polish, /(?<![\p{L}\p{N}])(zostaniesz|zostałeś|zostałaś|jesteś|będziesz)\s+\p{L}*(ny|na|ony|ona)(?![\p{L}\p{N}])/u)).toEqual([]);
    expect(matching(polish, /(?<![\p{L}\p{N}])(sam|sama|pewien|pewna|gotów|gotowy)(?![\p{L}\p{N}])/u)).toEqual([]);
    expect(matching(polish, /\p{L}\((a|y|i)\)/u)).toEqual([]);
  });

  it('call the provider „dostawca” or „portal”, and keep „firma” for the client’s own company', () => {
    expect(matching(polish, /firm\p{L}*\s+\{\{\s*tenant\s*\}\}/u)).toEqual([]);
    expect(matching(polish, /(?<![\p{L}\p{N}])(ustawieni\p{L}*|całej|tej|w tej)\s+firm/u)).toEqual([]);
  });

  it('use one word for each thing', () => {
    // „zgłoszenie” is a ticket: an error has an identifier, a change of data is asked for with a „wniosek”.
    expect(matching(polish, /zgłoszeni\p{L}* błędu|zgłos\p{L}* zmian|zmian\p{L}* zgłosz/u)).toEqual([]);
    // Tickets are accepted (akceptacja zgłoszeń); a change request is approved (zatwierdzony).
    expect(matching(polish, /zatwierdz\p{L}*\s+zgłosze|zgłosze\p{L}*\s+zatwierdz/u)).toEqual([]);
    expect(matching(polish, /od wybranej daty/u)).toEqual([]);
    const states = (prefix: string) => polish.filter(([key]) => key.startsWith(prefix)).map(([key, text]) => `${key.slice(prefix.length)}: ${text}`);
    expect(states('accounts:state.')).toEqual(['active: aktywne', 'locked: zablokowane', 'invited: zaproszenie wysłane', 'deactivated: nieaktywne', 'invitationExpired: zaproszenie wygasło']);
    expect(states('accountsPanel:state.')).toEqual(['active: aktywne', 'locked: zablokowane', 'deactivated: nieaktywne', 'invited: zaproszenie wysłane', 'invitationExpired: zaproszenie wygasło']);
  });

  it('say „Dziedziczone: …” for an inherited value, never the imperative', () => {
    expect(matching(polish, /(?<![\p{L}\p{N}])Dziedzicz(?![\p{L}\p{N}])/u)).toEqual([]);
    expect(polish.filter(([key]) => key === 'customers:settings.inheritWith' || key === 'groups:portalAccess.inherit').map(([, text]) => text)).toEqual([
      'Dziedziczone: {{value}} ({{source}})',
      'Dziedziczone: {{value}} ({{source}})',
    ]);
  });

  it('have no calques from English and use Polish quotation marks', () => {
    expect(matching(polish, /mamy nadzieję|kliknij tutaj|tutaj:|(?<![\p{L}\p{N}])Nie znamy(?![\p{L}\p{N}])/iu)).toEqual([]);
    expect(matching(polish, /["“]/u)).toEqual([]);
    expect(matching(polish, /„[^”]*$/u)).toEqual([]);
  });

  it('say which address a throttle counts: the IP address, not an e-mail address', () => {
    expect(matching(polish, /Twojego adresu(?! IP)/u)).toEqual([]);
  });
});

describe('English texts', () => {
  it('put a name before the noun, not in an „of” phrase translated word by word', () => {
    expect(matching(english, /\b(Data|Data change|Customer record|The customer portal) of \{\{/u)).toEqual([]);
  });

  it('call the provider „provider” or „portal”, never „the company”, which is the client’s own', () => {
    expect(matching(english, /\b(the|this) company\b(?!’s details)/iu)).toEqual([]);
  });
});
