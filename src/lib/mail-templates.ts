import type { i18n as I18n } from 'i18next';
import type { MailMessage } from './mail.js';
import { isSupportedLocale } from './i18n.js';

/**
 * Turns a queued message into the e-mail in the recipient's language: locales/<lang>/mail.json
 * holds `<template>.subject` and `<template>.body`, filled with the message's values. A body opens
 * with `{{greeting}}`: the person's first name when the message has one (`greetingName`), else a
 * neutral greeting, never a company's name or a login.
 */
export function renderMail(i18n: I18n, mail: { to: string; locale: string; template: string; data: Record<string, string> }): MailMessage {
  const t = i18n.getFixedT(isSupportedLocale(mail.locale) ? mail.locale : 'pl');
  const greetingName = (mail.data.greetingName ?? '').trim();
  const values = { ...mail.data, greeting: greetingName ? t('mail:greeting.named', { name: greetingName }) : t('mail:greeting.neutral') };
  return {
    to: mail.to,
    subject: t(`mail:${mail.template}.subject`, values),
    text: `${t(`mail:${mail.template}.body`, values)}\n\n-- \n${t('mail:signature', values)}\n`,
  };
}
