import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const MiB = 1024 * 1024;
/** One MiB of a repeating pattern: bytes that do not compress away, made once. */
const BLOCK = Buffer.from(Array.from({ length: MiB }, (_, index) => (index * 31 + 7) % 251));

/**
 * Answers with a file of `size` bytes (a multiple of 1 MiB) generated as it is sent, with back-pressure, so a
 * 200 MiB download is served without holding it: the media benchmark's and the big-file test's server.
 */
export function sendGeneratedFile(response: ServerResponse, size: number, contentType: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': String(size) });
  let sent = 0;
  const more = () => {
    while (sent < size) {
      sent += BLOCK.length;
      if (!response.write(BLOCK)) {
        response.once('drain', more);
        return;
      }
    }
    response.end();
  };
  more();
}

/** The SHA-256 (hex) of the file `sendGeneratedFile` sends for `size`, computed the same way, block by block. */
export function generatedFileSha256(size: number): string {
  const hash = createHash('sha256');
  for (let sent = 0; sent < size; sent += BLOCK.length) hash.update(BLOCK);
  return hash.digest('hex');
}
