import { isImportRunning, type DataImport } from '../models/data-import.js';
import { message, type Status, type Text, type Tone } from './presentation.js';

/** How each state of an import reads on its badge. */
const statusTones: Record<DataImport['status'], Tone> = { queued: 'waiting', checking: 'info', writing: 'info', done: 'success', refused: 'danger', failed: 'danger' };

export type PresentedImport = {
  id: number;
  kind: Text;
  mode: Text;
  isDryRun: boolean;
  status: Status;
  /** The state in a word for tests and styles (data-status). */
  state: DataImport['status'];
  isRunning: boolean;
  fileName: string;
  startedBy: Text;
  createdAt: string;
  finishedAt: string | null;
  progress: Text;
  /** Done of all rows, in whole per cent (for the <progress> element), null before the rows are counted. */
  percent: number | null;
  counts: { rows: number; created: number; changed: number; unchanged: number; errors: number };
  outcome: Text | null;
  badRows: Array<{ line: number; reasons: Text[] }>;
  moreBadRows: number;
  examples: { created: Array<{ line: number; key: string }>; changed: Array<{ line: number; key: string; fields: string }> };
  failure: Text | null;
};

/** What the outcome of an ended import says, by whether it was a dry run. */
function outcomeOf(dataImport: DataImport): Text | null {
  if (isImportRunning(dataImport.status)) return null;
  const mode = dataImport.isDryRun ? 'dryRun' : 'real';
  return message(`imports:outcome.${mode}.${dataImport.status}`, { errors: dataImport.errorCount });
}

export function presentImport(dataImport: DataImport): PresentedImport {
  const total = dataImport.rowsTotal;
  return {
    id: dataImport.id,
    kind: message(`imports:kinds.${dataImport.kind}`),
    mode: message(dataImport.isDryRun ? 'imports:mode.dryRun' : 'imports:mode.import'),
    isDryRun: dataImport.isDryRun,
    status: { label: message(`imports:status.${dataImport.status}`), tone: statusTones[dataImport.status] },
    state: dataImport.status,
    isRunning: isImportRunning(dataImport.status),
    fileName: dataImport.fileName,
    startedBy: dataImport.startedByName ?? message('imports:commandLine'),
    createdAt: dataImport.createdAt,
    finishedAt: dataImport.finishedAt,
    progress: total === null ? message('imports:progress.counting') : message('imports:progress.rows', { done: dataImport.rowsDone, total, errors: dataImport.errorCount }),
    percent: total === null || total === 0 ? null : Math.floor((dataImport.rowsDone * 100) / total),
    counts: { rows: total ?? 0, created: dataImport.created, changed: dataImport.changed, unchanged: dataImport.unchanged, errors: dataImport.errorCount },
    outcome: outcomeOf(dataImport),
    badRows: dataImport.badRows.map((row) => ({ line: row.line, reasons: row.problems.map((problem) => message(problem.key, problem.values)) })),
    moreBadRows: Math.max(0, dataImport.errorCount - dataImport.badRows.length),
    examples: {
      created: dataImport.examples.created,
      changed: dataImport.examples.changed.map((example) => ({ line: example.line, key: example.key, fields: (example.fields ?? []).join(', ') })),
    },
    failure: dataImport.failure ? message(dataImport.failure.key, dataImport.failure.values) : null,
  };
}
