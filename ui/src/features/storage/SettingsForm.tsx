// Why: the storage settings form — ordered tiers with their limits, the S3 archive after them, retention (also per camera) and the pass interval; checked here first with the server's own rules, saved with PUT /storage, server errors shown at their fields.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { Camera } from '../../api/types';
import { CheckboxField, Field, TextField, describedBy, fieldId } from '../../components/Field';
import { humanBytes } from './format';
import {
  ARCHIVE_KEY,
  DEFAULT_ARCHIVE_NAME,
  MAX_TIERS,
  addOverride,
  archivePathStyle,
  addTier,
  dropErrors,
  formFromConfig,
  mapServerError,
  maxAgePlaceholder,
  overrideCameraKey,
  overrideKey,
  removeOverride,
  removeTier,
  sameSettings,
  setArchive,
  setOverride,
  setTier,
  toConfig,
  validateSettings,
} from './settingsForm';
import type { ArchiveValues, FieldErrors, SettingsValues, TierValues } from './settingsForm';
import type { StorageConfig, TierView } from './types';
import { useSaveStorage } from './useStorage';

interface Props {
  api: ApiClient;
  settings: StorageConfig;
  /** The tiers as they are now: default paths and reserves for placeholders, footage for hints. */
  tiers: readonly TierView[];
  cameras: readonly Camera[];
}

const F = 'st';
const fid = (key: string) => fieldId(F, key);

const DURATION_HINT = 'A number and a unit: s, m, h, d or w (90s, 12h, 7d).';
const SIZE_HINT = 'B, KB, MB, GB, TB or KiB, MiB, GiB, TiB (500GB, 40MiB).';

interface Banner {
  /** The server's code; null for the client's own checks. */
  code: string | null;
  message: string;
  extra: string[];
}

export function SettingsForm({ api, settings, tiers, cameras }: Props) {
  const settingsKey = JSON.stringify(settings);
  // Re-parsed only when the server's settings change.
  const initial = useMemo(() => formFromConfig(settings), [settingsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const [values, setValues] = useState<SettingsValues>(initial);
  const base = useRef<SettingsValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<Banner | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSaveStorage(api);

  // New settings from the server (a save elsewhere, a refresh): follow them unless there are edits.
  useEffect(() => {
    setValues((v) => (sameSettings(v, base.current) ? initial : v));
    base.current = initial;
  }, [initial]);

  const dirty = !sameSettings(values, base.current);

  const edit = (next: SettingsValues, errorKey: string | null) => {
    setValues(next);
    setSaved(false);
    if (errorKey !== null && errorKey in errors) {
      const { [errorKey]: _gone, ...rest } = errors;
      setErrors(rest);
      // The banner was about the fields; once the last one is edited it has said its piece.
      if (Object.keys(rest).length === 0) setBanner(null);
    }
  };
  const editTier = (i: number, patch: Partial<TierValues>, key: string) => edit(setTier(values, i, patch), `tiers[${i}].${key}`);
  const editArchive = (patch: Partial<ArchiveValues>, key: string) => edit(setArchive(values, patch), `archive.${key}`);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBanner(null);
    setSaved(false);
    const local = validateSettings(values);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setBanner({ code: null, message: 'Check the highlighted fields.', extra: [] });
      return;
    }
    const sent = values;
    save.mutate(toConfig(sent, settings), {
      onSuccess: (view) => {
        const next = formFromConfig(view.settings);
        base.current = next;
        setValues(next);
        setErrors({});
        setSaved(true);
      },
      onError: (err) => {
        const apiErr = toApiError(err);
        const mapped = mapServerError(apiErr, sent);
        setErrors(mapped.fields);
        setBanner({ code: apiErr.code, message: apiErr.message, extra: mapped.unplaced });
      },
    });
  };

  const reset = () => {
    setValues(base.current);
    setErrors({});
    setBanner(null);
    setSaved(false);
  };

  const names = new Map(cameras.map((c) => [String(c.id), c.name]));
  const tierNow = (name: string) => tiers.find((t) => t.name === name.trim());
  const archive = values.archive;
  const archiveNow = tiers.find((t) => t.archive);

  return (
    <section className="st-settings card" aria-labelledby="st-settings-h">
      <div className="st-section-head">
        <h3 id="st-settings-h">Settings</h3>
        <span className="muted small">Applied at once, no restart; kept across restarts (they win over config.toml).</span>
      </div>
      <form onSubmit={submit} noValidate data-testid="storage-settings" data-dirty={dirty ? 'true' : 'false'}>
        <fieldset>
          <legend>Tiers</legend>
          <p className="hint">
            In order: recording writes to the first; footage moves on to the next when older than its max age, when the
            tier holds more than its max size, or when its disk has less free space than the reserve. The last tier
            deletes instead — except kept footage.
          </p>
          <ol className="st-tier-rows">
            {values.tiers.map((t, i) => {
              const now = tierNow(t.name);
              const first = i === 0;
              const k = (f: string) => `tiers[${i}].${f}`;
              return (
                <li key={i} className="st-tier-row" data-testid={`settings-tier-${i}`}>
                  <div className="st-tier-row-head">
                    <strong>{first ? 'Tier 1 · recording' : `Tier ${i + 1}`}</strong>
                    {!first && (
                      <button
                        type="button"
                        className="btn btn-ghost btn-small btn-danger-text"
                        onClick={() => {
                          setErrors((e) => dropErrors(e, 'tiers'));
                          edit(removeTier(values, i), null);
                        }}
                        aria-label={`Remove tier ${t.name || i + 1}`}
                        title={
                          now && now.segments > 0
                            ? 'Its footage stays readable but is no longer moved or deleted'
                            : 'Remove this tier'
                        }
                        data-testid={`settings-tier-remove-${i}`}
                      >
                        Remove
                      </button>
                    )}
                  </div>
                  <div className="st-fields">
                    <TextField
                      id={fid(k('name'))}
                      label="Name"
                      errorKey={k('name')}
                      error={errors[k('name')]}
                      value={t.name}
                      onValue={(v) => editTier(i, { name: v }, 'name')}
                      disabled={first}
                      hint={first ? 'Recording’s tier: change it in config.toml and restart.' : undefined}
                      spellCheck={false}
                      autoComplete="off"
                    />
                    <TextField
                      id={fid(k('path'))}
                      label="Path"
                      errorKey={k('path')}
                      error={errors[k('path')]}
                      value={t.path}
                      onValue={(v) => editTier(i, { path: v }, 'path')}
                      disabled={first}
                      placeholder={first ? (now?.path ?? 'DATA_DIR/recordings') : '/mnt/disk/vigil'}
                      hint={!first && now && now.segments > 0 ? 'Holds footage: its path cannot change.' : undefined}
                      spellCheck={false}
                      autoComplete="off"
                    />
                    <TextField
                      id={fid(k('max_age'))}
                      label="Max age"
                      errorKey={k('max_age')}
                      error={errors[k('max_age')]}
                      value={t.maxAge}
                      onValue={(v) => editTier(i, { maxAge: v }, 'max_age')}
                      placeholder={maxAgePlaceholder(i, values.tiers.length, archive.enabled)}
                      autoComplete="off"
                    />
                    <TextField
                      id={fid(k('max_size'))}
                      label="Max size"
                      errorKey={k('max_size')}
                      error={errors[k('max_size')]}
                      value={t.maxSize}
                      onValue={(v) => editTier(i, { maxSize: v }, 'max_size')}
                      placeholder="no limit"
                      autoComplete="off"
                    />
                    <TextField
                      id={fid(k('reserve_free'))}
                      label="Reserve free"
                      errorKey={k('reserve_free')}
                      error={errors[k('reserve_free')]}
                      value={t.reserveFree}
                      onValue={(v) => editTier(i, { reserveFree: v }, 'reserve_free')}
                      placeholder={now ? `default (${humanBytes(now.reserve_free_bytes)})` : 'default'}
                      autoComplete="off"
                    />
                  </div>
                </li>
              );
            })}
          </ol>
          {errors.tiers && (
            <p className="field-error" data-testid="field-error-tiers">
              {errors.tiers}
            </p>
          )}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => edit(addTier(values), 'tiers')}
            disabled={values.tiers.length >= MAX_TIERS}
            data-testid="settings-tier-add"
          >
            Add tier
          </button>
          <p className="hint">
            Durations: {DURATION_HINT} Sizes: {SIZE_HINT} A new tier’s directory is initialised on save — mount a NAS first.
          </p>
        </fieldset>

        <fieldset data-testid="settings-archive" data-enabled={archive.enabled ? 'true' : 'false'}>
          <legend>Archive (S3)</legend>
          <CheckboxField
            id={fid(ARCHIVE_KEY)}
            label="After the last tier, move footage to an S3 bucket"
            checked={archive.enabled}
            onChecked={(on) => {
              setErrors((e) => dropErrors(e, ARCHIVE_KEY));
              edit(setArchive(values, { enabled: on }), null);
            }}
            errorKey={ARCHIVE_KEY}
            error={errors[ARCHIVE_KEY]}
            testId="settings-archive-enabled"
          />
          {archive.enabled && (
            <>
              <p className="hint">
                AWS S3, MinIO or a NAS’s S3 service. Footage stays playable from there; the last tier deletes no more, the
                archive does (after its max age, or as retention says). Access keys are set below.
              </p>
              <div className="st-fields st-archive-fields">
                <TextField
                  id={fid('archive.url')}
                  label="Bucket URL"
                  errorKey="archive.url"
                  error={errors['archive.url']}
                  value={archive.url}
                  onValue={(v) => editArchive({ url: v }, 'url')}
                  placeholder="s3://bucket/prefix"
                  hint={archiveNow && archiveNow.segments > 0 ? 'Holds footage: its bucket and prefix cannot change.' : undefined}
                  spellCheck={false}
                  autoComplete="off"
                />
                <TextField
                  id={fid('archive.endpoint')}
                  label="Endpoint"
                  errorKey="archive.endpoint"
                  error={errors['archive.endpoint']}
                  value={archive.endpoint}
                  onValue={(v) => editArchive({ endpoint: v }, 'endpoint')}
                  placeholder="AWS (or http://nas.local:9000)"
                  spellCheck={false}
                  autoComplete="off"
                />
                <TextField
                  id={fid('archive.region')}
                  label="Region"
                  errorKey="archive.region"
                  error={errors['archive.region']}
                  value={archive.region}
                  onValue={(v) => editArchive({ region: v }, 'region')}
                  placeholder="default us-east-1"
                  spellCheck={false}
                  autoComplete="off"
                />
                <TextField
                  id={fid('archive.max_age')}
                  label="Max age"
                  errorKey="archive.max_age"
                  error={errors['archive.max_age']}
                  value={archive.maxAge}
                  onValue={(v) => editArchive({ maxAge: v }, 'max_age')}
                  placeholder="no limit"
                  hint="Deleted from the archive after this."
                  autoComplete="off"
                />
                <TextField
                  id={fid('archive.name')}
                  label="Tier name"
                  errorKey="archive.name"
                  error={errors['archive.name']}
                  value={archive.name}
                  onValue={(v) => editArchive({ name: v }, 'name')}
                  placeholder={`default ${DEFAULT_ARCHIVE_NAME}`}
                  hint={archiveNow && archiveNow.segments > 0 ? 'Holds footage: its name cannot change.' : undefined}
                  spellCheck={false}
                  autoComplete="off"
                />
              </div>
              <CheckboxField
                id={fid('archive.path_style')}
                label={`Path-style requests (endpoint/bucket/key)${archive.pathStyle === null ? ' — default: on with an endpoint' : ''}`}
                checked={archivePathStyle(archive)}
                onChecked={(on) => editArchive({ pathStyle: on }, 'path_style')}
                errorKey="archive.path_style"
                error={errors['archive.path_style']}
                testId="settings-archive-path-style"
              />
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Retention</legend>
          <div className="st-fields">
            <TextField
              id={fid('retention.continuous')}
              label="Continuous footage"
              errorKey="retention.continuous"
              error={errors['retention.continuous']}
              value={values.continuous}
              onValue={(v) => edit({ ...values, continuous: v }, 'retention.continuous')}
              placeholder="kept (until free space)"
              hint="Deleted after this, whatever tier."
              autoComplete="off"
            />
            <TextField
              id={fid('retention.events')}
              label="Event footage"
              errorKey="retention.events"
              error={errors['retention.events']}
              value={values.events}
              onValue={(v) => edit({ ...values, events: v }, 'retention.events')}
              placeholder="as continuous"
              hint="Overlapping a detection or alert; not shorter than continuous."
              autoComplete="off"
            />
            <TextField
              id={fid('retention.event_padding')}
              label="Event padding"
              errorKey="retention.event_padding"
              error={errors['retention.event_padding']}
              value={values.eventPadding}
              onValue={(v) => edit({ ...values, eventPadding: v }, 'retention.event_padding')}
              placeholder="default 10s"
              hint="Kept either side of an event (at most 1h)."
              autoComplete="off"
            />
            <TextField
              id={fid('check_interval')}
              label="Maintenance every"
              errorKey="check_interval"
              error={errors.check_interval}
              value={values.checkInterval}
              onValue={(v) => edit({ ...values, checkInterval: v }, 'check_interval')}
              placeholder="default 10m"
              hint="10s to 1d; free space is checked every 30 s regardless."
              autoComplete="off"
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>Per camera</legend>
          {values.overrides.length === 0 && <p className="hint">Every camera follows the retention above.</p>}
          <ul className="st-overrides">
            {values.overrides.map((o, i) => {
              const camKey = overrideCameraKey(i);
              const cKey = overrideKey(o, i, 'continuous');
              const eKey = overrideKey(o, i, 'events');
              const orphan = o.cameraId !== '' && !names.has(o.cameraId);
              return (
                <li key={i} className="st-override" data-testid={`settings-override-${i}`}>
                  <Field id={fid(camKey)} label="Camera" errorKey={camKey} error={errors[camKey]}>
                    <select
                      id={fid(camKey)}
                      value={o.cameraId}
                      onChange={(e) => {
                        setErrors((er) => dropErrors(er, `retention.cameras`));
                        edit(setOverride(values, i, { cameraId: e.target.value }), camKey);
                      }}
                      {...describedBy(fid(camKey), errors[camKey])}
                    >
                      <option value="">Choose…</option>
                      {orphan && <option value={o.cameraId}>Camera {o.cameraId} (deleted)</option>}
                      {cameras.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <TextField
                    id={fid(cKey)}
                    label="Continuous"
                    errorKey={cKey}
                    error={errors[cKey]}
                    value={o.continuous}
                    onValue={(v) => edit(setOverride(values, i, { continuous: v }), cKey)}
                    placeholder="as above"
                    autoComplete="off"
                  />
                  <TextField
                    id={fid(eKey)}
                    label="Events"
                    errorKey={eKey}
                    error={errors[eKey]}
                    value={o.events}
                    onValue={(v) => edit(setOverride(values, i, { events: v }), eKey)}
                    placeholder="as above"
                    autoComplete="off"
                  />
                  <button
                    type="button"
                    className="btn btn-ghost btn-small btn-danger-text st-override-remove"
                    onClick={() => {
                      setErrors((er) => dropErrors(er, 'retention.cameras'));
                      edit(removeOverride(values, i), null);
                    }}
                    aria-label={`Remove the override for ${names.get(o.cameraId) ?? 'this camera'}`}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => edit(addOverride(values), null)}
            disabled={cameras.length === 0}
            data-testid="settings-override-add"
          >
            Add camera override
          </button>
        </fieldset>

        {banner && (
          <div className="banner banner-error st-settings-banner" role="alert" data-testid="settings-error">
            {banner.code && <strong>{banner.code}</strong>} {banner.message}
            {banner.extra.length > 0 && (
              <ul>
                {banner.extra.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="st-settings-actions">
          {saved && !dirty && (
            <span className="st-saved" role="status" data-testid="settings-saved">
              ✓ Saved
            </span>
          )}
          {dirty && <span className="muted small">Unsaved changes</span>}
          <button type="button" className="btn btn-ghost" onClick={reset} disabled={!dirty || save.isPending}>
            Reset
          </button>
          <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="settings-save">
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </section>
  );
}
