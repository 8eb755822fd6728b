import { createSocket, type Socket } from 'node:dgram';

/** A stand-in X-Ray daemon: what Lambda's `AWS_XRAY_DAEMON_ADDRESS` points at. */
export interface XrayDaemonStandIn {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Datagrams received so far: one segment document each. */
  readonly received: () => number;
  /** The last few datagrams (8), as received (`{"format":"json","version":1}\n<document>`), oldest first. */
  readonly last: () => string[];
  stop(): Promise<void>;
}

const KEPT_SEGMENTS = 8;

/**
 * A UDP socket on a random loopback port that counts what it receives and keeps the last few datagrams,
 * undecoded (it may share a process with a measured function: it does as little as it can).
 */
export async function startXrayDaemon(): Promise<XrayDaemonStandIn> {
  const socket: Socket = createSocket('udp4');
  let received = 0;
  const kept: Buffer[] = [];
  socket.on('message', (datagram: Buffer) => {
    received++;
    kept.push(datagram);
    if (kept.length > KEPT_SEGMENTS) kept.shift();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let stopped = false;
  return {
    address: `127.0.0.1:${socket.address().port}`,
    received: () => received,
    last: () => kept.map((datagram) => datagram.toString('utf8')),
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
