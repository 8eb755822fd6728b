export { qiscusSdk } from './provider.js';
export { QISCUS_SDK_SIGNATURE } from './signature.js';
