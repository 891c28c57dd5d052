import type { AddressObject } from 'mailparser';

/** An e-mail message as the intake uses it (T9): who sent it, its subject, its text and its files. */
export type IncomingMail = {
  /** The Message-ID header as sent (with its angle brackets), or null when the message has none. */
  messageId: string | null;
  /** The sender's address, in lower case, or null when the message names none. */
  senderAddress: string | null;
  subject: string;
  /** The plain text: the text part, or the HTML part turned into text (scripts and styles dropped). */
  text: string;
  attachments: MailAttachment[];
};

/** A file sent with a message; pictures the HTML shows inline (`cid:`) are part of its body, not files. */
export type MailAttachment = { fileName: string; content: Buffer };

/**
 * Parses a raw message with mailparser. Encoded headers (=?UTF-8?B?…?=, Q-encoding) and bodies are
 * decoded; a message without a text part gets the text of its HTML part (mailparser's html-to-text),
 * never the HTML itself, so nothing of the markup reaches a page.
 * @throws Error when mailparser cannot read the message at all
 */
export async function parseMail(raw: Buffer): Promise<IncomingMail> {
  // mailparser takes about 0.4 s to load: only the intake needs it, so web workers never pay it.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  return {
    messageId: parsed.messageId?.trim() || null,
    senderAddress: firstAddress(parsed.from)?.toLowerCase() ?? null,
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: normalizeText(parsed.text ?? ''),
    attachments: parsed.attachments
      .filter((attachment) => !attachment.related)
      .map((attachment, index) => ({ fileName: attachment.filename?.trim() || `attachment-${index + 1}`, content: attachment.content })),
  };
}

function firstAddress(from: AddressObject | undefined): string | undefined {
  const address = from?.value.find((entry) => entry.address)?.address?.trim();
  return address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined;
}

/** Line ends as LF, no trailing spaces, no runs of more than one empty line. */
function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The start of the quoted earlier message in a reply: "On … wrote:", "W dniu … pisze:", an Outlook header. */
const quoteHeaders = [
  /^On .+ wrote:$/,
  /^W dniu .+(pisze|napisał|napisała|napisał\(a\)):$/i,
  /^-{2,}\s*(Original Message|Wiadomość oryginalna|Oryginalna wiadomość)\s*-{2,}$/i,
  /^(From|Od): .+$/,
];

/**
 * The new part of a reply: everything before the quoted earlier message (the first quote header,
 * or the first run of lines starting with ">"), trimmed. A reply that is all quotation keeps its text.
 */
export function withoutQuotedReply(text: string): string {
  const lines = text.split('\n');
  const cut = lines.findIndex((line) => line.startsWith('>') || quoteHeaders.some((header) => header.test(line.trim())));
  const kept = (cut < 0 ? lines : lines.slice(0, cut)).join('\n').trim();
  return kept || text;
}

/** The subject without reply and forward prefixes (Re:, Odp:, Fwd:, PD:, AW:) and without a ticket tag. */
export function cleanSubject(subject: string): string {
  return subject
    .replace(/\[#\d{4}\/\d{6,}\]/g, ' ')
    .replace(/^(\s*(re|odp|fwd?|pd|aw|wg|sv)\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}
