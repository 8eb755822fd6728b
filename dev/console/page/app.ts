/**
 * The console page: the live list (server-sent events), an entry's detail, the parked conversations with their
 * resume and skip, the dead letters with their redrive, a conversation from the archive with its replay, and the send form. Bundled by esbuild when the runtime serves
 * it; every text is set as text, never as HTML.
 */
import { ACTION_TOKEN_HEADER, ACTION_TOKEN_PATH } from '../../local/action-token.js';
import { toolCommand } from '../../local/tool-command.js';
import {
  archivedEventLabel,
  archivePath,
  bodyHeading,
  doneExplanation,
  formatBody,
  formatTime,
  OUTCOMES,
  outcomeLabel,
  parkedTitle,
  replaySummaryText,
  resumeResultText,
  storedMediaView,
  visibleEntries,
  type ArchivedEventView,
  type ConsoleEntry,
  type EntryDetail,
  type EntryFilter,
  type ParkedView,
  type ReplaySummary,
  type ResumeBody,
} from '../model.js';

interface DeadLetterView {
  readonly messageId: string;
  readonly body: unknown;
  readonly attempts: number | null;
  readonly sentAt: string | null;
}

const entries = new Map<string, ConsoleEntry>();
let selected: string | undefined;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

/** A new element with text content and attributes. */
function make(tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${path} answered ${String(response.status)}`);
  return (await response.json()) as T;
}

/** The server's token for the actions, read from its own origin; forgotten when the stream opens again (a restart makes a new one). */
let actionToken: Promise<string> | undefined;

function readActionToken(): Promise<string> {
  actionToken ??= getJson<{ token: string }>(ACTION_TOKEN_PATH).then(
    ({ token }) => token,
    (error: unknown) => {
      actionToken = undefined;
      throw error;
    },
  );
  return actionToken;
}

/** POSTs JSON with the action token; a 403 (the runtime restarted with a new token) reads the token once more and tries again. */
async function postJson(path: string, body: unknown): Promise<Response> {
  const post = async () => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: await readActionToken() }, body: JSON.stringify(body) });
  const response = await post();
  if (response.status !== 403) return response;
  actionToken = undefined;
  return post();
}

function currentFilter(): EntryFilter {
  return {
    provider: (element('filter-provider') as HTMLSelectElement).value,
    type: (element('filter-type') as HTMLInputElement).value.trim(),
    conversation: (element('filter-conversation') as HTMLInputElement).value,
    outcome: (element('filter-outcome') as HTMLSelectElement).value,
  };
}

function renderList(): void {
  const list = (element('entries') as HTMLOListElement);
  const shown = visibleEntries(entries.values(), currentFilter());
  list.replaceChildren(
    ...shown.map((entry) => {
      const row = make('button', undefined, { type: 'button', class: 'entry', 'data-id': entry.id, 'aria-current': String(entry.id === selected) });
      row.append(
        make('span', formatTime(entry.at), { class: 'mono' }),
        make('span', entry.kind),
        make('span', entry.provider ?? '-'),
        make('span', entry.type ?? '-', { class: 'type', title: entry.type ?? '' }),
        make('span', entry.conversation ?? '-', { class: 'mono', title: entry.conversation ?? '' }),
        make('span', outcomeLabel(entry), { class: `outcome outcome-${entry.outcome}${entry.kind === 'event' && entry.done && entry.done !== 'handled' ? ` done-${entry.done.replace(' ', '-')}` : ''}` }),
      );
      row.addEventListener('click', () => void showDetail(entry.id));
      const item = make('li');
      item.append(row);
      return item;
    }),
  );
  element('empty').hidden = entries.size > 0;
  const types = new Set([...entries.values()].map((entry) => entry.type).filter((type): type is string => type !== undefined));
  element('types').replaceChildren(...[...types].sort().map((type) => make('option', undefined, { value: type })));
}

function pre(text: string, label: string): HTMLElement {
  return make('pre', text, { 'aria-label': label, tabindex: '0' });
}

function definitions(rows: readonly [string, string | undefined][]): HTMLElement {
  const list = make('dl');
  for (const [name, value] of rows) if (value !== undefined) list.append(make('dt', name), make('dd', value));
  return list;
}

async function showDetail(id: string): Promise<void> {
  selected = id;
  renderList();
  const detail = await getJson<EntryDetail>(`/_local/console/entry?id=${encodeURIComponent(id)}`);
  const { entry } = detail;
  const body = element('detail-body');
  const parts: HTMLElement[] = [
    definitions([
      ['what', entry.kind],
      ['time', entry.at],
      ['provider', entry.provider],
      ['type', entry.type],
      ['conversation', entry.conversation],
      ['event id', entry.eventId],
      ['outcome', outcomeLabel(entry)],
      ['answer time', entry.kind === 'delivery' && entry.ms !== undefined ? `${String(entry.ms)} ms` : undefined],
    ]),
  ];
  if (entry.kind === 'delivery' && entry.reason) {
    const reason = make('p', undefined, { class: 'reason', id: 'rejection-reason' });
    reason.textContent = `Rejected: ${entry.reason}${detail.detail ? ` (${detail.detail})` : ''}`;
    parts.push(reason, make('p', 'Shown here only: the provider got the generic answer below.', { class: 'muted' }));
  }
  const explanation = doneExplanation(entry);
  if (explanation !== undefined) parts.push(make('p', explanation, { class: 'done-note', id: 'done-note' }));
  if (detail.request) {
    const { request } = detail;
    parts.push(make('h3', `Request: ${request.method} ${request.path}`));
    parts.push(pre(Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`).join('\n'), 'request headers (credentials redacted)'));
    parts.push(make('h4', bodyHeading(request), { id: 'body-heading' }));
    const raw = pre(request.bodyEncoding === 'base64' ? `(not UTF-8; base64)\n${request.body}` : request.body, 'request body as received');
    raw.classList.add('raw');
    parts.push(raw);
    // The bytes as sent come first (what the signature covers); an indented view of JSON is a click away.
    const pretty = request.bodyEncoding === 'utf8' ? formatBody(request.body) : request.body;
    if (pretty !== request.body) {
      const toggle = make('details', undefined, { class: 'pretty' });
      toggle.append(make('summary', 'Pretty-printed JSON'), pre(pretty, 'request body, pretty-printed'));
      parts.push(toggle);
    }
  }
  if (detail.answer) parts.push(make('h3', `Answer: ${String(detail.answer.status)}`), pre(detail.answer.body, 'answer body'));
  const stored = storedMediaView(detail.event);
  if (stored) {
    // Where the worker stored the attachment before the handler ran, and a link that opens it (GET /_local/media/<key>).
    const line = make('p', undefined, { class: 'stored-media', id: 'stored-media' });
    if (stored.kind === 'stored') {
      line.append(make('span', 'Stored file: '), make('a', stored.key, { href: stored.href, target: '_blank', rel: 'noopener', id: 'stored-media-link' }), make('span', ` (${stored.text})`));
    } else {
      line.textContent = stored.text;
    }
    parts.push(make('h3', 'Attachment'), line);
  }
  if (detail.event !== undefined) parts.push(make('h3', 'CloudEvent'), pre(JSON.stringify(detail.event, null, 2), 'CloudEvent'));
  if (detail.attempts.length > 0) {
    parts.push(make('h3', 'Processing attempts'));
    const attempts = make('ol');
    for (const attempt of detail.attempts) {
      const receive = attempt.receiveCount === undefined ? '' : ` (receive ${String(attempt.receiveCount)})`;
      attempts.append(make('li', `${formatTime(attempt.at)} ${attempt.outcome}${receive}, ${String(attempt.ms)} ms${attempt.error ? `: ${attempt.error}` : ''}`));
    }
    parts.push(attempts);
  }
  if (detail.related.length > 0) {
    parts.push(make('h3', entry.kind === 'delivery' ? 'Its event' : 'Its deliveries'));
    const links = make('p');
    for (const related of detail.related) {
      const link = make('button', related, { type: 'button' });
      link.addEventListener('click', () => void showDetail(related));
      links.append(link, document.createTextNode(' '));
    }
    parts.push(links);
  }
  const { conversation } = entry;
  if (conversation !== undefined && conversation !== entry.conversationDigest) {
    const open = make('button', 'Conversation in the archive', { type: 'button', id: 'open-conversation' });
    open.addEventListener('click', () => void showConversation(conversation, { focus: true }));
    const paragraph = make('p');
    paragraph.append(open);
    parts.push(paragraph);
  }
  body.replaceChildren(...parts);
  element('detail-hint').hidden = true;
}

async function refreshDeadLetters(): Promise<void> {
  const letters = await getJson<DeadLetterView[]>('/_local/dead-letters');
  element('dead-letter-count').textContent = String(letters.length);
  (element('redrive') as HTMLButtonElement).disabled = letters.length === 0;
  element('dead-letter-list').replaceChildren(
    ...letters.map((letter) => {
      const event = letter.body as { id?: string; type?: string; provider?: string } | null;
      const what = event && typeof event === 'object' ? `${event.provider ?? '?'} ${event.type ?? '?'} ${event.id ?? letter.messageId}` : letter.messageId;
      return make('li', `${what} — after ${String(letter.attempts ?? '?')} attempts`, { class: 'mono' });
    }),
  );
}

async function redrive(): Promise<void> {
  const button = (element('redrive') as HTMLButtonElement);
  button.disabled = true;
  const response = await postJson('/_local/dead-letters/redrive', {});
  const report = (await response.json()) as { moved?: number; message?: string };
  element('redrive-result').textContent = response.ok ? `Moved ${String(report.moved)} back to the queue.` : `Not redriven: ${report.message ?? String(response.status)}`;
  await refreshDeadLetters();
}

/** The parked conversations as last read, and the one whose skip waits for its confirmation. */
let parked: readonly ParkedView[] = [];
let confirmingSkip: { readonly conversation: string; readonly eventId: string } | undefined;
let parkedReading: Promise<void> | undefined;
let parkedChangedMeanwhile = false;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function button(text: string, attributes: Record<string, string>, onClick: () => void): HTMLButtonElement {
  const made = make('button', text, { type: 'button', ...attributes }) as HTMLButtonElement;
  made.addEventListener('click', onClick);
  return made;
}

/** Reads the parked conversations again; a change while reading reads once more after (a burst makes two reads, not one each). */
function refreshParked(): void {
  if (parkedReading) {
    parkedChangedMeanwhile = true;
    return;
  }
  parkedReading = readParked().finally(() => {
    parkedReading = undefined;
    if (parkedChangedMeanwhile) {
      parkedChangedMeanwhile = false;
      refreshParked();
    }
  });
}

async function readParked(): Promise<void> {
  try {
    parked = await getJson<ParkedView[]>('/_local/parked');
  } catch (error) {
    element('parked-result').textContent = `The park store did not answer: ${errorMessage(error)}`;
    return;
  }
  renderParked();
}

function renderParked(): void {
  const pending = confirmingSkip;
  // A confirmation outlives a refresh only while its event is still the one to skip.
  if (pending && !parked.some((view) => view.conversation === pending.conversation && view.state === 'parked' && view.failingEventId === pending.eventId)) {
    confirmingSkip = undefined;
  }
  element('parked-count').textContent = String(parked.length);
  element('parked-empty').hidden = parked.length > 0;
  element('parked-list').replaceChildren(...parked.map(parkedItem));
}

function parkedItem(view: ParkedView): HTMLElement {
  const item = make('li', undefined, { class: 'parked', 'data-conversation': view.conversation });
  const events = make('ol', undefined, { class: 'parked-events mono', 'aria-label': `Parked events of ${view.conversation}, in the order they run` });
  events.append(...view.events.map((id) => make('li', id === view.failingEventId ? `${id} (failing)` : id)));
  item.append(
    make('h3', parkedTitle(view)),
    definitions([
      ['conversation', view.conversation],
      ['provider', view.provider],
      ['state', view.state],
      ['failing event', view.failingEventId],
      ['error', view.error],
      ['attempts', String(view.attempts)],
      ['parked at', view.parkedAt],
    ]),
    make('p', 'Parked events, in the order they run:', { class: 'muted' }),
    events,
  );
  const actions = make('p', undefined, { class: 'actions' });
  const resuming = view.state === 'resuming';
  const confirming = confirmingSkip?.conversation === view.conversation;
  if (confirming) {
    const later = view.events.length - 1;
    actions.append(
      make('span', `Skip ${view.failingEventId}? Its handler never runs (the archive keeps it, marked skipped); the ${String(later)} later event${later === 1 ? '' : 's'} run in order.`, {
        class: 'confirm',
        id: 'skip-confirm',
      }),
      button('Skip it and resume', { class: 'danger', 'aria-label': `Skip it and resume ${view.conversation}`, 'aria-describedby': 'skip-confirm' }, () => void resumeParked({ conversation: view.conversation, skip: view.failingEventId })),
      button('Cancel', { class: 'secondary' }, () => {
        confirmingSkip = undefined;
        renderParked();
      }),
    );
  } else {
    const resume = button('Resume', { 'aria-label': `Resume ${view.conversation}` }, () => void resumeParked({ conversation: view.conversation }));
    const skip = button('Skip failing event…', { class: 'secondary', 'aria-label': `Skip failing event of ${view.conversation}…` }, () => {
      confirmingSkip = { conversation: view.conversation, eventId: view.failingEventId };
      renderParked();
      element('parked-list').querySelector<HTMLButtonElement>('button.danger')?.focus();
    });
    // Resume stays offered while resuming: asked again, it sends the conversation's control message again (one lost, say).
    skip.disabled = resuming;
    actions.append(resume, skip);
  }
  item.append(actions);
  return item;
}

async function resumeParked(request: ResumeBody): Promise<void> {
  const output = element('parked-result');
  confirmingSkip = undefined;
  for (const control of element('parked-list').querySelectorAll('button')) control.disabled = true;
  output.textContent = 'asking for the resume…';
  try {
    const response = await postJson('/_local/console/resume', request);
    const answer = (await response.json()) as { message?: string };
    output.textContent = response.ok ? resumeResultText(request) : `Not resumed: ${answer.message ?? String(response.status)}`;
  } catch (error) {
    output.textContent = `Not resumed: ${errorMessage(error)}`;
  }
  refreshParked();
}

async function setUpSendForm(): Promise<void> {
  const catalogue = await getJson<{ provider: string; samples: string[] }[]>('/_local/console/samples');
  const providerSelect = (element('send-provider') as HTMLSelectElement);
  const sampleSelect = (element('send-sample') as HTMLSelectElement);
  providerSelect.replaceChildren(...catalogue.map(({ provider }) => make('option', provider, { value: provider })));
  element('filter-provider').append(...catalogue.map(({ provider }) => make('option', provider, { value: provider })));
  const showSamples = () => {
    const samples = catalogue.find(({ provider }) => provider === providerSelect.value)?.samples ?? [];
    sampleSelect.replaceChildren(...samples.map((sample) => make('option', sample, { value: sample })));
  };
  providerSelect.addEventListener('change', showSamples);
  showSamples();
  (element('send-form') as HTMLFormElement).addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    const output = element('send-result');
    output.textContent = 'sending…';
    const request = { provider: providerSelect.value, sample: sampleSelect.value, body: (element('send-body') as HTMLTextAreaElement).value };
    postJson('/_local/console/send', request)
      .then(async (response) => {
        const answer = (await response.json()) as { status?: number; body?: string; message?: string };
        output.textContent = response.ok ? `← ${String(answer.status)} ${answer.body ?? ''}` : `Not sent: ${answer.message ?? String(response.status)}`;
      })
      .catch((error: unknown) => {
        output.textContent = `Not sent: ${String(error)}`;
      });
  });
}

function connect(): void {
  const status = element('connection');
  const stream = new EventSource('/_local/console/stream');
  stream.addEventListener('open', () => {
    status.textContent = 'live';
    actionToken = undefined;
    // What happened while the stream was down.
    void getJson<ConsoleEntry[]>('/_local/console/entries?limit=5000').then((list) => {
      for (const entry of list) entries.set(entry.id, entry);
      renderList();
    });
    void refreshDeadLetters();
    refreshParked();
  });
  stream.addEventListener('error', () => {
    status.textContent = 'disconnected: is npm start running? retrying…';
  });
  stream.addEventListener('entry', (message) => {
    const entry = JSON.parse((message as MessageEvent<string>).data) as ConsoleEntry;
    entries.set(entry.id, entry);
    renderList();
    if (entry.id === selected) void showDetail(entry.id);
  });
  stream.addEventListener('dead-letters', () => void refreshDeadLetters());
  stream.addEventListener('parked', refreshParked);
}

/** The conversation shown from the archive, which the replay button replays. */
let shownConversation: string | undefined;

/** Lists a conversation's archived events, oldest first, and offers its replay. */
async function showConversation(conversation: string, options: { readonly focus?: boolean } = {}): Promise<void> {
  const input = element('conversation-id') as HTMLInputElement;
  const status = element('conversation-status');
  const button = element('replay') as HTMLButtonElement;
  input.value = conversation;
  shownConversation = conversation.trim();
  button.disabled = true;
  element('replay-result').textContent = '';
  if (options.focus) input.focus();
  status.textContent = 'reading the archive…';
  let archived: ArchivedEventView[];
  try {
    const response = await fetch(archivePath(shownConversation));
    const answer = (await response.json()) as ArchivedEventView[] | { message?: string };
    if (!response.ok || !Array.isArray(answer)) throw new Error(Array.isArray(answer) ? String(response.status) : (answer.message ?? String(response.status)));
    archived = answer;
  } catch (error) {
    status.textContent = `The archive did not answer: ${error instanceof Error ? error.message : String(error)}`;
    element('conversation-events').replaceChildren();
    return;
  }
  element('conversation-events').replaceChildren(...archived.map((item) => make('li', archivedEventLabel(item), { class: 'mono' })));
  // The worker archives an event as it takes it: a delivery of a moment ago may not be there yet.
  status.textContent = archived.length === 0 ? `Nothing archived for "${shownConversation}" (yet).` : `${String(archived.length)} archived, oldest first:`;
  button.disabled = archived.length === 0;
}

async function replayConversation(): Promise<void> {
  const conversation = shownConversation;
  if (conversation === undefined) return;
  const button = element('replay') as HTMLButtonElement;
  const output = element('replay-result');
  button.disabled = true;
  output.textContent = 'replaying…';
  try {
    const response = await postJson('/_local/console/replay', { conversation });
    const answer = (await response.json()) as ReplaySummary & { message?: string };
    output.textContent = response.ok ? `${replaySummaryText(answer)} The replayed events appear in the list as they are processed.` : `Not replayed: ${answer.message ?? String(response.status)}`;
  } catch (error) {
    output.textContent = `Not replayed: ${error instanceof Error ? error.message : String(error)}`;
  }
  button.disabled = false;
}

// The hint names the command for the port this page came from (`PORT=4000 npm run send -- qikchat`).
element('empty-command').textContent = toolCommand(location.origin, 'npm run send -- qikchat');
element('filter-outcome').append(...OUTCOMES.map((outcome) => make('option', outcome, { value: outcome })));
(element('filters') as HTMLFormElement).addEventListener('input', renderList);
(element('filters') as HTMLFormElement).addEventListener('submit', (submitted) => submitted.preventDefault());
element('redrive').addEventListener('click', () => void redrive());
(element('conversation-form') as HTMLFormElement).addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  void showConversation((element('conversation-id') as HTMLInputElement).value);
});
element('replay').addEventListener('click', () => void replayConversation());
void setUpSendForm();
connect();
