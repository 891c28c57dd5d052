import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { describeFinding, filesUnder, lineOf, nodesOf, parseSource, projectRoot, sourceOf, type Finding, type Source } from './sources.js';

/** "Now" comes from the app's clock (scope.now(), deps.clock), so that tests can move time. */

/** Each reading of the machine's time: new Date() without arguments, and Date.now(). */
function machineTimeReadings(source: Source): Finding[] {
  const findings: Finding[] = [];
  for (const node of nodesOf(source)) {
    const isNewDate = ts.isNewExpression(node) && node.expression.getText() === 'Date' && (node.arguments?.length ?? 0) === 0;
    const isDateNow = ts.isCallExpression(node) && node.expression.getText() === 'Date.now';
    if (isNewDate || isDateNow) findings.push({ path: source.path, line: lineOf(source, node), message: `reads the machine's time: ${node.getText()}` });
  }
  return findings;
}

/** The same in a view's code (views only display: the time they show comes with their data). */
function machineTimeInView(file: string, text: string): string[] {
  return [...text.matchAll(/new\s+Date\s*\(\s*\)|Date\s*\.\s*now\s*\(/g)].map((match) => `${file}:${text.slice(0, match.index).split('\n').length} ${match[0]}`);
}

/**
 * Files that still read the machine's time, and why. systemClock (lib/time.ts) is the one that
 * is meant to; durations (a worker's lifetime, a queue's wait) are measured with performance.now().
 */
const clockExceptions = [
  'src/lib/time.ts', // systemClock: the real clock that the app is given
];

describe('the clock', () => {
  it('finds new Date() and Date.now(), but not a date made from a value', () => {
    const sample = parseSource('src/models/sample.ts', 'const a = new Date();\nconst b = Date.now();\nconst c = new Date(stored);\nconst d = new Date;\n// new Date() in a comment\n');
    expect(machineTimeReadings(sample).map(describeFinding)).toEqual([
      "src/models/sample.ts:1 reads the machine's time: new Date()",
      "src/models/sample.ts:2 reads the machine's time: Date.now()",
      "src/models/sample.ts:4 reads the machine's time: new Date",
    ]);
    expect(machineTimeInView('views/sample.ejs', '<%= new Date().getFullYear() %>\n<%= Date.now() %>')).toEqual(['views/sample.ejs:1 new Date()', 'views/sample.ejs:2 Date.now(']);
  });

  it('is read only through the app clock in src, but for the listed exceptions', () => {
    const files = filesUnder('src').filter((file) => !clockExceptions.includes(file));
    expect(files.flatMap((file) => machineTimeReadings(sourceOf(file))).map(describeFinding)).toEqual([]);
  });

  it('keeps no exception that no longer reads the machine time', () => {
    for (const file of clockExceptions) expect(machineTimeReadings(sourceOf(file)), `${file} no longer reads the machine's time: take it off the list`).not.toEqual([]);
  });

  it('is never read in a view', () => {
    const views = filesUnder('views', '.ejs');
    expect(views.flatMap((file) => machineTimeInView(file, readFileSync(path.join(projectRoot, file), 'utf8')))).toEqual([]);
  });
});
