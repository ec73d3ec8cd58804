/**
 * Puts a name on a log finding (implemented by `IncidentClassifier` in @iac-dharma/models-text); its answer is
 * stored in the finding's `data.classification`.
 */
export interface LogFindingClassifier {
  classifyFinding(finding: { summary: string; data: Record<string, unknown> }): Promise<Record<string, unknown>>;
}
