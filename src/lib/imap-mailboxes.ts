/**
 * A mailbox the IMAP poller reads for one tenant (T9), from IMAP_URL:
 * `imaps://user:password@host:993/INBOX?tenant=acme` (imap:// for a server without TLS, 143 by
 * default), several separated by spaces, each naming its tenant. `&processed=Folder` moves each
 * message there once it is kept, instead of marking it seen. Letters that a password must escape
 * are percent-encoded, as in any URL.
 */
export type ImapMailbox = {
  host: string;
  port: number;
  isSecure: boolean;
  user: string;
  password: string;
  mailbox: string;
  tenantSlug: string;
  processedFolder: string | undefined;
};

/**
 * Reads IMAP_URL. @throws Error naming what is wrong (never the password)
 */
export function parseImapMailboxes(value: string | undefined): ImapMailbox[] {
  if (!value?.trim()) return [];
  return value.trim().split(/\s+/).map((text, index) => parseOne(text, index + 1));
}

function parseOne(text: string, position: number): ImapMailbox {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`mailbox ${position} is not a URL such as imaps://user:password@host:993/INBOX?tenant=acme`);
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new Error(`mailbox ${position} must be an imap:// or imaps:// URL`);
  const tenantSlug = url.searchParams.get('tenant');
  if (!tenantSlug) throw new Error(`mailbox ${position} names no tenant (add ?tenant=SLUG)`);
  if (!url.username || !url.password) throw new Error(`mailbox ${position} needs a user and a password (imaps://user:password@host/INBOX)`);
  const isSecure = url.protocol === 'imaps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : isSecure ? 993 : 143,
    isSecure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
    tenantSlug,
    processedFolder: url.searchParams.get('processed') || undefined,
  };
}
