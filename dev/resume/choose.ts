/**
 * Which parked conversation `--conversation` names: its message group as listed (`qikchat:6281234`), or the bare
 * conversation id (`6281234`) when exactly one parked conversation has it.
 */
import type { ParkedConversation, ParkStore } from '../../lib/parking/park-store.js';
import { ResumeCommandError } from './errors.js';

/** The command that lists the parked conversations, named in the refusal; another target's has its options. */
const LIST_COMMAND = 'npm run resume -- --list';

/**
 * The one parked conversation among `parked` that `given` names.
 *
 * @throws ResumeCommandError when none does (not parked), or several have it as their conversation id (which to choose)
 */
export function chooseConversation(given: string, parked: readonly ParkedConversation[], listCommand = LIST_COMMAND): ParkedConversation {
  const exact = parked.find((conversation) => conversation.conversation === given);
  if (exact) return exact;
  const byId = parked.filter((conversation) => conversation.conversationId === given);
  const [only, ...others] = byId;
  if (only && others.length === 0) return only;
  if (only) {
    throw new ResumeCommandError(`${String(byId.length)} parked conversations have the id ${given}: choose one with --conversation ${byId.map((c) => c.conversation).join(' or ')}`);
  }
  throw new ResumeCommandError(`Conversation ${given} is not parked: ${listCommand} shows the parked ones`);
}

/**
 * Finds the conversation `given` names in the store: one consistent read for a message group, the listing for a bare id.
 *
 * @throws ResumeCommandError as {@link chooseConversation}
 */
export async function findConversation(store: ParkStore, given: string, listCommand = LIST_COMMAND): Promise<ParkedConversation> {
  const exact = (await store.find([given])).get(given);
  return exact ?? chooseConversation(given, await store.list(), listCommand);
}
