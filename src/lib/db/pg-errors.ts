/**
 * The PostgreSQL error codes (SQLSTATE) the code reacts to, by their names in the PostgreSQL manual's
 * "PostgreSQL Error Codes" appendix. Compare them with pgCode(err) from transaction.ts.
 */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_DEADLOCK_DETECTED = '40P01';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_LOCK_NOT_AVAILABLE = '55P03';
export const PG_QUERY_CANCELED = '57014';
