import type { QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Omnichannel: `qiscus-signature-key` = base64(HMAC-SHA256(raw body, Qiscus Secret Key)). */
export const QISCUS_OMNICHANNEL_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-omnichannel',
  header: 'qiscus-signature-key',
  encoding: 'base64',
};
