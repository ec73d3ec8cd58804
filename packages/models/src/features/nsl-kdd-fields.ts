/** The 19 NSL-KDD / KDD'99 traffic features computed from the connection stream, in dataset order. */
export const NSL_KDD_TRAFFIC_FEATURES = [
  'count',
  'srv_count',
  'serror_rate',
  'srv_serror_rate',
  'rerror_rate',
  'srv_rerror_rate',
  'same_srv_rate',
  'diff_srv_rate',
  'srv_diff_host_rate',
  'dst_host_count',
  'dst_host_srv_count',
  'dst_host_same_srv_rate',
  'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate',
  'dst_host_srv_diff_host_rate',
  'dst_host_serror_rate',
  'dst_host_srv_serror_rate',
  'dst_host_rerror_rate',
  'dst_host_srv_rerror_rate',
] as const;
export type NslKddTrafficFeature = (typeof NSL_KDD_TRAFFIC_FEATURES)[number];
/** The traffic features of one connection. */
export type NslKddTrafficFeatures = Record<NslKddTrafficFeature, number>;

/** The 41 NSL-KDD connection features in dataset (and model card) order. */
export const NSL_KDD_FEATURES = [
  'duration',
  'protocol_type',
  'service',
  'flag',
  'src_bytes',
  'dst_bytes',
  'land',
  'wrong_fragment',
  'urgent',
  'hot',
  'num_failed_logins',
  'logged_in',
  'num_compromised',
  'root_shell',
  'su_attempted',
  'num_root',
  'num_file_creations',
  'num_shells',
  'num_access_files',
  'num_outbound_cmds',
  'is_host_login',
  'is_guest_login',
  ...NSL_KDD_TRAFFIC_FEATURES,
] as const;

/** Connection status flags that count as SYN errors (`serror`), as observed in NSL-KDD. */
export const SERROR_FLAGS: ReadonlySet<string> = new Set(['S0', 'S1', 'S2', 'S3', 'SH']);
/** Connection status flags that count as REJ/RST errors (`rerror`), as observed in NSL-KDD. */
export const RERROR_FLAGS: ReadonlySet<string> = new Set(['REJ', 'RSTO', 'RSTOS0', 'RSTR']);
