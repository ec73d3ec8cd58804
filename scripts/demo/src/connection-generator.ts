import type { EventRecordInput } from '@iac-dharma/core';
import { createSeededRandom, type SeededRandom } from '@iac-dharma/core/simulator';

/** Normal clients of the edge gateway (documentation address ranges). */
const CLIENTS = [
  '198.51.100.10',
  '198.51.100.11',
  '198.51.100.12',
  '198.51.100.23',
  '198.51.100.37',
  '192.0.2.40',
  '192.0.2.41',
  '192.0.2.77',
];
/** Services a scanner probes, as NSL-KDD names them. */
const SCANNED = [
  'private',
  'ftp',
  'ftp_data',
  'telnet',
  'smtp',
  'finger',
  'domain',
  'http',
  'pop_3',
  'imap4',
  'sunrpc',
  'netbios_ns',
  'netbios_ssn',
  'ldap',
  'mtp',
  'link',
  'uucp',
  'whois',
  'auth',
  'ssh',
  'X11',
  'IRC',
  'exec',
  'login',
  'shell',
  'printer',
  'klogin',
  'kshell',
  'time',
  'gopher',
];

/**
 * Seeded generator of `connection` events in the NSL-KDD vocabulary: ordinary web traffic to the edge
 * gateway (`http`, flag `SF`, a few kB each way, logged in), and a port-scan burst — many short
 * connections from one source to many services, answered with `REJ` or left half-open (`S0`), no bytes.
 * The ThreatDetector computes the traffic-window features (count, serror_rate, ...) from this stream itself.
 */
export class ConnectionGenerator {
  private readonly random: SeededRandom;

  constructor(
    seed: number,
    private readonly target = 'edge-gw',
  ) {
    this.random = createSeededRandom(seed ^ 0x5eed);
  }

  /** Normal traffic between `from` (inclusive) and `from + spanMs`: `perMinute` connections on average. */
  normal(from: number, spanMs: number, perMinute = 6): EventRecordInput[] {
    const count = Math.max(0, Math.round(perMinute * (spanMs / 60_000) * (0.6 + 0.8 * this.random.next())));
    const times = Array.from({ length: count }, () => from + Math.floor(this.random.next() * spanMs)).sort(
      (a, b) => a - b,
    );
    return times.map((timestamp) => {
      const source = this.random.pick(CLIENTS);
      return this.event(timestamp, source, {
        duration: 0,
        protocol_type: 'tcp',
        service: 'http',
        flag: 'SF',
        src_bytes: 180 + this.random.int(300),
        dst_bytes: 800 + this.random.int(9000),
        logged_in: 1,
        src_port: 40_000 + this.random.int(20_000),
      });
    });
  }

  /** A scan burst of `connections` connections from `source`, evenly spread over `durationMs`. */
  scan(from: number, durationMs: number, connections: number, source: string): EventRecordInput[] {
    return Array.from({ length: connections }, (_, index) => {
      const timestamp = from + Math.floor((index * durationMs) / connections);
      return this.event(timestamp, source, {
        duration: 0,
        protocol_type: 'tcp',
        service: SCANNED[index % SCANNED.length]!,
        flag: this.random.next() < 0.6 ? 'REJ' : 'S0',
        src_bytes: 0,
        dst_bytes: 0,
        logged_in: 0,
        src_port: 50_000 + (index % 4),
      });
    });
  }

  private event(timestamp: number, source: string, attributes: Record<string, string | number>): EventRecordInput {
    return {
      kind: 'event',
      type: 'connection',
      resource: this.target,
      timestamp,
      attributes: { ...attributes, src_host: source, dst_host: this.target },
      labels: { source },
    };
  }
}
