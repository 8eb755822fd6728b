/** Receiver Lambda for qiscus-sdk: verify, normalise, enqueue, answer. Wiring only; the logic is in lib/. */
import { qiscusSdk } from '../lib/providers/qiscus/sdk/index.js';
import { createAwsReceiverHandler } from '../lib/receiver/aws.js';

export const handler = createAwsReceiverHandler(qiscusSdk);
