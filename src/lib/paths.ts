import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (views, locales, public), found from this file rather than the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const viewsDirectory = path.join(projectRoot, 'views');
export const localesDirectory = path.join(projectRoot, 'locales');
export const publicDirectory = path.join(projectRoot, 'public');
export const defaultDataDirectory = path.join(projectRoot, 'data');
