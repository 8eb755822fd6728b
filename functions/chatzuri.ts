/** Receiver Lambda for chatzuri: verify, normalise, enqueue, answer. Wiring only; the logic is in lib/. */
import { chatzuri } from '../lib/providers/chatzuri/index.js';
import { createAwsReceiverHandler } from '../lib/receiver/aws.js';

export const handler = createAwsReceiverHandler(chatzuri);
