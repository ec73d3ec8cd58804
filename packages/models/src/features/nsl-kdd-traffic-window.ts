import { z } from 'zod';
import { parseWith } from '@iac-dharma/core/kernel';
import { RERROR_FLAGS, SERROR_FLAGS, type NslKddTrafficFeatures } from './nsl-kdd-fields.js';

/** The identity of a connection the traffic features need. */
export const ConnectionSchema = z.object({
  /** Start time of the connection, epoch ms. */
  timestamp: z.number().finite(),
  /** Source host (address or name). */
  srcHost: z.string().min(1),
  /** Destination host. */
  dstHost: z.string().min(1),
  /** Source port, when known (for `dst_host_same_src_port_rate`). */
  srcPort: z.union([z.number(), z.string()]).optional(),
  /** Network service / destination port name, e.g. `http`, `ftp_data`, `private`. */
  service: z.string().min(1),
  /** Connection status flag, e.g. `SF`, `S0`, `REJ`. */
  flag: z.string().min(1),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** Options of {@link NslKddTrafficWindow}. */
export interface NslKddTrafficWindowOptions {
  /** Time window of the time-based features, in ms. @default 2000 (KDD'99: "the past two seconds") */
  timeWindowMs?: number;
  /** Connections in the host-based window. @default 100 (KDD'99: "the past 100 connections") */
  hostWindowSize?: number;
  /** Cap of `count`/`srv_count` (the dataset saturates at 511). @default 511 */
  maxTimeCount?: number;
  /** Cap of `dst_host_count`/`dst_host_srv_count` (the dataset saturates at 255). @default 255 */
  maxHostCount?: number;
}

interface Seen {
  timestamp: number;
  dstHost: string;
  srcPort: string | undefined;
  service: string;
  serror: boolean;
  rerror: boolean;
}

/**
 * Computes the 19 KDD'99 traffic features of each connection from the stream of connections before it
 * (the current one included). Time-based, over connections that started in the last `timeWindowMs`:
 * `count` = same destination host, `srv_count` = same service; `serror_rate`/`rerror_rate`/`same_srv_rate`/
 * `diff_srv_rate` are shares of the same-host set, `srv_serror_rate`/`srv_rerror_rate`/`srv_diff_host_rate`
 * of the same-service set. Host-based, over the last `hostWindowSize` connections: `dst_host_count` = same
 * host, `dst_host_srv_count` = same service; `dst_host_same_srv_rate`, `dst_host_diff_srv_rate`,
 * `dst_host_same_src_port_rate`, `dst_host_serror_rate`, `dst_host_rerror_rate` are shares of the same-host
 * set, `dst_host_srv_diff_host_rate`, `dst_host_srv_serror_rate`, `dst_host_srv_rerror_rate` of the
 * same-service set. SYN errors: flags S0–S3, SH; REJ errors: REJ, RSTO, RSTOS0, RSTR. Connections must
 * arrive in start-time order; an older one is treated as arriving now.
 */
export class NslKddTrafficWindow {
  private readonly timeWindowMs: number;
  private readonly hostWindowSize: number;
  private readonly maxTimeCount: number;
  private readonly maxHostCount: number;
  private recent: Seen[] = [];
  private lastTimestamp = -Infinity;

  constructor(options: NslKddTrafficWindowOptions = {}) {
    this.timeWindowMs = options.timeWindowMs ?? 2000;
    this.hostWindowSize = options.hostWindowSize ?? 100;
    this.maxTimeCount = options.maxTimeCount ?? 511;
    this.maxHostCount = options.maxHostCount ?? 255;
  }

  /** Adds a connection and returns its traffic features. Throws `ValidationError` naming the bad field. */
  push(input: Connection): NslKddTrafficFeatures {
    const connection = parseWith(ConnectionSchema, input, 'connection');
    const timestamp = Math.max(connection.timestamp, this.lastTimestamp);
    this.lastTimestamp = timestamp;
    const current: Seen = {
      timestamp,
      dstHost: connection.dstHost,
      srcPort: connection.srcPort === undefined ? undefined : String(connection.srcPort),
      service: connection.service,
      serror: SERROR_FLAGS.has(connection.flag),
      rerror: RERROR_FLAGS.has(connection.flag),
    };
    this.recent.push(current);
    // Keep what either window may still need.
    const horizon = timestamp - this.timeWindowMs;
    let drop = 0;
    while (drop < this.recent.length - this.hostWindowSize && this.recent[drop]!.timestamp < horizon) drop++;
    if (drop > 0) this.recent = this.recent.slice(drop);
    const inTime = this.recent.filter((seen) => seen.timestamp >= horizon);
    const inHostWindow = this.recent.slice(-this.hostWindowSize);
    return {
      ...this.timeFeatures(current, inTime),
      ...this.hostFeatures(current, inHostWindow),
    } as NslKddTrafficFeatures;
  }

  /** Forgets every connection seen. */
  reset(): void {
    this.recent = [];
    this.lastTimestamp = -Infinity;
  }

  private timeFeatures(current: Seen, window: readonly Seen[]) {
    const sameHost = window.filter((seen) => seen.dstHost === current.dstHost);
    const sameService = window.filter((seen) => seen.service === current.service);
    return {
      count: Math.min(sameHost.length, this.maxTimeCount),
      srv_count: Math.min(sameService.length, this.maxTimeCount),
      serror_rate: share(sameHost, (seen) => seen.serror),
      srv_serror_rate: share(sameService, (seen) => seen.serror),
      rerror_rate: share(sameHost, (seen) => seen.rerror),
      srv_rerror_rate: share(sameService, (seen) => seen.rerror),
      same_srv_rate: share(sameHost, (seen) => seen.service === current.service),
      diff_srv_rate: share(sameHost, (seen) => seen.service !== current.service),
      srv_diff_host_rate: share(sameService, (seen) => seen.dstHost !== current.dstHost),
    };
  }

  private hostFeatures(current: Seen, window: readonly Seen[]) {
    const sameHost = window.filter((seen) => seen.dstHost === current.dstHost);
    const sameService = window.filter((seen) => seen.service === current.service);
    return {
      dst_host_count: Math.min(sameHost.length, this.maxHostCount),
      dst_host_srv_count: Math.min(sameService.length, this.maxHostCount),
      dst_host_same_srv_rate: share(sameHost, (seen) => seen.service === current.service),
      dst_host_diff_srv_rate: share(sameHost, (seen) => seen.service !== current.service),
      dst_host_same_src_port_rate: share(
        sameHost,
        (seen) => current.srcPort !== undefined && seen.srcPort === current.srcPort,
      ),
      dst_host_srv_diff_host_rate: share(sameService, (seen) => seen.dstHost !== current.dstHost),
      dst_host_serror_rate: share(sameHost, (seen) => seen.serror),
      dst_host_srv_serror_rate: share(sameService, (seen) => seen.serror),
      dst_host_rerror_rate: share(sameHost, (seen) => seen.rerror),
      dst_host_srv_rerror_rate: share(sameService, (seen) => seen.rerror),
    };
  }
}

/** Share of `set` matching `predicate`, rounded to 2 decimals like the dataset; 0 for an empty set. */
function share(set: readonly Seen[], predicate: (seen: Seen) => boolean): number {
  if (set.length === 0) return 0;
  let matching = 0;
  for (const seen of set) if (predicate(seen)) matching++;
  return Math.round((matching / set.length) * 100) / 100;
}
