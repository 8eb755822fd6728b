import { redactSensitive } from '../lib/observability/redact.js';
const base = { level: 'INFO', message: 'Delivery accepted', timestamp: new Date().toISOString(), service: 'chat-webhook-gateway', cold_start: false, function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:qiscus-omnichannel-receiver', function_memory_size: '1024', function_name: 'qiscus-omnichannel-receiver', function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678', xray_trace_id: '1-67891233-abcdef012345678912345678', provider: 'qiscus-omnichannel', correlation_id: 'abc' };
const attrs = () => ({ eventId: 'qiscus-omnichannel-abcdef0123456789', type: 'message.received', provider: 'qiscus-omnichannel', conversation: '0123456789abcdef', messageId: '1234-5678-9abc', verification: 'enforced', durationMs: 1.2 });
const variants: Record<string, () => string> = {
  replacerAll: () => JSON.stringify({ ...base, timestamp: new Date().toISOString(), ...attrs() }, redactSensitive),
  plain: () => JSON.stringify({ ...base, timestamp: new Date().toISOString(), ...attrs() }),
  date: () => new Date().toISOString(),
  splitReplacer: () => { const s = JSON.stringify({ ...base, timestamp: new Date().toISOString() }); const a = JSON.stringify(attrs(), redactSensitive); return `${s.slice(0, -1)},${a.slice(1)}`; },
};
for (let round = 0; round < 3; round++) for (const [name, fn] of Object.entries(variants)) {
  const t = performance.now(); let n = 0;
  for (let i = 0; i < 20000; i++) n += fn().length;
  console.log(name, ((performance.now() - t) / 20000 * 1000).toFixed(2), 'µs');
}
