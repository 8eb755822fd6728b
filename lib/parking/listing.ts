import type { ParkedConversation, ParkStore } from './park-store.js';

/** A parked conversation as operators see it (`GET /_local/parked`, `npm run resume`, the console). */
export interface ParkedListing extends ParkedConversation {
  /** The parked events' ids in the order they will run: the failing event first. */
  readonly events: readonly string[];
}

/** Every parked or resuming conversation, oldest first, with its events' ids in order. */
export async function listParked(store: ParkStore): Promise<ParkedListing[]> {
  const conversations = await store.list();
  return Promise.all(
    conversations.map(async (conversation) => ({ ...conversation, events: (await store.events(conversation.conversation)).map((event) => event.eventId) })),
  );
}
