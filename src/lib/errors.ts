/**
 * Typed errors. Throw them anywhere; middleware/errors.ts maps each status to its page.
 * `messageKey` is an i18n key shown to the user; `message` is for the log.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly messageKey: string | undefined;

  constructor(message?: string, options?: { messageKey?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.messageKey = options?.messageKey;
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
}

export class NotFoundError extends AppError {
  readonly status = 404;
}

export class ConflictError extends AppError {
  readonly status = 409;
}

/** Field messages are i18n keys, keyed by form field name; `fieldValues` fill a message's placeholders (another account's login). */
export class ValidationError extends AppError {
  readonly status = 422;
  readonly fieldErrors: Record<string, string>;
  readonly fieldValues: Record<string, Record<string, unknown>>;

  constructor(fieldErrors: Record<string, string>, message = 'Invalid input', fieldValues: Record<string, Record<string, unknown>> = {}) {
    super(message);
    this.fieldErrors = fieldErrors;
    this.fieldValues = fieldValues;
  }
}

/** A model's refusal of the input, as a value for the controller to show in the form again; any other error goes on. */
export function refusalOf(error: unknown): ValidationError {
  if (error instanceof ValidationError) return error;
  throw error;
}

/** Runs a model verb that may find the record changed or in the wrong state: undefined when it went through, else its ConflictError (409). */
export function conflictFrom(work: Promise<unknown>): Promise<ConflictError | undefined> {
  return work.then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof ConflictError) return error;
      throw error;
    },
  );
}

/** Runs a model verb whose refusal re-renders a form: undefined when it went through, else its ValidationError. */
export function refusalFrom(work: Promise<unknown>): Promise<ValidationError | undefined> {
  return work.then(() => undefined, refusalOf);
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too many requests', options?: { messageKey?: string }) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/** Whether an insert or update broke a unique key (two requests racing for the same login, say). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Whether MySQL/MariaDB chose this statement as a deadlock's victim: it was rolled back whole, so a
 * statement run on its own (no transaction around it) may simply be run again.
 */
export function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'ER_LOCK_DEADLOCK';
}

/** Whether an error means the database cannot be reached right now (a 503, not a bug). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; name?: unknown; fatal?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && connectionErrorCodes.has(candidate.code)) return true;
    if (candidate.name === 'KnexTimeoutError') return true;
    if (candidate.fatal === true) return true;
    current = candidate.cause;
  }
  return false;
}
