import type { ZodError } from 'zod';

/** An error with a stable code and the HTTP status it maps to. */
export class AppError extends Error {
  /** What the log says instead of `message`, when the message quotes personal data (a phone number). */
  logMessage?: string;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A zod path as a caller writes it: `tasks[1].min`, `options[0].label`. */
const fieldName = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)),
    '',
  );

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, details);
  }

  static fromZod(err: ZodError, where = 'body'): ValidationError {
    const fields = err.issues.map((i) => ({ field: fieldName(i.path) || where, message: i.message }));
    // A field with two problems (not a date, and in the past) is named once; `fields` keeps both messages.
    const names = [...new Set(fields.map((f) => f.field))].join(', ');
    return new ValidationError(`Invalid ${where}: ${names}`, { fields });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid credentials') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

/** A conflict with existing data, or a state change that is not allowed from the current state. */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown, logMessage?: string) {
    super(409, 'conflict', message, details);
    this.logMessage = logMessage;
  }
}
