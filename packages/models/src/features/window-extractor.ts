import { InsufficientDataError, ValidationError } from '@iac-dharma/core';
import type { ModelCard, Normalization, WindowSpec, WindowStatistic } from '../card/model-card-schema.js';
import { normalize } from './normalize.js';
import { windowStatistic } from './window-statistics.js';

/**
 * Turns a multivariate history (rows oldest → newest, one column per card feature/sensor) into a window
 * model's input, exactly like training: take the last `window.length` rows, min-max/zscore normalise each
 * column in float64, pad shorter histories at the front (`repeat-first` or `zeros`), then either lay the
 * window out as `[length, sensors]` (sequence models) or compute the card's `windowFeatures` per sensor in
 * stat-major order (`column = stat * sensors + sensor`); cast to float32 last.
 */
export class WindowExtractor {
  /** Column names of the raw history, in order. */
  readonly sensorNames: readonly string[];
  /** Numbers per encoded row. */
  readonly width: number;
  readonly window: WindowSpec;
  /** Set for window-statistics models (e.g. GBM); absent for sequence models (e.g. LSTM). */
  readonly statistics: readonly WindowStatistic[] | undefined;
  private readonly normalizations: readonly Normalization[];

  constructor(card: ModelCard) {
    if (!card.window) throw new ValidationError(`Model "${card.id}" is not a window model (its card has no "window").`, [{ path: 'window', message: 'required', code: 'custom' }]);
    this.window = card.window;
    this.statistics = card.windowFeatures;
    this.sensorNames = card.features.map((feature) => feature.name);
    this.normalizations = card.features.map((feature) => (feature.kind === 'numeric' ? feature.normalization : { type: 'none' as const }));
    this.width = this.statistics ? this.statistics.length * this.sensorNames.length : this.window.length * this.sensorNames.length;
  }

  /**
   * Normalised, padded window `[length][sensors]` (float64) from the raw history.
   * Throws `InsufficientDataError` for an empty history and `ValidationError` for a wrong row width or a non-finite value.
   */
  normalizedWindow(history: ReadonlyArray<ArrayLike<number>>): Float64Array[] {
    const length = this.window.length;
    const sensors = this.sensorNames.length;
    if (history.length === 0) throw new InsufficientDataError('The history is empty: a window needs at least one row.');
    const rows = history.slice(Math.max(0, history.length - length)).map((raw, rowIndex) => {
      if (raw.length !== sensors) {
        throw new ValidationError(`Invalid history: row ${rowIndex} has ${raw.length} values, expected ${sensors} (${this.sensorNames.join(', ')}).`, [
          { path: `history.${rowIndex}`, message: `expected ${sensors} values`, code: 'custom' },
        ]);
      }
      const row = new Float64Array(sensors);
      for (let sensor = 0; sensor < sensors; sensor++) {
        const value = raw[sensor]!;
        if (!Number.isFinite(value)) {
          throw new ValidationError(`Invalid history: ${this.sensorNames[sensor]} at row ${rowIndex} is ${value}; expected a finite number.`, [
            { path: `history.${rowIndex}.${this.sensorNames[sensor]}`, message: 'expected a finite number', code: 'invalid_type' },
          ]);
        }
        row[sensor] = normalize(value, this.normalizations[sensor]!);
      }
      return row;
    });
    const padding = length - rows.length;
    if (padding > 0) {
      const filler = this.window.padding === 'zeros' ? new Float64Array(sensors) : rows[0]!;
      rows.unshift(...Array.from({ length: padding }, () => filler));
    }
    return rows;
  }

  /** Encodes a normalised window (see {@link normalizedWindow}) into `target` at `offset`. */
  encodeWindowInto(window: readonly Float64Array[], target: Float32Array, offset = 0): void {
    const sensors = this.sensorNames.length;
    if (!this.statistics) {
      window.forEach((row, rowIndex) => target.set(row, offset + rowIndex * sensors));
      return;
    }
    const column = new Float64Array(window.length);
    for (let sensor = 0; sensor < sensors; sensor++) {
      for (let row = 0; row < window.length; row++) column[row] = window[row]![sensor]!;
      this.statistics.forEach((statistic, statIndex) => {
        target[offset + statIndex * sensors + sensor] = windowStatistic(statistic, column);
      });
    }
  }

  /** Encodes a raw history into `target` at `offset`. */
  encodeInto(history: ReadonlyArray<ArrayLike<number>>, target: Float32Array, offset = 0): void {
    this.encodeWindowInto(this.normalizedWindow(history), target, offset);
  }

  /** Encodes a raw history into a new float32 vector of {@link width} numbers. */
  encode(history: ReadonlyArray<ArrayLike<number>>): Float32Array {
    const target = new Float32Array(this.width);
    this.encodeInto(history, target);
    return target;
  }
}
