/**
 * One form for a client's IP address. A dual-stack server sees an IPv4 client as an IPv4-mapped
 * IPv6 address (::ffff:1.2.3.4); the same person must not appear under two addresses in the audit
 * log, so those are written as the IPv4 address they are. Anything else is kept as it came.
 */
export function normalizeIp(address: string | null | undefined): string | null {
  if (address === null || address === undefined || address === '') return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}
