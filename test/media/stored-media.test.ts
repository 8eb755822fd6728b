import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import type { StoredMedia } from '../../lib/events/schema.js';
import { openStoredMedia, presignedMediaUrl } from '../../lib/media/stored-media.js';

describe("a handler's helpers for a stored file", () => {
  let s3: EmbeddedS3;
  let stored: StoredMedia;
  const bytes = Buffer.from('%PDF-1.4 an invoice');

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    stored = { bucket: s3.bucket, key: 'media/qikchat/0123456789abcdef0123456789abcdef', sha256: '0'.repeat(64), size: bytes.length, contentType: 'application/pdf' };
    await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: stored.key, Body: bytes, ContentType: stored.contentType }));
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('opens the file as a stream', async () => {
    // Act
    const stream = await openStoredMedia(s3.s3, stored);
    // Assess
    expect(Buffer.concat(await stream.toArray()).equals(bytes)).toBe(true);
  });

  it('links the file with a presigned GET that serves it, as its type and as a named download, for at most 7 days', async () => {
    // Act
    const named = new URL(await presignedMediaUrl(s3.s3, stored, { fileName: 'invoice "0427".pdf', expiresInSeconds: 30 * 24 * 3600 }));
    const plain = new URL(await presignedMediaUrl(s3.s3, stored));
    const response = await fetch(named);

    // Assess: the embedded S3 server checks the signature and serves the bytes
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(named.searchParams.get('response-content-disposition')).toBe('attachment; filename="invoice _0427_.pdf"');
    expect(named.searchParams.get('X-Amz-Expires')).toBe('604800');
    expect(plain.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(plain.searchParams.has('response-content-disposition')).toBe(false);
  });
});
