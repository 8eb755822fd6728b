import { vi } from 'vitest';

/** Runs `act` while capturing what is written to stdout (Powertools logs and EMF metrics go there). */
export async function captureStdout(act: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines;
}
