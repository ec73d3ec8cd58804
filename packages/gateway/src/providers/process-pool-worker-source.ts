/**
 * Source of the default replica: a Node process that reports `ready` over IPC, idles, and exits 0 on
 * SIGTERM, on a `stop` message, or when its parent goes away (so a crashed gateway leaves no orphans).
 */
export const PROCESS_POOL_WORKER_SOURCE = `
const keepAlive = setInterval(() => {}, 1 << 30);
const stop = () => { clearInterval(keepAlive); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
process.on('message', (message) => { if (message && message.type === 'stop') stop(); });
process.send({ type: 'ready', pid: process.pid });
`;
