import { MAX_PHOTO_BYTES } from '../photos/photo-store.js';
import { MediaDownloadError, type GraphClient } from './graph-client.js';

/** Where an inbound image's bytes come from: Meta's media endpoints, or the simulator's uploads. */
export interface MediaSource {
  fetchMedia(mediaId: string): Promise<Buffer>;
}

/** Media id -> short-lived URL -> bytes. The URL expires in minutes: on a 404, ask for a fresh one once. */
export function graphMediaSource(client: Pick<GraphClient, 'getMediaUrl' | 'downloadMedia'>): MediaSource {
  return {
    async fetchMedia(mediaId) {
      for (let attempt = 1; ; attempt++) {
        const info = await client.getMediaUrl(mediaId);
        if (info.fileSize !== null && info.fileSize > MAX_PHOTO_BYTES) {
          throw new MediaDownloadError('too_large', `Media is ${info.fileSize} bytes; the limit is ${MAX_PHOTO_BYTES}`);
        }
        try {
          return await client.downloadMedia(info.url, MAX_PHOTO_BYTES);
        } catch (err) {
          if (attempt < 2 && err instanceof MediaDownloadError && err.reason === 'not_found') continue;
          throw err;
        }
      }
    },
  };
}
