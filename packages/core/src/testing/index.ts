export { ManualClock } from './manual-clock.js';
export { waitFor } from './wait-for.js';
export { makeAnomalyFinding, makeDeployment, makeHistoryRecord } from './fixtures.js';
export { runStorageConformance, type StorageConformanceHarness } from './storage-conformance.js';
export { runTransportConformance, type TransportConformanceHarness } from './transport-conformance.js';
export { createRecordingPlugin, settleWithClock, type RecordedCall } from '../remediation/remediation-test-kit.js';
export { runSnapshotCrasher, type SnapshotCrasherOptions } from './snapshot-crasher.js';
