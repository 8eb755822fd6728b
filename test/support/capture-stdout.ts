import { vi } from 'vitest';

/**
 * Runs `act` while capturing what is written to stdout (Powertools logs and EMF metrics go there), and to
 * stderr as well with `stderr: true` (Powertools writes WARN and ERROR lines there).
 */
export async function captureStdout(act: () => Promise<unknown>, options: { readonly stderr?: boolean } = {}): Promise<string[]> {
  const lines: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    lines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    return true;
  };
  const spies = [process.stdout, ...(options.stderr ? [process.stderr] : [])].map((stream) => vi.spyOn(stream, 'write').mockImplementation(keep));
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}
