/**
 * Media locally: the samples' files, served by the local runtime as a provider's media server would
 * (`GET /_local/sample-media/<provider>/<file>`, from `dev/samples/<provider>/media/`), the samples' links pointed
 * there before they are signed and sent, and the stored files served back from the local archive bucket
 * (`GET /_local/media/<key>`), for the console's link.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { MEDIA_PREFIX } from '../../lib/media/settings.js';
import { samplesFolder } from './samples.js';
import type { LocalRoute } from './server.js';

/** Where the local runtime serves the samples' media files. */
export const SAMPLE_MEDIA_PATH = '/_local/sample-media/';
/** Where it serves stored media files, by key. */
export const STORED_MEDIA_PATH = '/_local/media/';

const TYPES: Readonly<Record<string, string>> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
};
const SLUG = /^[a-z0-9-]+$/;
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** The media files of a provider's samples. */
async function sampleMediaFiles(provider: string): Promise<string[]> {
  return (await readdir(new URL('media/', samplesFolder(provider))).catch(() => [])).filter((file) => FILE.test(file));
}

/**
 * A sample's body with each `https` link whose last path segment names one of the provider's sample media files
 * pointed at the local runtime's copy, so the worker downloads a real file. The text is changed in place, nothing
 * else of the sample; the body is signed after.
 *
 * @example withLocalMediaLinks('qikchat', body, 'http://127.0.0.1:3000') // "https://media.qikchat.in/whatsapp/media/1104563920875521.jpeg" → "http://127.0.0.1:3000/_local/sample-media/qikchat/1104563920875521.jpeg"
 */
export async function withLocalMediaLinks(provider: string, body: Buffer, base: string): Promise<Buffer> {
  const files = new Set(await sampleMediaFiles(provider));
  if (files.size === 0) return body;
  const text = body.toString('utf8').replace(/https:\/\/[^\s"'[\]]+\/([A-Za-z0-9_.-]+)(?=["\s[])/g, (link, file: string) =>
    files.has(file) ? `${base}${SAMPLE_MEDIA_PATH}${provider}/${file}` : link,
  );
  return Buffer.from(text, 'utf8');
}

/** The request target without its query. */
const pathOf = (target: string | undefined): string => (target ?? '').split('?', 1)[0] ?? '';

function answer(response: Parameters<LocalRoute>[1], status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

/** `GET /_local/sample-media/<provider>/<file>`: a sample's media file, as a provider's media server would send it. */
export const serveSampleMedia: LocalRoute = async (request, response) => {
  const [provider = '', file = '', ...rest] = pathOf(request.url).slice(SAMPLE_MEDIA_PATH.length).split('/');
  if (!SLUG.test(provider) || !FILE.test(file) || rest.length > 0 || !(await sampleMediaFiles(provider)).includes(file)) {
    answer(response, 404, `No sample media file here: the files are dev/samples/<provider>/media/<file>`);
    return;
  }
  const type = TYPES[file.split('.').at(-1)?.toLowerCase() ?? ''] ?? 'application/octet-stream';
  response.writeHead(200, { 'content-type': type });
  createReadStream(new URL(`media/${file}`, samplesFolder(provider))).pipe(response);
};

/** Types a browser may show in the page's own tab; anything else is a download (a stored HTML file must not run here). */
const INLINE = /^(image\/(?!svg)|audio\/|video\/|application\/pdf$)/;

/**
 * `GET /_local/media/<key>`: a stored file from the local archive bucket, for the console's link. Only keys under
 * `media/`; served sandboxed, as a download unless it is a picture, a sound, a video or a PDF.
 */
export function serveStoredMedia(s3: S3Client, bucket: string): LocalRoute {
  return async (request, response) => {
    const key = decodeURIComponent(pathOf(request.url).slice(STORED_MEDIA_PATH.length));
    if (!key.startsWith(MEDIA_PREFIX) || key.includes('..')) {
      answer(response, 404, `Not a stored media key: they start with ${MEDIA_PREFIX}`);
      return;
    }
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const type = object.ContentType ?? 'application/octet-stream';
      response.writeHead(200, {
        'content-type': type,
        ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
        'content-disposition': INLINE.test(type) ? 'inline' : 'attachment',
        'cache-control': 'no-store',
      });
      (object.Body as Readable).pipe(response);
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') answer(response, 404, `No stored media file ${key}`);
      else throw error;
    }
  };
}
