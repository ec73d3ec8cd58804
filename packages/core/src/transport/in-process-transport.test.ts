import { describe, expect, it } from 'vitest';
import { InProcessTransport } from './in-process-transport.js';
import { runTransportConformance, waitFor } from '../testing/index.js';

let shared = new InProcessTransport();
let topicCounter = 0;
runTransportConformance('in-process', {
  open: async () => (shared = new InProcessTransport()),
  topic: (base) => `${base}-${++topicCounter}`,
});

describe('InProcessTransport dead-lettering', () => {
  it('sends a message whose handler always fails to the dead-letter topic with the reason', async () => {
    const transport = new InProcessTransport({ maxAttempts: 2 });
    const dead: unknown[] = [];
    await transport.subscribe({ topic: 'dead-letter', handler: async (message) => void dead.push(message.value) });
    await transport.subscribe({
      topic: 'metrics',
      handler: async () => {
        throw new Error('cannot handle');
      },
    });
    await transport.publish({ topic: 'metrics', messages: [{ value: { bad: true } }] });
    await waitFor(() => dead.length === 1);
    expect(dead[0]).toMatchObject({ topic: 'metrics', reason: 'Error: cannot handle', original: { bad: true } });
    expect(transport.deadLettered).toBe(1);
    await transport.close();
  });
});
