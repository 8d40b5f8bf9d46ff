import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { errorSummary, isQueryError } from './pg-errors.js';

describe('a database error in logs', () => {
  it("when pg's own error carries a detail with a row's values, then the logger keeps only its code and message", () => {
    const err = new pg.DatabaseError('duplicate key value violates unique constraint "x"', 0, 'error');
    err.code = '23505';
    err.detail = 'Key (phone_number)=(+31612345678) already exists.';

    expect(isQueryError(err)).toBe(true);
    expect(errorSummary(err)).toBe('23505 duplicate key value violates unique constraint "x"');
  });

  it('when an error is no database error, then the logger writes it whole', () => {
    expect(isQueryError(new Error('Template 3 has no tasks'))).toBe(false);
  });
});
