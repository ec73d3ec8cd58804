/**
 * A small labelled set of incident texts for the IncidentClassifier benchmark, written by hand for this
 * benchmark (issue 23) in the style of Linux, Kubernetes, database and web-server log lines and alert
 * summaries; none is copied from a dataset, and none is used by the tests. Six categories, eight texts each:
 * the first three of each category are the few-shot examples, the other five are the queries.
 */
export const INCIDENT_TEXTS: Record<string, string[]> = {
  disk: [
    'No space left on device',
    'disk /dev/sda1 is 97% full on db-1',
    'EXT4-fs error (device nvme0n1p2): ext4_journal_check_start: Detected aborted journal',
    'could not write to file "pg_wal/xlogtemp.123": No space left on device',
    'kubelet: eviction manager: attempting to reclaim ephemeral-storage, node has disk pressure',
    'blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE)',
    'Filesystem /var is 100% full, log rotation failed',
    'elasticsearch: flood stage disk watermark [95%] exceeded on node es-2, indices set read-only',
  ],
  network: [
    'Connection timed out',
    'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    'dial tcp 10.0.3.17:6379: connect: connection refused',
    'getaddrinfo ENOTFOUND payments.internal',
    'packet loss 35% between az-1 and az-2, latency p99 890 ms',
    'kafka: Broker may not be available, disconnecting from node 2 (broker-2:9092)',
    'ssl handshake timeout talking to api.partner.example after 10000 ms',
    'eth0: link down, carrier lost',
  ],
  memory: [
    'Out of memory: Killed process 2211 (java) total-vm:8112344kB, anon-rss:6121012kB',
    'java.lang.OutOfMemoryError: Java heap space',
    'container api-7f9 was OOMKilled (memory limit 512Mi)',
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    'redis: OOM command not allowed when used memory > maxmemory',
    'page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)',
    'memory usage of worker grew from 300 MB to 2.9 GB in 6 hours, restarting',
    'swap usage at 98%, system thrashing',
  ],
  auth: [
    'Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2',
    'authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.4 user=root',
    'FATAL: password authentication failed for user "billing"',
    'JWT verification failed: token expired at 2026-12-04T10:00:00Z',
    '401 Unauthorized: invalid API key for tenant acme',
    'AccessDenied: User arn:aws:iam::123456789012:user/ci is not authorized to perform s3:PutObject',
    'Too many authentication failures for root [preauth]',
    'LDAP bind failed for cn=svc-deploy: invalid credentials',
  ],
  cpu: [
    'CPU usage 99% for 15 minutes on api-3',
    'load average: 38.12, 35.90, 30.02 on a 8-core host',
    'kernel: watchdog: BUG: soft lockup - CPU#3 stuck for 22s',
    'container throttled: cpu cfs_throttled_periods 87% of periods',
    'request latency p99 4.2 s while the worker threads are all busy at 100% cpu',
    'rcu_sched self-detected stall on CPU 1',
    'process ffmpeg consuming 780% CPU, run queue length 42',
    'HPA scaled deployment web to 20 replicas: cpu utilization 180% of request',
  ],
  deploy: [
    'rollout of checkout v2.14.0 failed: 3 of 5 pods in CrashLoopBackOff',
    'Back-off restarting failed container app in pod web-6d4b9',
    'Error: ImagePullBackOff: manifest for registry.example/api:1.9.3 not found',
    'readiness probe failed after deploy of release 2026.12.04-1: HTTP 503',
    'helm upgrade failed: another operation (install/upgrade/rollback) is in progress',
    'migration 0042_add_index failed during release; deployment halted',
    'canary error rate 12% vs baseline 0.4%, rolling back version 3.1.0',
    'config error after deploy: unknown field "timeoutSecs" in settings.yaml, service exits with code 1',
  ],
};
