import { AnomalyDetector, type SampleOutcome } from '@iac-dharma/core';

/** Every sample one series was scored on, in time order (parallel arrays, for the report's charts). */
export interface ScoredSeries {
  timestamps: number[];
  values: number[];
  scores: number[];
}

/**
 * The core `AnomalyDetector`, unchanged, that also keeps each sample's score so the report can draw the
 * score under the series. (The detector itself only reports findings above its threshold.)
 */
export class RecordingAnomalyDetector extends AnomalyDetector {
  /** Series key → its scored samples. */
  readonly scored = new Map<string, ScoredSeries>();

  override observe(seriesKey: string, timestamp: number, value: number): SampleOutcome {
    const outcome = super.observe(seriesKey, timestamp, value);
    if (outcome.status === 'scored') {
      let series = this.scored.get(seriesKey);
      if (!series) this.scored.set(seriesKey, (series = { timestamps: [], values: [], scores: [] }));
      series.timestamps.push(timestamp);
      series.values.push(value);
      series.scores.push(outcome.score);
    }
    return outcome;
  }
}
