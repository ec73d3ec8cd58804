import { createKafkaTransport } from '@iac-dharma/kafka';
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
const brokers = readFileSync('/work/main/.services/kafka.env', 'utf8').split('\n').find((l) => l.startsWith('DHARMA_KAFKA_BROKERS='))!.slice(21).trim().split(',');
const rate = Number(process.env.RATE ?? 10000);
const seconds = 6;
const prefix = `probe-${Date.now().toString(36)}.`;
const kc = new kafkajs.Kafka({ clientId: 'probe-c', brokers, logLevel: 1 });
const origConsumer = kc.consumer.bind(kc);
const fetches: string[] = [];
(kc as any).consumer = (cfg: any) => { const c = origConsumer(cfg); c.on(c.events.FETCH, (e: any) => fetches.push(`${Math.round(e.timestamp % 100000)} fetch dur=${e.payload.duration} batches=${e.payload.numberOfBatches}`)); c.on(c.events.END_BATCH_PROCESS, (e: any) => fetches.push(`${Math.round(e.timestamp % 100000)}   batch p=${e.payload.partition} n=${e.payload.batchSize} dur=${e.payload.duration} lag=${e.payload.offsetLag}`)); return c; };
const consumer = createKafkaTransport({ kafka: kc, brokers, clientId: 'probe-c', topicPrefix: prefix, partitions: 6, maxWaitTimeMs: Number(process.env.MAXWAIT ?? 100), commitIntervalMs: 500, ...(process.env.CONC ? { handlerConcurrency: Number(process.env.CONC) } : {}) });
const lat: number[] = [];
let n = 0;
await consumer.subscribe({ topic: 'metrics', group: 'probe', handler: async (m) => { n++; const v = m.value as { t: number; i: number }; if (v.i % 20 === 0) lat.push(performance.timeOrigin + performance.now() - v.t); } });
const producer = createKafkaTransport({ brokers, clientId: 'probe-p', topicPrefix: prefix, partitions: 6 });
const acks: number[] = [];
const total = rate * seconds; let sent = 0; const started = performance.now(); const pending: Promise<void>[] = [];
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
  if (due > sent) {
    const t = performance.timeOrigin + performance.now();
    const msgs = Array.from({ length: due - sent }, (_, k) => ({ value: { resource: `node-${(sent + k) % 64}`, t, i: sent + k } }));
    sent += msgs.length;
    pending.push(producer.publish({ topic: 'metrics', messages: msgs }).then(() => void acks.push(performance.timeOrigin + performance.now() - t)));
  }
  await new Promise((r) => setTimeout(r, 5));
}
await Promise.all(pending);
while (n < total) await new Promise((r) => setTimeout(r, 10));
const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * a.length)]!.toFixed(1);
console.log(`rate ${rate} conc ${process.env.CONC ?? 'default'}: publish->handler p50 ${q(lat, 0.5)} p99 ${q(lat, 0.99)} | publish->ack p50 ${q(acks, 0.5)} p99 ${q(acks, 0.99)}`);
if (process.env.TRACE) console.log(fetches.slice(200, 260).join('\n'));
await producer.close(); await consumer.close(); process.exit(0);
