// Why: the controls the alert list and the Review page share — a time range (a span back from now, or between two instants) and the "show older" button of a paged list with its error and Retry.
import type { ApiError } from '../../api/client';
import { TIME_RANGES } from './alertState';
import type { TimeRange } from './alertState';

interface RangeProps {
  value: { range: TimeRange; from: string; to: string };
  onChange: (v: { range: TimeRange; from: string; to: string }) => void;
  /** Test ids: `${testId}-range`, `-from`, `-to`. */
  testId: string;
}

export function TimeRangeFilter({ value, onChange, testId }: RangeProps) {
  return (
    <>
      <select
        aria-label="When"
        value={value.range}
        onChange={(e) => onChange({ ...value, range: e.target.value as TimeRange })}
        data-testid={`${testId}-range`}
      >
        {TIME_RANGES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      {value.range === 'custom' && (
        <span className="alert-filter-between">
          <input
            type="datetime-local"
            aria-label="From"
            value={value.from}
            onChange={(e) => onChange({ ...value, from: e.target.value })}
            data-testid={`${testId}-from`}
          />
          <span aria-hidden="true">–</span>
          <input
            type="datetime-local"
            aria-label="To"
            value={value.to}
            onChange={(e) => onChange({ ...value, to: e.target.value })}
            data-testid={`${testId}-to`}
          />
        </span>
      )}
    </>
  );
}

interface OlderProps {
  paged: { more: boolean; loadingMore: boolean; olderError: ApiError | null; retry: () => void; showOlder: () => void };
  /** "alerts", "incidents". */
  noun: string;
  className: string;
  /** Test ids: `${testId}-more`, `${testId}-older-error`. */
  testId: string;
}

export function OlderPages({ paged, noun, className, testId }: OlderProps) {
  return (
    <>
      {paged.olderError && (
        <p className="banner banner-error small" role="alert" data-testid={`${testId}-older-error`}>
          Older {noun} could not be loaded: {paged.olderError.code} {paged.olderError.message}{' '}
          <button type="button" className="btn btn-small" onClick={paged.retry}>
            Retry
          </button>
        </p>
      )}
      {(paged.more || paged.loadingMore) && (
        <button type="button" className={className} onClick={paged.showOlder} disabled={paged.loadingMore} data-testid={`${testId}-more`}>
          {paged.loadingMore ? 'Loading…' : `Show older ${noun}`}
        </button>
      )}
    </>
  );
}
