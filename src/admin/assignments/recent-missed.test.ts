import { describe, expect, it } from 'vitest';
import { factoryDayInWords, missedSince } from './recent-missed.js';

describe('missedSince', () => {
  it("when it is 7 Dec 12:00 UTC, then the last 7 days start at midnight on 1 Dec in the factory's zone", () => {
    const now = new Date('2026-12-07T12:00:00Z');

    expect(missedSince(now, 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(missedSince(now, 'Asia/Kolkata').toISOString()).toBe('2026-11-30T18:30:00.000Z');
    expect(factoryDayInWords(missedSince(now, 'Asia/Kolkata'), 'Asia/Kolkata')).toBe('Tue 1 Dec');
  });

  it('when it is 20:00 UTC, already the next day in Kolkata, then the period starts a day later there', () => {
    const now = new Date('2026-12-07T20:00:00Z'); // 8 Dec 01:30 in Kolkata

    expect(missedSince(now, 'Asia/Kolkata').toISOString()).toBe('2026-12-01T18:30:00.000Z');
    expect(missedSince(now, 'UTC', 1).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
});
