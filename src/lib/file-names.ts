import { allowedTypes, type AllowedTypeName } from './file-types.js';

const unsafeCharacters = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;
const longestName = 150;

/**
 * The name a file is stored and sent under: the name it came with, without folders, control
 * characters or characters that file systems refuse, at most 150 characters, and with an
 * extension of the type its content is (a text file named "page.html" becomes "page.html.txt"),
 * so that opening a download never runs it as something else.
 */
export function safeFileName(originalName: string, type: AllowedTypeName): string {
  const base = originalName.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base.replace(unsafeCharacters, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  const extensions: readonly string[] = allowedTypes[type].extensions;
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!extension || !extensions.includes(extension)) name = `${name || 'file'}.${extensions[0]}`;
  if (name.length <= longestName) return name;
  const ending = name.slice(name.lastIndexOf('.'));
  return name.slice(0, longestName - ending.length) + ending;
}

const foldedLetters: Record<string, string> = { ł: 'l', Ł: 'L', ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D' };

/** The name in plain ASCII, for the `filename` of Content-Disposition: Polish letters lose their marks, anything else becomes "_". */
export function asciiFileName(name: string): string {
  return name
    .replace(/[łŁßæÆøØđĐ]/g, (letter) => foldedLetters[letter]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\;]/g, '_');
}

/** A Content-Disposition header that makes the browser save the file: an ASCII name for old clients, the UTF-8 name for the rest (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encoded}`;
}
