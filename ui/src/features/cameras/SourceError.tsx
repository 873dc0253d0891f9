// Why: how a camera source's failure shows on the Cameras page — the plain-language title and hint for its code, with
// the server's raw code and message kept behind "Details" for whoever needs them.
import type { SourceKind } from '../../api/types';
import { sourceHint } from './sourceHints';

interface Props {
  code: string | null | undefined;
  message: string;
  kind: SourceKind | null;
  testId?: string;
  /** In a table cell: the title only, the hint inside Details with the raw error. */
  compact?: boolean;
  /** `alert` where it appears in answer to the user (a connection test), so screen readers say it. */
  role?: 'alert';
}

export function SourceError({ code, message, kind, testId, compact = false, role }: Props) {
  const { title, hint } = sourceHint(code, kind);
  return (
    <div className={`source-error ${compact ? 'source-error-compact' : ''}`} role={role} data-testid={testId}>
      <strong className="source-error-title" data-testid={testId && `${testId}-title`}>
        {title}
      </strong>
      {!compact && <p className="source-error-hint">{hint}</p>}
      <details className="source-error-details" data-testid={testId && `${testId}-details`}>
        <summary>Details</summary>
        {compact && <p className="source-error-hint">{hint}</p>}
        <p className="source-error-raw">
          {code && <code>{code}</code>} {message}
        </p>
      </details>
    </div>
  );
}
