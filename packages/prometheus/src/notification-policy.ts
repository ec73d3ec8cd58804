import { compareSeverity, type Finding, type FindingKind, type Severity } from '@iac-dharma/core/kernel';

/** Which findings a notifier sends (every listed condition must hold). */
export interface FindingMatch {
  /** Least severity sent. @default 'medium' */
  minSeverity?: Severity;
  /** Finding kinds sent. @default every kind */
  kinds?: FindingKind[];
  /** A regular expression the finding's resource must match. */
  resource?: string | RegExp;
}

/** Whether a finding matches. @internal */
export function matches(finding: Finding, match: FindingMatch, defaultMinSeverity: Severity): boolean {
  if (compareSeverity(finding.severity, match.minSeverity ?? defaultMinSeverity) < 0) return false;
  if (match.kinds && !match.kinds.includes(finding.kind)) return false;
  if (match.resource !== undefined) {
    const pattern = typeof match.resource === 'string' ? new RegExp(match.resource) : match.resource;
    if (!pattern.test(finding.resource)) return false;
  }
  return true;
}

/** The key findings are de-duplicated by: kind, resource and series. @internal */
export function findingKey(finding: Finding): string {
  return `${finding.kind}|${finding.resource}|${finding.series ?? ''}`;
}

/**
 * De-duplication and rate limiting shared by the Slack and PagerDuty notifiers: a key is sent again only
 * after `dedupeMs`, or at once when its severity rises; at most `maxPerMinute` sends per minute (token
 * bucket), the rest counted as rate-limited and dropped. @internal
 */
export class NotificationGate {
  private readonly sent = new Map<string, { at: number; severity: Severity }>();
  private tokens: number;
  private refilledAt: number;
  readonly counts = { sent: 0, deduplicated: 0, rateLimited: 0, filtered: 0, failed: 0 };

  constructor(
    private readonly dedupeMs: number,
    private readonly maxPerMinute: number,
    private readonly now: () => number,
  ) {
    this.tokens = maxPerMinute;
    this.refilledAt = now();
  }

  /** Whether to send now; records the send when yes. */
  admit(key: string, severity: Severity): boolean {
    const at = this.now();
    const previous = this.sent.get(key);
    if (previous && at - previous.at < this.dedupeMs && compareSeverity(severity, previous.severity) <= 0) {
      this.counts.deduplicated++;
      return false;
    }
    this.tokens = Math.min(this.maxPerMinute, this.tokens + ((at - this.refilledAt) / 60_000) * this.maxPerMinute);
    this.refilledAt = at;
    if (this.tokens < 1) {
      this.counts.rateLimited++;
      return false;
    }
    this.tokens -= 1;
    this.sent.set(key, { at, severity });
    if (this.sent.size > 10_000) this.sent.delete(this.sent.keys().next().value!);
    return true;
  }

  /** Forgets a key (after a resolve, the next trigger is sent at once). */
  forget(key: string): void {
    this.sent.delete(key);
  }
}
