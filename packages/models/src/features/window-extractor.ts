import { InsufficientDataError, ValidationError } from '@iac-dharma/core/kernel';
import type { ModelCard, Normalization, WindowSpec, WindowStatistic } from '../card/model-card-schema.js';

const STAT_LAST = 0;
const STAT_FIRST = 1;
const STAT_MEAN = 2;
const STAT_SLOPE = 3;
const STAT_MIN = 4;
const STAT_MAX = 5;
const STAT_STD = 6;
const STATISTIC_CODES: Record<WindowStatistic, number> = {
  last: STAT_LAST,
  first: STAT_FIRST,
  mean: STAT_MEAN,
  slope: STAT_SLOPE,
  min: STAT_MIN,
  max: STAT_MAX,
  std: STAT_STD,
};

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
  /** Per sensor: normalised = (raw − offset) / divisor (minmax: min, max − min; zscore: mean, std; zero → 1). */
  private readonly offsets: Float64Array;
  private readonly divisors: Float64Array;
  /** Precomputed per card (hot-path lookup tables): statistic codes, `row − centre` per row, Σ(row − centre)². */
  private readonly statisticCodes: Uint8Array;
  private readonly rowWeights: Float64Array;
  private readonly slopeDenominator: number;
  /** Scratch window reused by every (synchronous) `encodeInto` call. */
  private readonly scratchWindow: Float64Array;

  constructor(card: ModelCard) {
    if (!card.window)
      throw new ValidationError(`Model "${card.id}" is not a window model (its card has no "window").`, [
        { path: 'window', message: 'required', code: 'custom' },
      ]);
    this.window = card.window;
    this.statistics = card.windowFeatures;
    this.sensorNames = card.features.map((feature) => feature.name);
    const normalizations = card.features.map((feature): Normalization =>
      feature.kind === 'numeric' ? feature.normalization : { type: 'none' },
    );
    this.offsets = Float64Array.from(normalizations, (normalization) =>
      normalization.type === 'minmax' ? normalization.min : normalization.type === 'zscore' ? normalization.mean : 0,
    );
    this.divisors = Float64Array.from(normalizations, (normalization) => {
      const divisor =
        normalization.type === 'minmax'
          ? normalization.max - normalization.min
          : normalization.type === 'zscore'
            ? normalization.std
            : 1;
      return divisor === 0 ? 1 : divisor;
    });
    this.width = this.statistics
      ? this.statistics.length * this.sensorNames.length
      : this.window.length * this.sensorNames.length;
    const sensors = this.sensorNames.length;
    const length = this.window.length;
    this.statisticCodes = Uint8Array.from(this.statistics ?? [], (statistic) => STATISTIC_CODES[statistic]);
    const centre = (length - 1) / 2;
    this.rowWeights = Float64Array.from({ length }, (_, row) => row - centre);
    let slopeDenominator = 0;
    for (let row = 0; row < length; row++) slopeDenominator += (row - centre) * (row - centre);
    this.slopeDenominator = slopeDenominator;
    this.scratchWindow = new Float64Array(length * sensors);
  }

  /**
   * Normalised, padded window as one row-major float64 array (`length × sensors`, oldest row first).
   * Throws `InsufficientDataError` for an empty history and `ValidationError` for a wrong row width or a non-finite value.
   */
  normalizedWindow(history: ReadonlyArray<ArrayLike<number>>): Float64Array {
    return this.normalizeInto(history, new Float64Array(this.window.length * this.sensorNames.length));
  }

  /** {@link normalizedWindow} into `window` (every element is written). */
  private normalizeInto(history: ReadonlyArray<ArrayLike<number>>, window: Float64Array): Float64Array {
    const length = this.window.length;
    const sensors = this.sensorNames.length;
    if (history.length === 0) throw new InsufficientDataError('The history is empty: a window needs at least one row.');
    const used = Math.min(length, history.length);
    const first = history.length - used;
    const padding = length - used;
    const offsets = this.offsets;
    const divisors = this.divisors;
    for (let row = 0; row < used; row++) {
      const raw = history[first + row]!;
      if (raw.length !== sensors) this.badWidth(row, raw.length);
      const base = (padding + row) * sensors;
      for (let sensor = 0; sensor < sensors; sensor++) {
        const value = raw[sensor]!;
        if (!Number.isFinite(value)) this.badValue(row, sensor, value);
        window[base + sensor] = (value - offsets[sensor]!) / divisors[sensor]!;
      }
    }
    if (padding > 0 && this.window.padding === 'repeat-first') {
      const oldest = window.subarray(padding * sensors, (padding + 1) * sensors);
      for (let row = 0; row < padding; row++) window.set(oldest, row * sensors);
    } else if (padding > 0) {
      window.fill(0, 0, padding * sensors);
    }
    return window;
  }

  /** Encodes a normalised window (see {@link normalizedWindow}) into `target` at `offset`. */
  encodeWindowInto(window: Float64Array, target: Float32Array, offset = 0): void {
    if (!this.statistics) {
      target.set(window, offset);
      return;
    }
    const sensors = this.sensorNames.length;
    const length = this.window.length;
    const last = (length - 1) * sensors;
    const { rowWeights, statisticCodes, slopeDenominator } = this;
    // Per sensor, scalar accumulators in row order (as in training), so results are bit-identical.
    for (let sensor = 0; sensor < sensors; sensor++) {
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let index = sensor; index < window.length; index += sensors) {
        const value = window[index]!;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      const mean = sum / length;
      let slopeNumerator = 0;
      let squares = 0;
      for (let row = 0, index = sensor; row < length; row++, index += sensors) {
        const deviation = window[index]! - mean;
        slopeNumerator += rowWeights[row]! * deviation;
        squares += deviation * deviation;
      }
      for (let statIndex = 0; statIndex < statisticCodes.length; statIndex++) {
        let value: number;
        switch (statisticCodes[statIndex]!) {
          case STAT_LAST:
            value = window[last + sensor]!;
            break;
          case STAT_FIRST:
            value = window[sensor]!;
            break;
          case STAT_MEAN:
            value = mean;
            break;
          case STAT_SLOPE:
            value = length < 2 ? 0 : slopeNumerator / slopeDenominator;
            break;
          case STAT_MIN:
            value = min;
            break;
          case STAT_MAX:
            value = max;
            break;
          default:
            value = Math.sqrt(squares / length);
            break;
        }
        target[offset + statIndex * sensors + sensor] = value;
      }
    }
  }

  private badWidth(row: number, width: number): never {
    const sensors = this.sensorNames.length;
    throw new ValidationError(
      `Invalid history: row ${row} has ${width} values, expected ${sensors} (${this.sensorNames.join(', ')}).`,
      [{ path: `history.${row}`, message: `expected ${sensors} values`, code: 'custom' }],
    );
  }

  private badValue(row: number, sensor: number, value: number): never {
    throw new ValidationError(
      `Invalid history: ${this.sensorNames[sensor]} at row ${row} is ${value}; expected a finite number.`,
      [
        {
          path: `history.${row}.${this.sensorNames[sensor]}`,
          message: 'expected a finite number',
          code: 'invalid_type',
        },
      ],
    );
  }

  /** Encodes a raw history into `target` at `offset`. */
  encodeInto(history: ReadonlyArray<ArrayLike<number>>, target: Float32Array, offset = 0): void {
    this.encodeWindowInto(this.normalizeInto(history, this.scratchWindow), target, offset);
  }

  /** Encodes a raw history into a new float32 vector of {@link width} numbers. */
  encode(history: ReadonlyArray<ArrayLike<number>>): Float32Array {
    const target = new Float32Array(this.width);
    this.encodeInto(history, target);
    return target;
  }
}
