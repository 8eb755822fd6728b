import { PutObjectCommand, type GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import type { StoredMedia } from '../../lib/events/schema.js';
import { openStoredMedia, presignedMediaUrl, type GetSignedUrl } from '../../lib/media/stored-media.js';

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

  it("asks the presigner (@aws-sdk/s3-request-presigner's getSignedUrl, passed in) for a GET of the file, served as its type, as a named download, for at most 7 days", async () => {
    // Prepare: a presigner that says what it was asked to sign (the package is not a dependency of the gateway)
    const asked: { input: GetObjectCommand['input']; expiresIn: number }[] = [];
    const getSignedUrl: GetSignedUrl = (_client, command, { expiresIn }) => {
      asked.push({ input: command.input, expiresIn });
      return Promise.resolve('https://signed.example/');
    };

    // Act
    const link = await presignedMediaUrl(s3.s3, stored, { getSignedUrl, fileName: 'invoice "0427".pdf', expiresInSeconds: 30 * 24 * 3600 });
    await presignedMediaUrl(s3.s3, stored, { getSignedUrl });

    // Assess
    expect(link).toBe('https://signed.example/');
    expect(asked).toEqual([
      { input: { Bucket: s3.bucket, Key: stored.key, ResponseContentType: 'application/pdf', ResponseContentDisposition: 'attachment; filename="invoice _0427_.pdf"' }, expiresIn: 604_800 },
      { input: { Bucket: s3.bucket, Key: stored.key, ResponseContentType: 'application/pdf' }, expiresIn: 900 },
    ]);
  });
});
