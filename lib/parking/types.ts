/**
 * What the park store holds, as types only: the worker, the tools and the console page (in a browser) share them, so
 * this module imports nothing.
 */

/** A conversation whose events wait in the park store: `parked`, or `resuming` once a resume was asked for. */
export interface ParkedConversation {
  /** The SQS message group: `<provider>:<conversation id>` (or its hash), what `npm run resume --conversation` takes. */
  readonly conversation: string;
  readonly provider: string;
  /** The events' `data.conversationId`; null for an event without a conversation. */
  readonly conversationId: string | null;
  readonly state: 'parked' | 'resuming';
  /** The event whose handler kept failing: the first to run on resume. */
  readonly failingEventId: string;
  /** Its last error's message (the handler's, shortened). */
  readonly error: string;
  /** How many times its handler failed. */
  readonly attempts: number;
  readonly parkedAt: string;
  /** The pending resume: its token (the control message carries it) and the event it skips, if any. */
  readonly resume?: { readonly token: string; readonly skip?: string | undefined; readonly requestedAt: string } | undefined;
}

/** One parked event: the queue message's body as it was, and its place in the conversation. */
export interface ParkedEvent {
  readonly eventId: string;
  /** The SQS message it came in. */
  readonly messageId: string;
  /** The SQS sequence number: the conversation's order. */
  readonly sequence: string;
  readonly body: string;
  readonly parkedAt: string;
}

/** A parked conversation as operators see it (`GET /_local/parked`, `npm run resume`, the console). */
export interface ParkedListing extends ParkedConversation {
  /** The parked events' ids in the order they will run: the failing event first. */
  readonly events: readonly string[];
}
