// Why: one card per storage tier — a bar of its filesystem (our footage, anything else, free) with the free-space reserve marked, online or offline and why, oldest and newest footage, days until full.
import { humanBytes, humanDays, humanWhen } from './format';
import type { TierView } from './types';
import { pct, usageBar } from './usageBar';
import { seriesColor } from './usageChart';

interface Props {
  tiers: readonly TierView[];
  /** The tier recording writes to (its days-until-full is the one that matters). */
  recording: string | null;
}

function TierCard({ tier: t, index, recording }: { tier: TierView; index: number; recording: boolean }) {
  // The S3 archive has no filesystem: footage only, no bar.
  const bar = t.archive ? null : usageBar(t);
  const summary = t.archive
    ? `${t.name}: S3 archive holding ${humanBytes(t.used_bytes)} of footage`
    : bar
    ? `${t.name}: ${humanBytes(t.used_bytes)} footage, ${humanBytes(bar.otherBytes)} other, ${humanBytes(t.free_bytes)} free of ${humanBytes(t.capacity_bytes)}; reserve ${humanBytes(t.reserve_free_bytes)}`
    : `${t.name}: size unknown`;
  return (
    <li
      className={`st-tier card ${t.online ? '' : 'is-offline'}`}
      data-testid={`tier-${t.name}`}
      data-online={t.online ? 'true' : 'false'}
    >
      <div className="st-tier-head">
        <span className="st-swatch" style={{ background: seriesColor(index) }} aria-hidden="true" />
        <strong className="st-tier-name">{t.name}</strong>
        <code className="st-path" title={t.path}>
          {t.path}
        </code>
        {recording && <span className="st-tag">recording</span>}
        {t.archive && <span className="st-tag">S3 archive</span>}
        {!t.configured && (
          <span className="st-tag" title="No longer in the settings: its footage stays readable and is not moved or deleted">
            not configured
          </span>
        )}
        <span className={`badge ${t.online ? 'status-running' : 'status-error'}`} data-testid={`tier-state-${t.name}`}>
          {t.online ? 'online' : 'offline'}
        </span>
      </div>
      {!t.online && (
        <p className="st-offline small" role="status" data-testid={`tier-offline-${t.name}`}>
          {t.offline_reason || 'Offline'} — nothing is written to it or deleted because of it until it is back.
        </p>
      )}
      <div className="st-bar" role="img" aria-label={summary} data-testid={`tier-bar-${t.name}`} title={summary}>
        {bar ? (
          <>
            {/* Any footage at all stays visible as a sliver, however large the disk. */}
            <span
              className="st-bar-footage"
              style={{ width: pct(bar.footage), minWidth: t.used_bytes > 0 ? 2 : 0 }}
              data-testid={`tier-bar-footage-${t.name}`}
              data-fraction={bar.footage}
            />
            <span className="st-bar-other" style={{ width: pct(bar.other) }} />
            <span className="st-bar-free" style={{ width: pct(bar.free) }} />
            {bar.reserveAt !== null && (
              <span
                className={`st-bar-reserve ${bar.short ? 'is-short' : ''}`}
                style={{ left: pct(bar.reserveAt) }}
                data-testid={`tier-reserve-${t.name}`}
              />
            )}
          </>
        ) : (
          <span className="st-bar-unknown">{t.archive ? 'object store: no fixed size' : 'size unknown'}</span>
        )}
      </div>
      <div className="st-tier-legend small">
        <span>
          <span className="st-key st-key-footage" aria-hidden="true" /> footage <strong>{humanBytes(t.used_bytes)}</strong>
        </span>
        {bar && (
          <span>
            <span className="st-key st-key-other" aria-hidden="true" /> other {humanBytes(bar.otherBytes)}
          </span>
        )}
        {!t.archive && (
          <>
            <span>
              <span className="st-key st-key-free" aria-hidden="true" /> free {humanBytes(t.free_bytes)} of{' '}
              {humanBytes(t.capacity_bytes)}
            </span>
            <span className={bar?.short ? 'st-short' : ''}>
              <span className="st-key st-key-reserve" aria-hidden="true" /> reserve {humanBytes(t.reserve_free_bytes)}
              {bar?.short ? ' — below it: footage is being moved or deleted' : ''}
            </span>
          </>
        )}
      </div>
      <dl className="st-facts small">
        <div>
          <dt>Segments</dt>
          <dd>{t.segments.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Oldest</dt>
          <dd>{humanWhen(t.oldest)}</dd>
        </div>
        <div>
          <dt>Newest</dt>
          <dd>{humanWhen(t.newest)}</dd>
        </div>
        <div>
          <dt>Full in</dt>
          <dd data-testid={`tier-full-${t.name}`}>
            {recording ? humanDays(t.days_until_full) : <span className="muted">— (fed by moves)</span>}
          </dd>
        </div>
      </dl>
    </li>
  );
}

export function TierBars({ tiers, recording }: Props) {
  if (tiers.length === 0) return <p className="muted">No tiers.</p>;
  return (
    <ul className="st-tiers" data-testid="tier-list">
      {tiers.map((t, i) => (
        <TierCard key={t.name} tier={t} index={i} recording={t.name === recording} />
      ))}
    </ul>
  );
}
