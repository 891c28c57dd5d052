import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyclesOf, filesUnder, parseSource, projectRoot, sourceOf, type Import } from './sources.js';

/** The layout of ARCHITECTURE.md held by the imports: no cycles, models below validators, controllers apart. */

const sourceFiles = filesUnder('src');

/** Each file's imports of other project files, type-only ones included (they tie the files together all the same). */
function importGraph(files: readonly string[], importsOf: (file: string) => Import[]): Map<string, string[]> {
  return new Map(files.map((file) => [file, [...new Set(importsOf(file).flatMap((imported) => (imported.target ? [imported.target] : [])))]]));
}

const isController = (file: string) => file.startsWith('src/controllers/');
const isPageModule = (file: string) => isController(file) && file.split('/').pop()!.startsWith('_');
const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/'));

/**
 * Imports from one controller file to another that the layout refuses: a routable controller may
 * use the `_` page modules of its own folder only, and a page module never a routable controller.
 */
function controllerImportProblems(file: string, imports: readonly Import[]): string[] {
  return imports
    .filter((imported) => imported.target && isController(imported.target))
    .filter((imported) => !(isPageModule(imported.target!) && folderOf(imported.target!) === folderOf(file)))
    .map((imported) => `${file}:${imported.line} imports ${imported.target}`);
}

describe('the layout of src', () => {
  it('finds a cycle and writes it out, type imports included', () => {
    const samples = new Map([
      ['src/a.ts', parseSource('src/a.ts', "import { b } from './b.js';")],
      ['src/b.ts', parseSource('src/b.ts', "import type { C } from './lib/c.js';")],
      ['src/lib/c.ts', parseSource('src/lib/c.ts', "export { a } from '../a.js';\nimport 'express';")],
      ['src/d.ts', parseSource('src/d.ts', "import { a } from './a.js';")],
    ]);
    const graph = importGraph([...samples.keys()], (file) => samples.get(file)!.imports);
    expect(cyclesOf(graph)).toEqual([['src/a.ts', 'src/b.ts', 'src/lib/c.ts', 'src/a.ts']]);
  });

  it('resolves every relative import of src to a file, so that no edge of the graph is lost', () => {
    const imports = sourceFiles.flatMap((file) => sourceOf(file).imports.filter((imported) => imported.target).map((imported) => ({ file, imported })));
    expect(imports.length).toBeGreaterThan(400);
    const unresolved = imports.filter(({ imported }) => !existsSync(path.join(projectRoot, imported.target!)));
    expect(unresolved.map(({ file, imported }) => `${file}:${imported.line} ${imported.specifier}`)).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles = cyclesOf(importGraph(sourceFiles, (file) => sourceOf(file).imports));
    expect(cycles.map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('never lets a model import from validators, not even a type', () => {
    const imports = filesUnder('src/models').flatMap((file) => sourceOf(file).imports.map((imported) => ({ file, imported })));
    const fromValidators = imports.filter(({ imported }) => imported.target?.startsWith('src/validators/'));
    expect(fromValidators.map(({ file, imported }) => `${file}:${imported.line} ${imported.specifier}`)).toEqual([]);
  });

  it('finds a controller that imports another, or a page module of another folder', () => {
    const imports = parseSource('src/controllers/staff/customers.ts', "import { a } from './change-requests.js';\nimport { b } from './_customer-page.js';\nimport { c } from '../admin/_account-page.js';").imports;
    expect(controllerImportProblems('src/controllers/staff/customers.ts', imports)).toEqual([
      'src/controllers/staff/customers.ts:1 imports src/controllers/staff/change-requests.ts',
      'src/controllers/staff/customers.ts:3 imports src/controllers/admin/_account-page.ts',
    ]);
  });

  it('keeps controllers apart: each uses only the page modules of its own folder, and page modules no controller', () => {
    const controllers = filesUnder('src/controllers');
    expect(controllers.filter(isPageModule).length).toBeGreaterThan(0);
    expect(controllers.flatMap((file) => controllerImportProblems(file, sourceOf(file).imports))).toEqual([]);
  });

  it('imports controllers only into the route table and page modules', () => {
    const importers = sourceFiles.filter((file) => !isController(file) && sourceOf(file).imports.some((imported) => imported.target && isController(imported.target)));
    expect(importers).toEqual(['src/routes.ts']);
  });
});
