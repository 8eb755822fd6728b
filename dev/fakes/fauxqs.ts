/**
 * The embedded SQS and S3 server (fauxqs), on loopback only. fauxqs's `startFauxqs` listens on 0.0.0.0 whatever its
 * `host` option says (that only names the queue URLs), so it would serve the queues and the archive, with no
 * credentials checked, to every host that reaches this machine. While it starts, its listen call is pointed at
 * 127.0.0.1 instead.
 */
import { Server, type ListenOptions } from 'node:net';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

type FauxqsOptions = NonNullable<Parameters<typeof startFauxqs>[0]>;

/** Every interface, as fauxqs asks for; loopback, as we answer. */
const EVERYWHERE = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = '127.0.0.1';

/**
 * Starts fauxqs listening on 127.0.0.1 only.
 *
 * @example const fauxqs = await startLoopbackFauxqs({ port: 0, logger: false });
 */
export async function startLoopbackFauxqs(options: Omit<FauxqsOptions, 'host'> = {}): Promise<FauxqsServer> {
  const prototype = Server.prototype;
  const listen = Object.getOwnPropertyDescriptor(prototype, 'listen')?.value as (this: Server, ...parameters: unknown[]) => Server;
  // The one listen call fauxqs makes (through Fastify) passes its options as an object.
  prototype.listen = function (this: Server, ...args: unknown[]) {
    const [first] = args;
    if (first !== null && typeof first === 'object' && EVERYWHERE.has((first as ListenOptions).host ?? '')) {
      args[0] = { ...(first as ListenOptions), host: LOOPBACK };
    }
    return listen.apply(this, args);
  } as typeof prototype.listen;
  try {
    return await startFauxqs({ ...options, host: LOOPBACK });
  } finally {
    prototype.listen = listen as typeof prototype.listen;
  }
}
