import { describe, expect, it } from 'vitest';
import type { Measured } from '../../bench/load.js';
import { benchOptions } from '../../bench/options.js';
import { withSection } from '../../bench/report.js';
import { median, verdictOf } from '../../bench/targets.js';

const measured = (rate: number, p99: number, extra: Partial<Measured> = {}): Measured => ({ requests: 100, rate, p50: p99 / 2, p99, unexpected: 0, unfinished: 0, statuses: '200×100', ...extra });

describe('the bench’s verdicts (issue 20, item 4)', () => {
  it('meets the dashboard’s target at 35 % of the ceiling and a p99 of 200 ms', () => {
    expect(verdictOf({ name: 'client dashboard', kind: 'dashboard', measured: measured(350, 200), share: 0.35 })).toBe('met');
  });

  it('says by how much the dashboard misses its share and its p99', () => {
    expect(verdictOf({ name: 'client dashboard', kind: 'dashboard', measured: measured(300, 250), share: 0.3 })).toBe('missed: 5.0 points short (0.86× the target); p99 50 ms over');
  });

  it('holds a list page to 25 % and 300 ms, and counts a non-2xx as a miss', () => {
    expect(verdictOf({ name: 'a list', kind: 'list', measured: measured(260, 290), share: 0.26 })).toBe('met');
    expect(verdictOf({ name: 'a list', kind: 'list', measured: measured(260, 290, { unexpected: 3 }), share: 0.26 })).toBe('missed: 3 non-2xx');
  });

  it('holds the payment-order PDF to 50 a second', () => {
    expect(verdictOf({ name: 'pdf', kind: 'pdf', measured: measured(40, 900), share: 0.02 })).toBe('missed: 10/s short');
  });

  it('takes the median round by rate and sums the requests and failures of all rounds', () => {
    const middle = median([measured(10, 1), measured(30, 3, { unexpected: 1 }), measured(20, 2)]);
    expect(middle.rate).toBe(20);
    expect(middle.p99).toBe(2);
    expect(middle.requests).toBe(300);
    expect(middle.unexpected).toBe(1);
  });
});

describe('the bench’s section of docs/benchmarks.md', () => {
  const document = '# Benchmarks\n\nintro\n\n<!-- bench:results -->\n\n## history\n';

  it('puts a new run kind below the results marker, above the history', () => {
    const written = withSection(document, 'full-mysql', '## run 1\n');
    expect(written).toBe('# Benchmarks\n\nintro\n\n<!-- bench:results -->\n\n<!-- bench:full-mysql -->\n## run 1\n<!-- /bench:full-mysql -->\n\n## history\n');
  });

  it('replaces the section of the same run kind and keeps the others', () => {
    const twice = withSection(withSection(withSection(document, 'full-mysql', '## run 1\n'), 'quick-sqlite', '## quick\n'), 'full-mysql', '## run 2\n');
    expect(twice).toContain('## run 2\n');
    expect(twice).not.toContain('## run 1');
    expect(twice).toContain('## quick\n');
    expect(twice).toContain('## history\n');
    expect(twice.match(/<!-- bench:full-mysql -->/g)).toHaveLength(1);
  });
});

describe('the bench’s options', () => {
  it('takes --pages as lower-case words, and refuses an empty list', () => {
    expect(benchOptions(['--pages', 'Dashboard, search'], {}).pageWords).toEqual(['dashboard', 'search']);
    expect(benchOptions([], {}).pageWords).toBeUndefined();
    expect(() => benchOptions(['--pages', ','], {})).toThrow('--pages needs at least one word');
  });
});
