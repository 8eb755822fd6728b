import { vi } from 'vitest';

/** Runs `act` while capturing the lines written to `stream`. */
export async function captureOutput(stream: NodeJS.WriteStream, act: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
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

/** Runs `act` while capturing what is written to stdout (Powertools logs up to INFO and EMF metrics go there). */
export function captureStdout(act: () => Promise<unknown>): Promise<string[]> {
  return captureOutput(process.stdout, act);
}

/** Runs `act` while capturing what is written to stderr (Powertools writes WARN and above there). */
export function captureStderr(act: () => Promise<unknown>): Promise<string[]> {
  return captureOutput(process.stderr, act);
}
