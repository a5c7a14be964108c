import type { SlackClient } from './client.js';

/** One image for uploadImages. */
export interface ImageUpload {
  filename: string;
  title: string;
  /** Screen-reader description; files.getUploadURLExternal refuses more than 1,000 characters. */
  alt: string;
  bytes: Buffer;
}

/**
 * Shares images in a channel (or DM) with Slack's external upload flow, as one message: for each
 * image files.getUploadURLExternal (filename, length, alt text) and a POST of the bytes to the
 * upload URL it returns; then a single files.completeUploadExternal with every file id, the
 * channel and the message text. Throws on any failure, before anything is shared if an upload
 * step fails (an uploaded but never completed file stays private to the app). Each of those steps
 * is made through `step` when given (a job retries one that Slack answered 429: jobs/charts.ts).
 */
export async function uploadImages(
  client: SlackClient,
  p: { channel: string; comment: string; images: ImageUpload[] },
  step: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): Promise<{ fileIds: string[] }> {
  const fileIds: string[] = [];
  for (const image of p.images) {
    // Slack documents the argument as alt_txt; @slack/web-api 8 sends alt_text. Both are sent.
    const args = { filename: image.filename, length: image.bytes.length, alt_text: image.alt, alt_txt: image.alt };
    const target = await step(() => client.files.getUploadURLExternal(args));
    const url = target.upload_url;
    if (!url || !target.file_id) throw new Error('files.getUploadURLExternal returned no upload_url');
    await step(() => postBytes(url, image));
    fileIds.push(target.file_id);
  }
  await step(() =>
    client.files.completeUploadExternal({
      files: p.images.map((image, i) => ({ id: fileIds[i], title: image.title })) as [{ id: string; title: string }],
      channel_id: p.channel,
      initial_comment: p.comment,
    }),
  );
  return { fileIds };
}

/** The upload step: the bytes to the URL Slack gave. */
async function postBytes(url: string, image: ImageUpload): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(image.bytes),
  });
  await res.arrayBuffer();
  if (res.status === 429) {
    // Retry-After in seconds; 1 when missing or unreadable, as rateLimitedFor (slack/errors.ts) assumes for the Web API.
    const seconds = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
    throw new UploadError(`upload of ${image.filename} answered HTTP 429`, Number.isNaN(seconds) || seconds < 0 ? 1 : seconds);
  }
  if (res.status !== 200) throw new UploadError(`upload of ${image.filename} answered HTTP ${res.status}`);
}

/** The bytes could not be sent to the upload URL; `retryAfter` (seconds) when it answered 429. */
export class UploadError extends Error {
  readonly code = 'upload_failed';
  readonly retryAfter: number | null;

  constructor(message: string, retryAfter: number | null = null) {
    super(message);
    this.retryAfter = retryAfter;
  }
}
