/**
 * What a steady rate asks of the functions: each one's time per invocation, from the measured per-event work, and
 * the concurrency it keeps busy (Little's law: rate x duration).
 */
import { ONE_VCPU_MB } from '../cost/model.js';
import type { CapacityInputs } from './inputs.js';

/** What a plan is asked for. */
export interface CapacityRequest {
  /** Deliveries per second, steady. */
  readonly rate: number;
  /** Milliseconds your handler takes per event. */
  readonly handlerMs: number;
  /** Conversations with events at the same time (FIFO message groups); undefined: many, never the bound. */
  readonly conversations?: number;
}

/** The functions' times and concurrency at a rate; times in milliseconds. */
export interface Work {
  /** A receiver's invocation: its CPU at its vCPU share, and the SendMessage. */
  readonly receiverMs: number;
  /** The worker's CPU for a full batch (one thread, whatever runs in parallel). */
  readonly workerCpuMs: number;
  /** The worker's part of a batch that waits for no conversation: the archive write and the reads side by side, CPU. */
  readonly workerBatchFixedMs: number;
  /** The worker's part per event: its idempotency record's write and the handler. */
  readonly workerPerEventMs: number;
  /** Events of one conversation in a batch, run one after another. */
  readonly eventsPerConversationInBatch: number;
  /** One batch, start to end. */
  readonly workerBatchMs: number;
  readonly receiverConcurrency: number;
  /** Worker invocations the rate keeps busy, were there no bound. */
  readonly workerNeed: number;
  /** The same, never more than the conversations (one batch per conversation at a time). */
  readonly workerConcurrency: number;
  readonly totalConcurrency: number;
  /** Deliveries per second one worker invocation carries. */
  readonly perInvocationRate: number;
  /** Deliveries per second one conversation carries, its events one after another. */
  readonly perConversationRate: number;
}

/** Lambda gives a function CPU in proportion to its memory. */
export const cpuShare = (memoryMb: number): number => Math.min(1, memoryMb / ONE_VCPU_MB);

/** The work `request` asks of the functions measured in `inputs`. */
export function workAt(request: CapacityRequest, inputs: CapacityInputs): Work {
  const { rate, handlerMs, conversations } = request;
  const batch = inputs.batchSize;

  // Per event: the receiver's CPU stretched by its vCPU share, then the SendMessage it waits for.
  const receiverMs = inputs.receiverCpuMs / cpuShare(inputs.receiverMemoryMb) + inputs.sendLatencyMs;
  // Per batch: the archive write and the reads before any handler (side by side), and the worker's CPU for the whole
  // batch (one thread, whatever runs in parallel).
  const workerCpuMs = inputs.workerBatchCpuMs + batch * inputs.workerEventCpuMs;
  const workerBatchFixedMs = inputs.workerBatchCalls * inputs.storeLatencyMs + workerCpuMs / cpuShare(inputs.workerMemoryMb);
  // Per event: its idempotency record written after the handler.
  const workerPerEventMs = inputs.workerEventCalls * inputs.storeLatencyMs + handlerMs;
  // Conversations run in parallel within a batch, a conversation's own events one after another.
  const eventsPerConversationInBatch = conversations === undefined ? 1 : Math.ceil(batch / Math.min(batch, conversations));
  const workerBatchMs = workerBatchFixedMs + eventsPerConversationInBatch * workerPerEventMs;

  const receiverConcurrency = (rate * receiverMs) / 1000;
  const workerNeed = (rate * workerBatchMs) / (batch * 1000);
  // FIFO: one batch per conversation at a time, so never more invocations than conversations.
  const workerConcurrency = conversations === undefined ? workerNeed : Math.min(workerNeed, conversations);
  const totalConcurrency = receiverConcurrency + workerConcurrency;

  // The rates at which the worker's own bounds are reached.
  const perInvocationRate = (batch * 1000) / workerBatchMs;
  const perConversationRate = 1000 / (workerPerEventMs + workerBatchFixedMs / batch);
  return {
    receiverMs,
    workerCpuMs,
    workerBatchFixedMs,
    workerPerEventMs,
    eventsPerConversationInBatch,
    workerBatchMs,
    receiverConcurrency,
    workerNeed,
    workerConcurrency,
    totalConcurrency,
    perInvocationRate,
    perConversationRate,
  };
}
