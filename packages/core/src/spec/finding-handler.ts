import type { Finding } from '../schemas/finding.js';
import type { RemediationResult } from '../schemas/remediation.js';
import type { AnalyzerContext } from './analyzer.js';
import type { ComponentHealth } from './common.js';

/** What the engine gives a {@link FindingHandler}. */
export interface FindingHandlerContext extends AnalyzerContext {
  /** Reports a remediation result: the engine emits it as `remediation` and publishes it to `remediations`. */
  reportRemediation(result: RemediationResult): void;
}

/**
 * Something that acts on findings after they are stored and published: the `Remediator`, or your own.
 * The engine calls it in the background; a rejection is reported through the engine's `error` event.
 */
export interface FindingHandler {
  /**
   * Version of this contract the handler implements. Optional for handlers written before it existed
   * (they are taken as `'v1'`); the built-in handlers set it.
   */
  readonly specificationVersion?: 'v1';
  /** Name in error reports and health. */
  readonly name: string;
  handleFinding(finding: Finding, context: FindingHandlerContext): Promise<void>;
  /** Wait for in-flight work. */
  flush?(): Promise<void>;
  health?(): Promise<ComponentHealth>;
  close?(): Promise<void>;
}
