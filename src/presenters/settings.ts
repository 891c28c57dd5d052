import { portletDefinition, type PortletChoice } from '../models/portlet-registry.js';
import { definitionOf, type SettingName } from '../models/setting-registry.js';
import type { SettingInForce, SettingSource } from '../models/settings.js';
import { message, type Message, type Text } from './presentation.js';

/**
 * Where a value in force comes from, as the pages say it (D5), from the point of view of what they
 * show: "set here" on the level's own page, else the level, and the group by its name when known.
 */
export function sourceText(source: SettingSource, options: { here?: SettingSource['level']; groupName?: string | null } = {}): Message {
  if (source.level === options.here) return message('settings:source.here');
  if (source.level === 'group' && options.groupName) return message('settings:source.namedGroup', { group: options.groupName });
  return message(`settings:source.${source.level}`);
}

/** A setting's value as a page shows it: its choice's label, the names of a list of portlets, or the value itself (a date). */
export function valueText(name: SettingName, value: unknown): Text {
  if (name === 'portal.portlets' && Array.isArray(value)) {
    const portlets = value as PortletChoice[];
    return portlets.length === 0 ? message('settings:noPortlets') : message('settings:list', { items: portlets.map((choice) => message(portletDefinition(choice.id).label)) });
  }
  const label = definitionOf(name).choices?.[String(value)];
  if (label) return message(label);
  return value === '' || value === null || value === undefined ? message('settings:none') : String(value);
}

/** "In force: for all customers (default value)". */
export function inForceText(value: Text, source: Text): Message {
  return message('settings:inForce', { value, source });
}

/** A value in force as a page's line shows it: the value, and where it comes from ("off", "set for the group VIP"). */
export type SettingLine = { value: Text; source: Text };

export function settingLine<Name extends SettingName>(name: Name, setting: SettingInForce<Name>, options: Parameters<typeof sourceText>[1] = {}): SettingLine {
  return { value: valueText(name, setting.value), source: sourceText(setting.source, options) };
}

/** "As the company decides (now: on, the company’s setting)": the inherited choice of a group's portal access. */
export function groupInheritedAccess(inherited: SettingInForce<'portal.access'>): Text {
  const { value, source } = settingLine('portal.access', inherited);
  return message('groups:portalAccess.inherit', { value, source });
}
