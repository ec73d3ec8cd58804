import { z } from 'zod';

/** One parity row: the raw input, the encoded model input the training side produced, and its outputs. */
export const ParityRowSchema = z.object({
  /** Inputs before normalisation/encoding (tabular: object by feature name; window models: see the file). */
  raw: z.unknown(),
  /** The float32 model input, flattened per row when the input has more than two dimensions. */
  input: z.array(z.unknown()),
  /** Every output tensor of the row, by output name. */
  outputs: z.record(z.string(), z.unknown()),
});

/**
 * `parity.json` written next to each model by the training pipeline: rows that the TypeScript extractor
 * and runtime must reproduce (within 1e-5). Used by the parity tests and handy when you bring your own model.
 */
export const ParityFileSchema = z
  .object({
    model: z.string().min(1),
    rawFormat: z.string().default(''),
    /** Window models: sensor names of the raw matrix columns, once for all rows. */
    sensorNames: z.array(z.string()).optional(),
    inputName: z.string().optional(),
    rows: z.array(ParityRowSchema).min(1),
  })
  .loose();
export type ParityFile = z.output<typeof ParityFileSchema>;
export type ParityRow = z.output<typeof ParityRowSchema>;
