/**
 * Helpers of the reliability tests: what an answer may contain, counting what reaches the queue, and
 * requests that `fetch` cannot make (exact paths, missing bodies, huge headers).
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { expect, vi } from 'vitest';
import type { ProviderDefinition } from '../../lib/providers/types.js';

/** Every body the gateway may answer with; anything else would be a leak of detail. */
const GENERIC_ANSWERS: Readonly<Record<number, string>> = {
  200: '{"status":"accepted"}',
  401: '{"message":"Unauthorized"}',
  404: '{"message":"Not Found"}',
  405: '{"message":"Method Not Allowed"}',
  413: '{"message":"Payload Too Large"}',
  500: '{"message":"Internal Server Error"}',
  503: '{"message":"Service Unavailable"}',
};

/** Asserts an answer is the generic one of its status: no detail, no stack, none of `secrets`. */
export function expectGenericAnswer(answer: { status: number; body: string }, secrets: readonly string[] = []): void {
  expect(GENERIC_ANSWERS[answer.status], `status ${answer.status} is one the gateway defines`).toBeDefined();
  expect(answer.body).toBe(GENERIC_ANSWERS[answer.status]);
  for (const secret of secrets) expect(answer.body).not.toContain(secret);
}

/**
 * Counts the messages a client sends to SQS, by spying on (not replacing) its `send`: the real request
 * still goes out.
 */
export function countEnqueues(sqs: SQSClient): { count(): number; restore(): void } {
  let sent = 0;
  const original = sqs.send.bind(sqs);
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- send's last overload (the callback form) returns void; the spy passes every form through.
  const spy = vi.spyOn(sqs, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
    if (command instanceof SendMessageCommand) sent++;
    if (command instanceof SendMessageBatchCommand) sent += command.input.Entries?.length ?? 0;
    return (original as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof sqs.send);
  return { count: () => sent, restore: () => spy.mockRestore() };
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTP request exactly as given (path not normalised, any header, optional body, or a declared
 * length with no body at all), with a bounded wait.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: Buffer | string; sendBody?: boolean },
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    // Set by the response callback while the body is still being written.
    let answered = false as boolean;
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: options.method ?? 'POST', path: options.path, headers: options.headers, timeout: 10_000, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    // A server that answers early (413) may close while the body is still being written: the answer counts.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (options.sendBody === false) {
      req.flushHeaders(); // headers only: the body never comes
      return;
    }
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : (options.body ?? Buffer.alloc(0));
    // Written in slices, stopping once answered, so a refused large body is not pushed at a closed socket.
    void (async () => {
      for (let offset = 0; offset < body.length && !answered && !req.destroyed; offset += 64 * 1024) {
        if (!req.write(body.subarray(offset, offset + 64 * 1024))) await new Promise((resume) => req.once('drain', resume));
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** The signature header of a provider's signed request, and its value. */
export function signatureHeader(provider: ProviderDefinition, headers: Readonly<Record<string, string>>): [string, string] {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() !== 'content-type');
  if (!entry) throw new Error(`${provider.slug} signs with no header`);
  return entry;
}

/** Headers without the named one (any case). */
export function without(headers: Readonly<Record<string, string>>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
}
