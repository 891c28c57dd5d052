import type { i18n as I18n } from 'i18next';
import type { MailMessage } from './mail.js';
import { isSupportedLocale } from './i18n.js';

/** A value named `<name>Key` that holds a message key ('tickets:status.open'): written in the recipient's words as `<name>`. */
const messageKeyValue = /^(\w+)Key$/;
const messageKey = /^[a-z][A-Za-z]*:[A-Za-z0-9_.]+$/;

/**
 * Turns a queued message into the e-mail in the recipient's language: locales/<lang>/mail.json
 * holds `<template>.subject` and `<template>.body`, filled with the message's values. A body opens
 * with `{{greeting}}`: the person's first name when the message has one (`greetingName`), else a
 * neutral greeting, never a company's name or a login. A value queued as a message key (`statusKey`)
 * is translated here, as the message is written, so a model queues no words in any language.
 */
export function renderMail(i18n: I18n, mail: { to: string; locale: string; template: string; data: Record<string, string> }): MailMessage {
  const t = i18n.getFixedT(isSupportedLocale(mail.locale) ? mail.locale : 'pl');
  const greetingName = (mail.data.greetingName ?? '').trim();
  const translated: Record<string, string> = {};
  for (const [name, value] of Object.entries(mail.data)) {
    const target = messageKeyValue.exec(name)?.[1];
    if (target && messageKey.test(value) && i18n.exists(value)) translated[target] = t(value);
  }
  const values = { ...mail.data, ...translated, greeting: greetingName ? t('mail:greeting.named', { name: greetingName }) : t('mail:greeting.neutral') };
  return {
    to: mail.to,
    subject: t(`mail:${mail.template}.subject`, values),
    text: `${t(`mail:${mail.template}.body`, values)}\n\n-- \n${t('mail:signature', values)}\n`,
  };
}
