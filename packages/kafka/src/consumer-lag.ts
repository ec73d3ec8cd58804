import type { ClientAdmin } from './client/kafka-client.js';

/**
 * Messages in `topic` not yet committed by `groupId`, summed over partitions. A partition the group
 * never committed counts from its oldest retained offset.
 */
export async function consumerLag(admin: ClientAdmin, groupId: string, topic: string): Promise<number> {
  const [committed, ends] = await Promise.all([admin.committedOffsets(groupId, topic), admin.topicOffsets(topic)]);
  let lag = 0;
  for (const { partition, low, high } of ends) {
    const done = committed.get(partition);
    lag += Math.max(0, high - (done === undefined ? low : Math.max(done, low)));
  }
  return lag;
}
