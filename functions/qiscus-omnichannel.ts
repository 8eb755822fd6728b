/** Receiver Lambda for qiscus-omnichannel: verify, normalise, enqueue, answer. Wiring only; the logic is in lib/. */
import { qiscusOmnichannel } from '../lib/providers/qiscus/omnichannel/index.js';
import { createAwsReceiverHandler } from '../lib/receiver/aws.js';

export const handler = createAwsReceiverHandler(qiscusOmnichannel);
