import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { isPhoneAddress } from '../lib/phone.js';
import type { OutgoingMessage, SendResult, WhatsAppSender } from './whatsapp-types.js';

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

export interface MediaInfo {
  url: string;
  mimeType: string;
  fileSize: number | null;
}

export type GraphClient = WhatsAppSender & {
  getMediaUrl(mediaId: string): Promise<MediaInfo>;
  downloadMedia(url: string, maxBytes: number): Promise<Buffer>;
};

export type MediaFailureReason = 'not_found' | 'too_large' | 'timeout' | 'network' | 'http';

export class MediaDownloadError extends Error {
  constructor(
    readonly reason: MediaFailureReason,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}

const RETRYABLE_META_CODES = new Set([130429, 131056, 131000, 1, 2]);

export function isRetryableMetaCode(code: number | null): boolean {
  return code !== null && RETRYABLE_META_CODES.has(code);
}

interface MetaError {
  code: number | null;
  subcode: number | null;
  message: string | null;
}

function metaErrorOf(data: unknown): MetaError {
  const error = (data as { error?: Record<string, unknown> } | null)?.error;
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  return {
    code: num(error?.code),
    subcode: num(error?.error_subcode),
    message: typeof error?.message === 'string' ? error.message : null,
  };
}

function isTimeout(err: unknown): boolean {
  const code = axios.isAxiosError(err) ? err.code : undefined;
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
}

// Built from the error code only: axios messages and configs can carry URLs and headers.
function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `Graph API did not answer within ${timeoutMs} ms`;
  const code = axios.isAxiosError(err) ? err.code : undefined;
  return `Network error talking to the Graph API (${code ?? 'unknown'})`;
}

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/${opts.version}`;
  const messagesUrl = `${root}/${opts.phoneNumberId}/messages`;
  const redact = (text: string) => text.split(opts.accessToken).join('[redacted]');
  // Built once so each call merges its few own keys over these instead of restating them.
  // No maxRedirects here: media URLs may redirect, so only the messages calls turn redirects off.
  const http = axios.create({
    headers: { Authorization: `Bearer ${opts.accessToken}` },
    timeout: timeoutMs,
    validateStatus: () => true,
  });

  // axios's `timeout` only limits socket inactivity; the abort bounds the whole request, body included.
  // A timer cleared on completion rather than AbortSignal.timeout, whose timer outlives every request.
  async function request(config: AxiosRequestConfig, deadlineMs = timeoutMs): Promise<AxiosResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs).unref();
    try {
      return await http.request({ ...config, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(to: string, message: OutgoingMessage): Promise<SendResult> {
    let res: AxiosResponse;
    try {
      res = await request({
        method: 'POST',
        url: messagesUrl,
        // The messages endpoint never redirects; 0 also makes axios use plain http(s) instead of follow-redirects.
        maxRedirects: 0,
        // A BSUID goes in `recipient`: Meta answers 200 to one in `to` and then drops the message.
        data: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...(isPhoneAddress(to) ? { to } : { recipient: to }),
          ...message,
        },
      });
    } catch (err) {
      return { ok: false, retryable: true, httpStatus: null, code: null, title: describeNetworkError(err, timeoutMs) };
    }
    if (res.status >= 200 && res.status < 300) {
      const id: unknown = (res.data as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
      if (typeof id === 'string' && id.length > 0) return { ok: true, waMessageId: id };
      // Meta may have accepted it, so retrying could send a duplicate.
      return {
        ok: false,
        retryable: false,
        httpStatus: res.status,
        code: null,
        title: 'Graph API answered success without a message id',
      };
    }
    const meta = metaErrorOf(res.data);
    // HTTP 429 without a Meta code comes from a proxy or gateway in front of Meta: still a rate limit.
    const retryable = res.status >= 500 || res.status === 429 || isRetryableMetaCode(meta.code);
    const title = redact(meta.message ?? `Graph API answered HTTP ${res.status}`);
    return { ok: false, retryable, httpStatus: res.status, code: meta.code, title };
  }

  async function markRead(waMessageId: string): Promise<void> {
    try {
      await request({
        method: 'POST',
        url: messagesUrl,
        maxRedirects: 0,
        data: { messaging_product: 'whatsapp', status: 'read', message_id: waMessageId },
      });
    } catch {
      // A missing read receipt is cosmetic; the conversation must go on.
    }
  }

  async function mediaRequest(config: AxiosRequestConfig, deadlineMs: number, what: string): Promise<AxiosResponse> {
    let res: AxiosResponse;
    try {
      res = await request(config, deadlineMs);
    } catch (err) {
      if (axios.isAxiosError(err) && err.message.startsWith('maxContentLength')) {
        throw new MediaDownloadError('too_large', `${what} is larger than ${config.maxContentLength} bytes`);
      }
      if (isTimeout(err)) throw new MediaDownloadError('timeout', `${what} timed out`);
      throw new MediaDownloadError('network', describeNetworkError(err, timeoutMs));
    }
    const meta = metaErrorOf(res.data);
    // Meta answers an unknown or expired media id with 400, code 100, subcode 33.
    if (res.status === 404 || (meta.code === 100 && meta.subcode === 33)) {
      throw new MediaDownloadError('not_found', `${what} not found`, res.status);
    }
    if (res.status < 200 || res.status >= 300) {
      throw new MediaDownloadError('http', `${what} failed with HTTP ${res.status}`, res.status);
    }
    return res;
  }

  async function getMediaUrl(mediaId: string): Promise<MediaInfo> {
    const res = await mediaRequest(
      { method: 'GET', url: `${root}/${encodeURIComponent(mediaId)}` },
      timeoutMs,
      'Media lookup',
    );
    const data = (res.data ?? {}) as Record<string, unknown>;
    if (typeof data.url !== 'string' || typeof data.mime_type !== 'string') {
      throw new MediaDownloadError('http', 'Media lookup answered without url or mime_type', res.status);
    }
    const size = Number(data.file_size);
    const fileSize = data.file_size !== undefined && data.file_size !== null && Number.isFinite(size) ? size : null;
    return { url: data.url, mimeType: data.mime_type, fileSize };
  }

  async function downloadMedia(url: string, maxBytes: number): Promise<Buffer> {
    // A 5 MB photo on a slow factory link may need longer than one API call.
    const res = await mediaRequest(
      { method: 'GET', url, responseType: 'arraybuffer', maxContentLength: maxBytes },
      timeoutMs * 3,
      'Media download',
    );
    const bytes = Buffer.from(res.data as ArrayBuffer);
    if (bytes.length > maxBytes)
      throw new MediaDownloadError('too_large', `Media download is larger than ${maxBytes} bytes`);
    return bytes;
  }

  return { send, markRead, getMediaUrl, downloadMedia };
}
