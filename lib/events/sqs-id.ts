/**
 * What SQS takes as a MessageGroupId or MessageDeduplicationId. The event id becomes part of a message group id and
 * of redrive and replay deduplication ids, so the event contract, the id builder, the enqueue and the redrive all
 * read this one rule.
 */

/** The longest id SQS takes, in characters. */
export const SQS_ID_MAXIMUM_LENGTH = 128;

/** The characters SQS takes in an id: printable ASCII, no space. */
export const SQS_ID_CHARACTERS = /^[\x21-\x7e]+$/;

/** Whether SQS takes `id` as a MessageGroupId or MessageDeduplicationId: 1 to 128 printable ASCII characters. */
export function isSqsId(id: string): boolean {
  return id.length <= SQS_ID_MAXIMUM_LENGTH && SQS_ID_CHARACTERS.test(id);
}
