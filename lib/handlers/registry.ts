/**
 * Where your business logic goes: one handler per event type. Each handler receives the typed CloudEvent
 * (`event.data` is typed by `event.type`). Types without a handler here are logged by `logEvent`.
 *
 * @example
 * export const eventHandlers: EventHandlers = {
 *   'message.received': async (event, { logger }) => {
 *     await crm.appendMessage(event.subject, event.data.message.text);
 *   },
 * };
 */
import type { EventHandlers } from './types.js';

export const eventHandlers: EventHandlers = {};
