import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/lib/paths.js';

/**
 * The stylesheet's blocks, comments and strings left out: a rule left open swallows every rule after
 * it (an unclosed @media made all the money pages' styles apply on phones only, and browsers say
 * nothing about it).
 */
describe('the stylesheet', () => {
  const css = readFileSync(path.join(projectRoot, 'public', 'css', 'app.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/"[^"]*"|'[^']*'/g, '""');

  it('closes every block it opens, never closing one it did not open', () => {
    let depth = 0;
    const problems: string[] = [];
    css.split('\n').forEach((line, index) => {
      for (const character of line) {
        if (character === '{') depth += 1;
        if (character === '}') depth -= 1;
        if (depth < 0) problems.push(`line ${index + 1} closes a block that is not open`);
      }
    });
    expect(problems).toEqual([]);
    expect(depth, 'blocks left open at the end of the file').toBe(0);
  });

  it('nests no more than a rule inside an @media block', () => {
    let depth = 0;
    let inMedia = false;
    const problems: string[] = [];
    for (const match of css.matchAll(/([^{};]*)([{}])/g)) {
      const [, prelude, brace] = match;
      if (brace === '{') {
        if (depth === 0) inMedia = /^\s*@(media|supports)/.test(prelude!);
        depth += 1;
        if (depth > (inMedia ? 2 : 1)) problems.push(`"${prelude!.trim().slice(0, 60)}" is nested ${depth} deep`);
      } else depth -= 1;
    }
    expect(problems).toEqual([]);
  });
});
