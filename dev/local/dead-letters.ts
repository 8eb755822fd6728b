import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A message in the dead-letter queue, as `GET /_local/dead-letters` shows it. */
export interface DeadLetter {
  readonly messageId: string;
  /** The body parsed as JSON when it is JSON (a CloudEvent, usually), else the text. */
  readonly body: unknown;
  readonly messageGroupId: string | null;
  /** SQS's receive count: the worker's attempts plus the receive that moved the message to the DLQ. */
  readonly receiveCount: number | null;
  /**
   * How often the worker got it: `maxReceiveCount` for an event SQS moved (one that could not be parked); null for a
   * message the worker moved itself.
   */
  readonly attempts: number | null;
  /** Why the worker moved it itself (`not_an_event`); null for a message SQS moved after `maxReceiveCount` receives. */
  readonly reason: string | null;
  readonly sentAt: string | null;
}

// The receive that finds the count past maxReceiveCount moves the message instead of delivering it. A message the
// worker moved itself is a new message in the DLQ: its count says nothing of the worker's attempts.
const attemptsOf = (receiveCount: number | null, reason: string | null) => (receiveCount === null || reason !== null ? null : Math.max(0, receiveCount - 1));

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

interface FauxqsInspection {
  messages: Record<'ready' | 'delayed', FauxqsMessage[]> & { inflight: { message: FauxqsMessage }[] };
}
interface FauxqsMessage {
  messageId: string;
  body: string;
  messageGroupId?: string;
  approximateReceiveCount?: number;
  sentTimestamp?: number;
  messageAttributes?: Record<string, { StringValue?: string }>;
}

/**
 * Lists the messages in the DLQ without taking them out. fauxqs (embedded or at `SQS_ENDPOINT`) has an
 * inspection endpoint that changes nothing; another SQS-compatible server gets a receive with a zero
 * visibility timeout, which shows at most the first ten.
 */
export async function listDeadLetters(sqs: SQSClient, endpoint: string, queueName: string, queueUrl: string): Promise<DeadLetter[]> {
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
    if (response.ok) {
      const { messages } = (await response.json()) as FauxqsInspection;
      return [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)]
        .sort((a, b) => (a.sentTimestamp ?? 0) - (b.sentTimestamp ?? 0))
        .map((m) => {
          const reason = m.messageAttributes?.reason?.StringValue ?? null;
          return {
            messageId: m.messageId,
            body: parse(m.body),
            messageGroupId: m.messageGroupId ?? null,
            receiveCount: m.approximateReceiveCount ?? null,
            attempts: attemptsOf(m.approximateReceiveCount ?? null, reason),
            reason,
            sentAt: m.sentTimestamp ? new Date(m.sentTimestamp).toISOString() : null,
          };
        });
    }
  } catch {
    // Not fauxqs: fall through to the SQS API.
  }
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['reason'] }),
  );
  return Messages.map((m) => {
    const receiveCount = m.Attributes?.ApproximateReceiveCount ? Number(m.Attributes.ApproximateReceiveCount) : null;
    const reason = m.MessageAttributes?.reason?.StringValue ?? null;
    return {
      messageId: m.MessageId ?? '',
      body: parse(m.Body ?? ''),
      messageGroupId: m.Attributes?.MessageGroupId ?? null,
      receiveCount,
      attempts: attemptsOf(receiveCount, reason),
      reason,
      sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : null,
    };
  });
}

export interface DeadLetterWatchOptions {
  /** Lists the dead-letter queue without taking anything out of it. */
  readonly list: () => Promise<DeadLetter[]>;
  readonly intervalMs: number;
  /** Called once for each message that arrived since the watch began. */
  readonly onArrival: (letter: DeadLetter) => void;
  /** Called when a look fails, once per run of failures. */
  readonly onError?: (error: unknown) => void;
}

/** Stops a {@link watchDeadLetters}, waiting for a look in progress. */
export interface DeadLetterWatch {
  stop(): Promise<void>;
}

/**
 * Looks at the dead-letter queue every `intervalMs` and reports each message that was not there before, so the
 * log says when an event is dead-lettered locally (SQS moves it there itself, on a receive of the main queue).
 * What the queue held when the watch began is not reported.
 */
export function watchDeadLetters(options: DeadLetterWatchOptions): DeadLetterWatch {
  let known: Set<string> | undefined;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function look(): Promise<void> {
    try {
      const letters = await options.list();
      failing = false;
      const ids = new Set(letters.map((letter) => letter.messageId));
      if (known !== undefined) for (const letter of letters) if (!known.has(letter.messageId)) options.onArrival(letter);
      known = ids;
    } catch (error) {
      if (!failing) options.onError?.(error);
      failing = true;
    }
  }

  let running = look();
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = look().then(next);
    }, options.intervalMs);
    // A development server's housekeeping must not keep the process alive on its own.
    timer.unref();
  };
  void running.then(next);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
