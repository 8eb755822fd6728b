/**
 * Preloaded with `node --import` by the network check: from here on, any attempt to open a TCP or TLS
 * connection, send a UDP datagram or resolve a name is recorded in `globalThis.__benchNetworkAttempts` and
 * refused before anything leaves the process.
 */
import dgram from 'node:dgram';
import { subscribe } from 'node:diagnostics_channel';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const attempts = [];
globalThis.__benchNetworkAttempts = attempts;
const refused = (what) => Object.assign(new Error(`bench: network use at import refused (${what})`), { code: 'ECONNREFUSED' });

net.Socket.prototype.connect = function connect(...args) {
  const [first, second] = args;
  const target = typeof first === 'object' && first !== null ? `${first.host ?? first.path ?? '?'}:${first.port ?? ''}` : `${second ?? 'localhost'}:${first}`;
  attempts.push(`tcp connect ${target}`);
  process.nextTick(() => this.destroy(refused(target)));
  return this;
};

dgram.Socket.prototype.send = function send(...args) {
  attempts.push('udp send');
  const callback = args.findLast((arg) => typeof arg === 'function');
  if (callback) process.nextTick(callback, refused('udp send'));
};
dgram.Socket.prototype.connect = function connect(port, address) {
  attempts.push(`udp connect ${address ?? 'localhost'}:${port}`);
};

function refuseLookup(name) {
  return (host, ...rest) => {
    attempts.push(`dns ${name} ${host}`);
    const callback = rest.findLast((arg) => typeof arg === 'function');
    if (callback) process.nextTick(callback, Object.assign(refused(`dns ${host}`), { code: 'ENOTFOUND' }));
  };
}
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
  dns[name] = refuseLookup(name);
}
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  dns.promises[name] = async (host) => {
    attempts.push(`dns promises.${name} ${host}`);
    throw Object.assign(refused(`dns ${host}`), { code: 'ENOTFOUND' });
  };
}
syncBuiltinESMExports();

// A second witness: every client socket Node creates is published here, whoever made it.
subscribe('net.client.socket', () => attempts.push('net.client.socket created'));
