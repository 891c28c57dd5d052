import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { projectRoot } from '../src/lib/paths.js';

/**
 * A CSV file of `rows` invoices in the import's columns (M7), spread over the given customer numbers,
 * external ids starting with `prefix` (a new prefix makes every row new to the tenant).
 */
export async function writeInvoices(file: string, rows: number, customerNumbers: string[], prefix = 'FV'): Promise<void> {
  const out = createWriteStream(file);
  out.write('external_id;customer_number;number;issue_date;due_date;amount;currency;description\r\n');
  for (let row = 0; row < rows; row += 1) {
    const day = String((row % 28) + 1).padStart(2, '0');
    const line = `${prefix}-${row};${customerNumbers[row % customerNumbers.length]};${prefix}/${row}/2026;2026-03-${day};2026-04-${day};${(row % 5000) + 1},${String(row % 100).padStart(2, '0')};PLN;Abonament ${row}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export type TimedImport = { seconds: number | null; peakKilobytes: number | null; verdict: string };

/** `npm run cli -- import --kind invoices FILE [--dry-run]` under /usr/bin/time: its wall time, peak RSS and verdict. */
export function timedImport(file: string, slug: string, env: NodeJS.ProcessEnv, isDryRun = false): Promise<TimedImport> {
  const args = ['-f', 'TIME %e s, peak RSS %M KB', process.execPath, '--import', 'tsx', 'src/cli/index.ts', 'import', '--tenant', slug, '--kind', 'invoices', file, ...(isDryRun ? ['--dry-run'] : [])];
  const child = spawn('/usr/bin/time', args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.once('close', () => {
      const lines = output.trim().split('\n');
      const time = /^TIME ([\d.]+) s, peak RSS (\d+) KB/m.exec(output);
      const verdict = lines.find((line) => /^(Imported|Refused|Failed|Dry run)/.test(line)) ?? output.trim().slice(-500);
      resolve({ seconds: time ? Number(time[1]) : null, peakKilobytes: time ? Number(time[2]) : null, verdict });
    }),
  );
}
