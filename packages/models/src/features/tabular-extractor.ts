import { ValidationError } from '@iac-dharma/core/kernel';
import type { FeatureSpec, ModelCard, NumericFeatureSpec } from '../card/model-card-schema.js';
import { parseNumber } from './parse-number.js';

/** What the extractor had to repair while encoding: counts per feature name. */
export interface ExtractionNotes {
  /** Blank/unparseable numeric values replaced by the card's `missing.value`. */
  imputed: Map<string, number>;
  /** Categorical values not in the card's categories (encoded as all zeros). */
  unknownCategories: Map<string, number>;
}

/** A fresh, empty {@link ExtractionNotes}. */
export function createExtractionNotes(): ExtractionNotes {
  return { imputed: new Map(), unknownCategories: new Map() };
}

/**
 * Encodes tabular rows exactly like training: for each card feature in order, numeric → one column
 * (blank/unparseable values imputed per `missing`, then normalised, in float64), categorical → one column
 * per category (1 for the matching category, unknown → all zeros); cast to float32 at the end.
 */
export class TabularExtractor {
  /** Encoded columns per row. */
  readonly width: number;
  /** Name of each encoded column: `feature` or `feature=category`. */
  readonly columnNames: readonly string[];
  /** The raw field names a row must provide. */
  readonly featureNames: readonly string[];
  private readonly categoryIndex: ReadonlyArray<Map<string, number> | undefined>;
  /** Per-feature lookup tables for the hot path: field name, 1 = categorical, encoded width, normalised = (x − offset) / divisor. */
  private readonly names: readonly string[];
  private readonly categorical: Uint8Array;
  private readonly widths: Uint32Array;
  private readonly offsets: Float64Array;
  private readonly divisors: Float64Array;

  constructor(private readonly features: readonly FeatureSpec[]) {
    this.featureNames = features.map((feature) => feature.name);
    this.columnNames = features.flatMap((feature) =>
      feature.kind === 'numeric' ? [feature.name] : feature.categories.map((category) => `${feature.name}=${category}`),
    );
    this.width = this.columnNames.length;
    this.categoryIndex = features.map((feature) =>
      feature.kind === 'categorical'
        ? new Map(feature.categories.map((category, index) => [category, index]))
        : undefined,
    );
    this.names = features.map((feature) => feature.name);
    this.categorical = Uint8Array.from(features, (feature) => (feature.kind === 'categorical' ? 1 : 0));
    this.widths = Uint32Array.from(features, (feature) =>
      feature.kind === 'categorical' ? feature.categories.length : 1,
    );
    const normalizations = features.map((feature) => (feature.kind === 'numeric' ? feature.normalization : undefined));
    this.offsets = Float64Array.from(normalizations, (normalization) =>
      normalization?.type === 'minmax' ? normalization.min : normalization?.type === 'zscore' ? normalization.mean : 0,
    );
    this.divisors = Float64Array.from(normalizations, (normalization) => {
      const divisor =
        normalization?.type === 'minmax'
          ? normalization.max - normalization.min
          : normalization?.type === 'zscore'
            ? normalization.std
            : 1;
      return divisor === 0 ? 1 : divisor;
    });
  }

  /** An extractor for a tabular model card. */
  static fromCard(card: ModelCard): TabularExtractor {
    return new TabularExtractor(card.features);
  }

  /**
   * Encodes one raw row (object keyed by feature name; CSV strings or numbers) into `target` at `offset`.
   * Throws `ValidationError` naming the field when a numeric value is missing or unparseable and the card has no rule for it.
   */
  encodeInto(row: Readonly<Record<string, unknown>>, target: Float32Array, offset = 0, notes?: ExtractionNotes): void {
    let column = offset;
    const { names, categorical, widths, offsets, divisors, categoryIndex } = this;
    for (let featureIndex = 0; featureIndex < names.length; featureIndex++) {
      const raw = row[names[featureIndex]!];
      if (categorical[featureIndex] === 0) {
        let value = typeof raw === 'number' && Math.abs(raw) <= 1e18 ? raw : parseNumber(raw);
        if (typeof value !== 'number')
          value = this.repair(this.features[featureIndex] as NumericFeatureSpec, raw, value, notes);
        // Same float64 arithmetic as `normalize()`: (x − min) / range, (x − mean) / std, or x − 0 / 1 for 'none'.
        target[column++] = (value - offsets[featureIndex]!) / divisors[featureIndex]!;
        continue;
      }
      const width = widths[featureIndex]!;
      target.fill(0, column, column + width);
      const index =
        raw === null || raw === undefined
          ? undefined
          : categoryIndex[featureIndex]!.get(typeof raw === 'string' ? raw : String(raw));
      if (index !== undefined) target[column + index] = 1;
      else if (notes)
        notes.unknownCategories.set(names[featureIndex]!, (notes.unknownCategories.get(names[featureIndex]!) ?? 0) + 1);
      column += width;
    }
  }

  /** Applies the card's missing-value rule, or throws a `ValidationError` naming the field. */
  private repair(
    feature: NumericFeatureSpec,
    raw: unknown,
    problem: 'blank' | 'invalid',
    notes: ExtractionNotes | undefined,
  ): number {
    const rule = feature.missing;
    if (!rule || (problem === 'invalid' && rule.when === 'blank')) {
      const shown = JSON.stringify(raw) ?? 'nothing';
      throw new ValidationError(`Invalid row: row.${feature.name}: expected a number, got ${shown}`, [
        { path: feature.name, message: `expected a number, got ${shown}`, code: 'invalid_type' },
      ]);
    }
    if (notes) notes.imputed.set(feature.name, (notes.imputed.get(feature.name) ?? 0) + 1);
    return rule.value;
  }

  /** Encodes one row into a new float32 vector of {@link width} columns. */
  encode(row: Readonly<Record<string, unknown>>, notes?: ExtractionNotes): Float32Array {
    const target = new Float32Array(this.width);
    this.encodeInto(row, target, 0, notes);
    return target;
  }

  /** Encodes rows into one row-major float32 matrix (`rows × width`), ready for one batch run. */
  encodeBatch(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, notes?: ExtractionNotes): Float32Array {
    const target = new Float32Array(rows.length * this.width);
    rows.forEach((row, index) => this.encodeInto(row, target, index * this.width, notes));
    return target;
  }
}
