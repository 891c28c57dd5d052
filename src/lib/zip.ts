/**
 * A ZIP archive of named contents, built in memory by fflate (zero dependencies), which is loaded
 * on first use (docs/decisions.md, "Heavy libraries load on first use"). JSON compresses well;
 * files already compressed (PDF, images) are stored as they are.
 */
export async function zipOf(entries: ReadonlyArray<{ path: string; content: Uint8Array }>): Promise<Uint8Array> {
  const { zipSync } = await import('fflate');
  const isText = (path: string) => path.endsWith('.json') || path.endsWith('.eml') || path.endsWith('.txt');
  return zipSync(Object.fromEntries(entries.map((entry) => [entry.path, [entry.content, { level: isText(entry.path) ? 6 : 0 }]])));
}
