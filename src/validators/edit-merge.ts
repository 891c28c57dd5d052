/**
 * Edit conflicts never undo another person's work (issue 14). A form that saves under a version
 * check carries, next to the version, the values it was opened with (its base). When someone
 * else saved in between, the user's submission is merged into what is stored now, field by field:
 * - a field only this user changed takes their value;
 * - a field only the other person changed keeps the stored value (the form must not revert it);
 * - a field both changed, to different values, is a clash: it is shown side by side and the
 *   person chooses; until then the form holds the user's own value for it.
 * Without a readable base (an old form, a tampered field) every field that differs from the
 * stored value is a clash: nothing is taken over silently.
 */

/** The hidden field that carries the opened values. */
export const baseFieldName = 'base';

/** The opened values as the text of the hidden field. */
export function encodeBase(values: Readonly<Record<string, string>>, fields: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((field) => [field, values[field] ?? ''])));
}

/** The hidden field read back: only the named fields, only text; null when it cannot be read. */
export function decodeBase(text: unknown, fields: readonly string[]): Record<string, string> | null {
  if (typeof text !== 'string' || text === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const source = parsed as Record<string, unknown>;
  if (!fields.every((field) => typeof source[field] === 'string')) return null;
  return Object.fromEntries(fields.map((field) => [field, String(source[field])]));
}

export type EditMerge = {
  /** What the form shows after the conflict: the stored version with this user's own changes applied. */
  values: Record<string, string>;
  /** Fields this user changed that the other person left alone: taken over from the submission. */
  kept: string[];
  /** Fields both changed to different values: the person chooses (the form holds their own value). */
  clashes: string[];
};

/** Merges a submission into the stored values (all three as form values). */
export function mergeEdit(
  fields: readonly string[],
  base: Readonly<Record<string, string>> | null,
  mine: Readonly<Record<string, string>>,
  stored: Readonly<Record<string, string>>,
): EditMerge {
  const values: Record<string, string> = {};
  const kept: string[] = [];
  const clashes: string[] = [];
  for (const field of fields) {
    const own = mine[field] ?? '';
    const now = stored[field] ?? '';
    const opened = base ? (base[field] ?? '') : now;
    if (own === opened || own === now) {
      values[field] = now;
    } else if (base && now === opened) {
      values[field] = own;
      kept.push(field);
    } else {
      values[field] = own;
      clashes.push(field);
    }
  }
  return { values, kept, clashes };
}
