import type { QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Chat SDK: `QISCUS-SDK-SIGNATURE` = hex(HMAC-SHA256(raw body, signature token)). */
export const QISCUS_SDK_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-sdk',
  header: 'QISCUS-SDK-SIGNATURE',
  encoding: 'hex',
};
