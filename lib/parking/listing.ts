import type { ParkStore } from './park-store.js';
import type { ParkedListing } from './types.js';

export type { ParkedListing } from './types.js';

/** Every parked or resuming conversation, oldest first, with its events' ids in order. */
export async function listParked(store: ParkStore): Promise<ParkedListing[]> {
  const conversations = await store.list();
  return Promise.all(
    conversations.map(async (conversation) => ({ ...conversation, events: (await store.events(conversation.conversation)).map((event) => event.eventId) })),
  );
}
