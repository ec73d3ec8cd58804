import { describe, expect, it } from 'vitest';
import { ValidationError } from '@iac-dharma/core';
import { NslKddTrafficWindow, type Connection } from './nsl-kdd-traffic-window.js';

const connection = (
  timestamp: number,
  srcHost: string,
  dstHost: string,
  service: string,
  flag: string,
  srcPort: number,
): Connection => ({
  timestamp,
  srcHost,
  dstHost,
  service,
  flag,
  srcPort,
});

// A hand-made stream: three connections to H1 within one second, one to H2, then one more to H1 1.6 s later.
const stream = [
  connection(0, 'A', 'H1', 'http', 'SF', 1000),
  connection(500, 'A', 'H1', 'http', 'S0', 1001),
  connection(1000, 'B', 'H1', 'ftp', 'REJ', 1000),
  connection(1500, 'A', 'H2', 'http', 'SF', 1002),
  connection(3100, 'A', 'H1', 'http', 'SF', 1000),
];

describe('NslKddTrafficWindow', () => {
  it('computes the time-based features over the last 2 seconds (current connection included)', () => {
    const window = new NslKddTrafficWindow();
    const features = stream.map((item) => window.push(item));
    expect(features[0]).toMatchObject({ count: 1, srv_count: 1, serror_rate: 0, same_srv_rate: 1, diff_srv_rate: 0 });
    expect(features[2]).toMatchObject({
      count: 3,
      srv_count: 1,
      serror_rate: 0.33,
      rerror_rate: 0.33,
      same_srv_rate: 0.33,
      diff_srv_rate: 0.67,
      srv_serror_rate: 0,
      srv_rerror_rate: 1,
      srv_diff_host_rate: 0,
    });
    // At 3100 ms only the 1500 ms (H2, http) and the current connection are within 2 s.
    expect(features[4]).toMatchObject({
      count: 1,
      srv_count: 2,
      serror_rate: 0,
      rerror_rate: 0,
      same_srv_rate: 1,
      diff_srv_rate: 0,
      srv_serror_rate: 0,
      srv_rerror_rate: 0,
      srv_diff_host_rate: 0.5,
    });
  });

  it('computes the host-based features over the last N connections', () => {
    const window = new NslKddTrafficWindow();
    const last = stream.map((item) => window.push(item))[4]!;
    expect(last).toMatchObject({
      dst_host_count: 4, // c1, c2, c3, c5 went to H1
      dst_host_srv_count: 4, // c1, c2, c4, c5 used http
      dst_host_same_srv_rate: 0.75,
      dst_host_diff_srv_rate: 0.25,
      dst_host_same_src_port_rate: 0.75, // c1, c3, c5 from port 1000
      dst_host_srv_diff_host_rate: 0.25, // c4 went to H2
      dst_host_serror_rate: 0.25, // c2 (S0)
      dst_host_srv_serror_rate: 0.25,
      dst_host_rerror_rate: 0.25, // c3 (REJ)
      dst_host_srv_rerror_rate: 0,
    });
  });

  it('limits the host window and caps the counts', () => {
    const window = new NslKddTrafficWindow({ hostWindowSize: 2, maxTimeCount: 2 });
    const last = stream.slice(0, 3).map((item) => window.push(item))[2]!;
    expect(last.dst_host_count).toBe(2);
    expect(last.count).toBe(2);
  });

  it('rejects a connection without a destination host, naming the field', () => {
    const window = new NslKddTrafficWindow();
    expect(() => window.push({ ...stream[0]!, dstHost: '' })).toThrow(ValidationError);
    try {
      window.push({ ...stream[0]!, dstHost: '' });
    } catch (error) {
      expect((error as ValidationError).field).toBe('dstHost');
    }
  });
});
