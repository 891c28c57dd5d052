import { definitionOf, type SettingName } from '../models/setting-registry.js';
import type { SettingSource } from '../models/settings.js';

/** Where a value in force comes from, as the pages say it: an i18n key and its values (a group's name). */
export type SourceText = { key: string; values?: Record<string, string> };

/**
 * How a page says where a setting's value comes from, from the point of view of what it shows:
 * "set here" on the level's own page, else the level (and the group's name, when known).
 */
export function sourceText(source: SettingSource, options: { here?: SettingSource['level']; groupName?: string | null } = {}): SourceText {
  if (source.level === options.here) return { key: 'settings:source.here' };
  if (source.level === 'group' && options.groupName) return { key: 'settings:source.namedGroup', values: { group: options.groupName } };
  return { key: `settings:source.${source.level}` };
}

/** A setting's value as a page shows it: its choice's label (an i18n key) or the value itself. */
export function valueText(name: SettingName, value: unknown): SourceText {
  const label = definitionOf(name).choices?.[String(value)];
  if (label) return { key: label };
  return value === '' || value === null || value === undefined ? { key: 'settings:none' } : { key: 'settings:literal', values: { value: String(value) } };
}
