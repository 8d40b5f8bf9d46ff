// Helpers the views call as fmt.*; they return plain text, which the views escape.
import { withoutBidiControls } from '../../lib/bidi.js';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  active: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  missed: 'Missed',
  expired: 'Expired',
  OK: 'OK',
  NOT_OK: 'NOT OK',
  NA: 'NA',
};

export const format = {
  /** "25 Nov 2025, 14:05" in the server's time zone; public/admin.js redraws it in the browser's. */
  dateTime: (d: Date | string | null | undefined) => (d ? dateTime.format(new Date(d)) : '—'),
  iso: (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : ''),
  status: (s: string) => STATUS_LABELS[s] ?? s,
  /** An operator's remark as shown: the stored text without bidi controls. */
  remarks: (r: string | null | undefined) => (r ? withoutBidiControls(r) : ''),
  minutes: (n: number | null) =>
    n === null || !Number.isFinite(n) ? '—' : n < 10 ? n.toFixed(1) : String(Math.round(n)),
  percent: (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`,
  bytes: (n: number) =>
    n < 1024 ** 2
      ? `${(n / 1024).toFixed(0)} KB`
      : n < 1024 ** 3
        ? `${(n / 1024 ** 2).toFixed(1)} MB`
        : `${(n / 1024 ** 3).toFixed(2)} GB`,
  photoUrl: (name: string) => `/api/whatsapp-photos/${encodeURIComponent(name)}`,
};

export type Format = typeof format;
