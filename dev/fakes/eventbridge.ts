/**
 * A minimal EventBridge speaking its wire protocol (AWS JSON 1.1) on a loopback port: enough for `PutEvents`, which
 * no emulator offers. It checks each call as EventBridge does (1 to 10 entries, Source, DetailType and a JSON object
 * as Detail), keeps the entries it accepts, and can be told to fail chosen entries or whole calls.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An entry as it arrives on the wire (`Time` in epoch seconds). */
interface WireEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Time?: number;
  readonly Resources?: readonly string[];
}

/** What to do with one entry: accept it (undefined) or fail it with an error code. */
type EntryVerdict = { readonly ErrorCode: string; readonly ErrorMessage: string } | undefined;

export interface EventBridgeStandIn {
  readonly endpoint: string;
  /** The entries accepted, in the order they were taken. */
  readonly accepted: WireEntry[];
  /** The number of entries of each `PutEvents` call, in order. */
  readonly calls: number[];
  /** Decides each entry (`index` counts every entry received so far); all accepted by default. */
  failEntry: (entry: WireEntry, index: number) => EntryVerdict;
  /** When set, the next calls fail whole with this error type (HTTP 500 for `InternalException`, else 400). */
  failCall: string | undefined;
  close(): Promise<void>;
}

const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };

function isJsonObject(text: string | undefined): boolean {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export async function startEventBridge(): Promise<EventBridgeStandIn> {
  let received = 0;
  const state: EventBridgeStandIn = { endpoint: '', accepted: [], calls: [], failEntry: () => undefined, failCall: undefined, close: () => Promise.resolve() };
  const fail = (res: ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, JSON_11).end(JSON.stringify({ __type: type, message }));
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      fail(res, 400, 'UnknownOperationException', 'Only PutEvents is served here');
      return;
    }
    if (state.failCall) {
      fail(res, state.failCall === 'InternalException' ? 500 : 400, state.failCall, 'Failed as the test asked');
      return;
    }
    const { Entries } = JSON.parse(text || '{}') as { Entries?: WireEntry[] };
    if (!Array.isArray(Entries) || Entries.length < 1 || Entries.length > 10) {
      fail(res, 400, 'ValidationException', "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10");
      return;
    }
    state.calls.push(Entries.length);
    const results = Entries.map((entry) => {
      const index = received++;
      if (!entry.Source || !entry.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source and DetailType are required' };
      if (!isJsonObject(entry.Detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      const verdict = state.failEntry(entry, index);
      if (verdict) return verdict;
      state.accepted.push(entry);
      return { EventId: randomUUID() };
    });
    const failed = results.filter((result) => 'ErrorCode' in result).length;
    res.writeHead(200, JSON_11).end(JSON.stringify({ FailedEntryCount: failed, Entries: results }));
  }

  const server: Server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
