import type { Admin } from 'kafkajs';

/**
 * Messages in `topic` not yet committed by `groupId`, summed over partitions. A partition the group
 * never committed counts from its oldest retained offset.
 */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const committedByPartition = new Map<number, number>();
  for (const entry of committed) {
    for (const partition of entry.partitions) committedByPartition.set(partition.partition, Number(partition.offset));
  }
  let lag = 0;
  for (const end of ends) {
    const high = Number(end.high);
    const low = Number(end.low);
    const done = committedByPartition.get(end.partition) ?? -1;
    lag += Math.max(0, high - (done >= 0 ? Math.max(done, low) : low));
  }
  return lag;
}
