import type { i18n as I18n } from 'i18next';
import type { MailMessage } from './mail.js';
import { isSupportedLocale } from './i18n.js';

/**
 * Turns a queued message into the e-mail in the recipient's language: locales/<lang>/mail.json
 * holds `<template>.subject` and `<template>.body`, filled with the message's values.
 */
export function renderMail(i18n: I18n, mail: { to: string; locale: string; template: string; data: Record<string, string> }): MailMessage {
  const t = i18n.getFixedT(isSupportedLocale(mail.locale) ? mail.locale : 'pl');
  return {
    to: mail.to,
    subject: t(`mail:${mail.template}.subject`, mail.data),
    text: `${t(`mail:${mail.template}.body`, mail.data)}\n\n-- \n${t('mail:signature', mail.data)}\n`,
  };
}
