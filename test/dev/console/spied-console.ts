/**
 * The console's routes on the local server, with every effect a spy: a delivery the console sends reaches a receiver
 * that counts it, and redrive, replay and resume only count their calls. The inspections answer a credential that
 * must never be read from another origin or through another name. What tests of who may talk to the server look at.
 */
import type { AddressInfo } from 'node:net';
import { createConsoleRecorder } from '../../../dev/console/recorder.js';
import { consoleRoutes } from '../../../dev/console/routes.js';
import type { DeadLetter } from '../../../dev/local/dead-letters.js';
import { createLocalServer, type ReceiverHandler } from '../../../dev/local/server.js';
import type { ParkedConversation } from '../../../lib/parking/park-store.js';

/** The credential `GET /_local/events` answers: an agent's token, as in a Qiscus payload. */
export const SECRET = 'agent-authentication-token-that-must-not-leave';

/** A request the server answered: what it was asked, by whom, and its status. */
export interface AnsweredRequest {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly status: number;
}

export interface SpiedConsole {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** How often each effect ran: deliveries received (the console's send), redrives, replays, resumes. */
  readonly calls: { deliveries: number; redrive: number; replay: number; resume: number };
  /** Every request answered, in order. */
  readonly answered: AnsweredRequest[];
  stop(): Promise<void>;
}

const parked: ParkedConversation = {
  conversation: 'qikchat:6281',
  provider: 'qikchat',
  conversationId: '6281',
  state: 'parked',
  failingEventId: 'qikchat:m-1',
  error: 'Error: the CRM is down',
  attempts: 5,
  parkedAt: '2026-12-07T00:00:00.000Z',
};

const deadLetter: DeadLetter = { messageId: 'dl-1', body: { id: 'qikchat:m-2', type: 'message.received', provider: 'qikchat' }, messageGroupId: 'qikchat:6281', receiveCount: 6, attempts: 5, reason: null, sentAt: null };

/** Starts the spied console on a port of 127.0.0.1 (a random one by default). */
export async function startSpiedConsole(port = 0): Promise<SpiedConsole> {
  const calls = { deliveries: 0, redrive: 0, replay: 0, resume: 0 };
  const answered: AnsweredRequest[] = [];
  let url = '';
  const receiver: ReceiverHandler = () => {
    calls.deliveries++;
    return Promise.resolve({ statusCode: 200, body: '{"status":"accepted"}' });
  };
  const server = createLocalServer({
    receivers: new Map([['qikchat', receiver]]),
    maximumBodyBytes: 1024 * 1024,
    receiverTimeoutMs: 5_000,
    inspect: {
      events: () => [{ id: 'qiscus-omnichannel:1', data: { raw: { candidate_agent: { authentication_token: SECRET } } } }],
      queues: () => ({ sqsEndpoint: 'http://127.0.0.1:1', queueUrl: `http://127.0.0.1:1/000000000000/${SECRET}` }),
      'dead-letters': () => [deadLetter],
      parked: () => [{ ...parked, events: [parked.failingEventId] }],
    },
    routes: consoleRoutes({
      recorder: createConsoleRecorder(),
      secrets: new Map([['qikchat', 'user:password']]),
      url: () => url,
      redrive: () => Promise.resolve({ moved: ++calls.redrive }),
      replay: () => Promise.resolve({ selected: ++calls.replay, sent: 0, skipped: 0 }),
      resume: () => {
        calls.resume++;
        return Promise.resolve({ ...parked, state: 'resuming' });
      },
    }),
  });
  server.on('request', (request, response) => {
    response.once('finish', () => answered.push({ method: request.method ?? '', url: request.url ?? '', host: request.headers.host, origin: request.headers.origin, status: response.statusCode }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const listening = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${String(listening)}`;
  return {
    url,
    port: listening,
    calls,
    answered,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
