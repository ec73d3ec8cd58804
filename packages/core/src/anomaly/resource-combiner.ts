/** One metric's latest score within a resource. */
export interface MetricContribution {
  metric: string;
  score: number;
  value: number;
  timestamp: number;
}

/** A resource-level anomaly score with the metrics behind it, strongest first. */
export interface ResourceScore {
  score: number;
  contributors: MetricContribution[];
}

/**
 * Multivariate mode: combines the latest scores of a resource's metrics into one resource score.
 * Scores are combined as a noisy-OR, 1 − Π(1 − sᵢ), over the metrics scored within `windowMs` of the
 * newest sample, ignoring scores below `floor`: one strongly anomalous metric is enough, and several moderately anomalous metrics at
 * once (CPU and latency and errors rising together) add up to more than any of them alone.
 */
export class ResourceCombiner {
  private readonly resources = new Map<string, Map<string, MetricContribution>>();

  /**
   * @param windowMs metric scores older than this (ms of sample time) are dropped.
   * @param floor metric scores below this are noise: they neither count nor appear as contributors.
   */
  constructor(
    private readonly windowMs: number,
    private readonly floor = 0.1,
  ) {}

  /** Records a metric's score and returns the resource's combined score at `timestamp`. */
  update(resource: string, contribution: MetricContribution): ResourceScore {
    let metrics = this.resources.get(resource);
    if (!metrics) this.resources.set(resource, (metrics = new Map()));
    metrics.set(contribution.metric, contribution);
    let quiet = 1;
    const contributors: MetricContribution[] = [];
    for (const [metric, entry] of metrics) {
      if (contribution.timestamp - entry.timestamp > this.windowMs) {
        metrics.delete(metric);
        continue;
      }
      if (entry.score < this.floor) continue;
      quiet *= 1 - entry.score;
      contributors.push(entry);
    }
    contributors.sort((a, b) => b.score - a.score);
    return { score: 1 - quiet, contributors };
  }

  /** Forgets a resource's metrics. */
  forget(resource: string): void {
    this.resources.delete(resource);
  }

  /** Number of resources tracked. */
  get size(): number {
    return this.resources.size;
  }
}
