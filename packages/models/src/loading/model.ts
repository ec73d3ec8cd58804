import {
  StateError,
  ValidationError,
  type CallOptions,
  type ModelSession,
  type TensorData,
} from '@iac-dharma/core/kernel';
import type { ModelCard } from '../card/model-card-schema.js';

/** An output tensor as a row-major matrix: `rows × columns` float values. */
export interface OutputMatrix {
  values: Float64Array;
  rows: number;
  columns: number;
}

/**
 * A loaded, verified model: its card and one ONNX session, created once and reused. `run` scores a
 * whole batch of encoded rows with a single `session.run()`.
 */
export class Model {
  /** The model id from the card, e.g. `threat`. */
  readonly id: string;
  /** Name of the graph's input tensor. */
  readonly inputName: string;
  /** Numbers per encoded row (flattened for sequence inputs: window length × sensors). */
  readonly rowWidth: number;
  private released = false;

  constructor(
    readonly card: ModelCard,
    readonly session: ModelSession,
    private readonly onRelease?: () => void,
  ) {
    this.id = card.id;
    this.inputName = card.inputs[0]!.name;
    this.rowWidth = card.window && !card.windowFeatures ? card.window.length * card.features.length : card.encodedWidth;
  }

  /** Dimensions of the input tensor for `rows` rows. */
  inputDims(rows: number): number[] {
    const card = this.card;
    return card.window && !card.windowFeatures
      ? [rows, card.window.length, card.features.length]
      : [rows, card.encodedWidth];
  }

  /** Runs the model on `rows` encoded rows laid out one after another in `input`; returns every output. */
  run(input: Float32Array, rows: number, options: CallOptions = {}): Promise<Record<string, TensorData>> {
    // Not `async`: one promise layer less on the hot path; every failure is still a rejected promise.
    try {
      if (this.released) throw new StateError(`Model "${this.id}" was released: load it again.`);
      if (input.length !== rows * this.rowWidth) {
        throw new ValidationError(
          `Model "${this.id}" expects ${this.rowWidth} numbers per row; got ${input.length} for ${rows} rows.`,
          [{ path: 'input', message: `expected length ${rows * this.rowWidth}`, code: 'custom' }],
        );
      }
      return this.session.run(
        { [this.inputName]: { type: 'float32', data: input, dims: this.inputDims(rows) } },
        options,
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs the model and returns output `name` as a matrix (one row per input row). */
  async runMatrix(input: Float32Array, rows: number, name: string, options: CallOptions = {}): Promise<OutputMatrix> {
    const outputs = await this.run(input, rows, options);
    return toMatrix(outputs, name, rows, this.id);
  }

  /** Releases the session. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.onRelease?.();
    await this.session.release();
  }
}

/** Converts output `name` to a float matrix of `rows` rows (int64 labels become numbers). */
export function toMatrix(
  outputs: Record<string, TensorData>,
  name: string,
  rows: number,
  modelId = 'model',
): OutputMatrix {
  const tensor = outputs[name];
  if (!tensor)
    throw new StateError(`Model "${modelId}" has no output "${name}"; it has ${Object.keys(outputs).join(', ')}.`);
  const data = tensor.data;
  const values = new Float64Array(data.length);
  for (let index = 0; index < data.length; index++) values[index] = Number(data[index]);
  return { values, rows, columns: rows === 0 ? 0 : data.length / rows };
}
