import { parseWith } from '@iac-dharma/core/kernel';
import { ModelCardSchema, type ModelCard } from './model-card-schema.js';

/**
 * Validates a model card (parsed JSON). Throws core's `ValidationError` naming the offending field,
 * e.g. `Invalid model card: model card.sha256: must be 64 lower-case hex characters`.
 */
export function parseModelCard(value: unknown, context = 'model card'): ModelCard {
  return parseWith(ModelCardSchema, value, context);
}
