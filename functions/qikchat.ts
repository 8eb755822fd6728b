/** Receiver Lambda for qikchat: verify, normalise, enqueue, answer. Wiring only; the logic is in lib/. */
import { qikchat } from '../lib/providers/qikchat/index.js';
import { createAwsReceiverHandler } from '../lib/receiver/aws.js';

export const handler = createAwsReceiverHandler(qikchat);
