import type { ModelCard } from '@iac-dharma/models';

// C-MAPSS turbofan sensors that rise (+1) or fall (-1) as an engine degrades (from the dataset's documentation
// and plots); the others drift little. Used to draw a plausible, slowly degrading engine for the demo.
const TREND: Record<string, number> = {
  sensor_2: 1,
  sensor_3: 1,
  sensor_4: 1,
  sensor_8: 1,
  sensor_9: 1,
  sensor_11: 1,
  sensor_13: 1,
  sensor_15: 1,
  sensor_17: 1,
  sensor_7: -1,
  sensor_12: -1,
  sensor_20: -1,
  sensor_21: -1,
};

/**
 * One row of sensor readings of a demo engine at `wear` (0 = new, 1 = worn out), inside each sensor's
 * training range (the card's min-max normalisation), with a little deterministic jitter from `cycle`.
 */
export function engineReading(card: ModelCard, wear: number, cycle: number): number[] {
  return card.features.map((feature, index) => {
    const normalization = feature.kind === 'numeric' ? feature.normalization : undefined;
    const [min, max] = normalization?.type === 'minmax' ? [normalization.min, normalization.max] : [0, 1];
    const trend = TREND[feature.name] ?? 0;
    const position = 0.35 + trend * 0.4 * wear + 0.04 * Math.sin(cycle * 1.7 + index);
    return min + (max - min) * position;
  });
}

/** A normal HTTP connection (NSL-KDD features, traffic features given). */
export const NORMAL_CONNECTION: Readonly<Record<string, string | number>> = {
  duration: 0,
  protocol_type: 'tcp',
  service: 'http',
  flag: 'SF',
  src_bytes: 230,
  dst_bytes: 2100,
  land: 0,
  wrong_fragment: 0,
  urgent: 0,
  hot: 0,
  num_failed_logins: 0,
  logged_in: 1,
  num_compromised: 0,
  root_shell: 0,
  su_attempted: 0,
  num_root: 0,
  num_file_creations: 0,
  num_shells: 0,
  num_access_files: 0,
  num_outbound_cmds: 0,
  is_host_login: 0,
  is_guest_login: 0,
  count: 8,
  srv_count: 9,
  serror_rate: 0,
  srv_serror_rate: 0,
  rerror_rate: 0,
  srv_rerror_rate: 0,
  same_srv_rate: 1,
  diff_srv_rate: 0,
  srv_diff_host_rate: 0.11,
  dst_host_count: 255,
  dst_host_srv_count: 255,
  dst_host_same_srv_rate: 1,
  dst_host_diff_srv_rate: 0,
  dst_host_same_src_port_rate: 0.01,
  dst_host_srv_diff_host_rate: 0.02,
  dst_host_serror_rate: 0,
  dst_host_srv_serror_rate: 0,
  dst_host_rerror_rate: 0,
  dst_host_srv_rerror_rate: 0,
};

/** A SYN-flood connection (half-open `S0`, many connections to one host: NSL-KDD "neptune", a DoS). */
export const SYN_FLOOD_CONNECTION: Readonly<Record<string, string | number>> = {
  ...NORMAL_CONNECTION,
  service: 'private',
  flag: 'S0',
  src_bytes: 0,
  dst_bytes: 0,
  logged_in: 0,
  count: 220,
  srv_count: 14,
  serror_rate: 1,
  srv_serror_rate: 1,
  same_srv_rate: 0.06,
  diff_srv_rate: 0.06,
  srv_diff_host_rate: 0,
  dst_host_srv_count: 14,
  dst_host_same_srv_rate: 0.05,
  dst_host_diff_srv_rate: 0.07,
  dst_host_same_src_port_rate: 0,
  dst_host_srv_diff_host_rate: 0,
  dst_host_serror_rate: 1,
  dst_host_srv_serror_rate: 1,
};
