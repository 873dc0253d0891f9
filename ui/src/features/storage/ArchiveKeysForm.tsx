// Why: the S3 archive's access keys — written to the server's credential store (PUT), forgotten (DELETE), never read back: the page only says whether keys are stored, and the secret input is never filled.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import { TextField, fieldId } from '../../components/Field';
import { toKeys, validateKeys } from './settingsForm';
import type { FieldErrors, KeysValues } from './settingsForm';
import { useForgetArchiveKeys, useSaveArchiveKeys } from './useStorage';

interface Props {
  api: ApiClient;
  /** `archive_keys_stored` of `GET /storage`. */
  stored: boolean;
}

const F = 'ak';
const EMPTY: KeysValues = { accessKeyId: '', secretAccessKey: '' };

interface Banner {
  code: string;
  message: string;
}

export function ArchiveKeysForm({ api, stored }: Props) {
  const [values, setValues] = useState<KeysValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<Banner | null>(null);
  const [done, setDone] = useState<'saved' | 'forgotten' | null>(null);
  const save = useSaveArchiveKeys(api);
  const forget = useForgetArchiveKeys(api);
  const busy = save.isPending || forget.isPending;

  const edit = (patch: Partial<KeysValues>, key: string) => {
    setValues((v) => ({ ...v, ...patch }));
    setDone(null);
    if (key in errors) {
      const { [key]: _gone, ...rest } = errors;
      setErrors(rest);
    }
  };

  const failed = (err: unknown) => {
    const e = toApiError(err);
    const fields: FieldErrors = {};
    const extra: string[] = [];
    for (const [k, msg] of Object.entries(e.fields)) {
      if (k === 'access_key_id' || k === 'secret_access_key') fields[k] = msg;
      else extra.push(`${k}: ${msg}`);
    }
    setErrors(fields);
    setBanner({ code: e.code, message: [e.message, ...extra].join('; ') });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBanner(null);
    setDone(null);
    const local = validateKeys(values);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    save.mutate(toKeys(values), {
      onSuccess: () => {
        // The secret leaves the page once sent.
        setValues(EMPTY);
        setDone('saved');
      },
      onError: failed,
    });
  };

  const forgetKeys = () => {
    setBanner(null);
    setDone(null);
    setErrors({});
    forget.mutate(undefined, { onSuccess: () => setDone('forgotten'), onError: failed });
  };

  return (
    <section className="st-keys card" aria-labelledby="st-keys-h">
      <div className="st-section-head">
        <h3 id="st-keys-h">Access keys</h3>
        <span className={`small ${stored ? '' : 'muted'}`} data-testid="archive-keys-status" data-stored={stored ? 'true' : 'false'}>
          {stored ? 'Keys stored' : 'No keys stored (AWS environment variables apply)'}
        </span>
      </div>
      <p className="hint">
        The S3 archive’s access key. Kept in the server’s credential store and never shown again; saving replaces the keys
        stored.
      </p>
      <form onSubmit={submit} noValidate className="st-keys-form" data-testid="archive-keys-form">
        <TextField
          id={fieldId(F, 'access_key_id')}
          label="Access key ID"
          errorKey="access_key_id"
          error={errors.access_key_id}
          value={values.accessKeyId}
          onValue={(v) => edit({ accessKeyId: v }, 'access_key_id')}
          spellCheck={false}
          autoComplete="off"
        />
        <TextField
          id={fieldId(F, 'secret_access_key')}
          type="password"
          label="Secret access key"
          errorKey="secret_access_key"
          error={errors.secret_access_key}
          value={values.secretAccessKey}
          onValue={(v) => edit({ secretAccessKey: v }, 'secret_access_key')}
          spellCheck={false}
          autoComplete="new-password"
        />
        <div className="st-keys-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="archive-keys-save">
            {save.isPending ? 'Saving…' : 'Save keys'}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-danger-text"
            onClick={forgetKeys}
            disabled={busy || !stored}
            data-testid="archive-keys-forget"
          >
            {forget.isPending ? 'Forgetting…' : 'Forget keys'}
          </button>
        </div>
      </form>
      {done && (
        <p className="st-saved" role="status" data-testid="archive-keys-done">
          {done === 'saved' ? '✓ Keys saved' : '✓ Keys forgotten'}
        </p>
      )}
      {banner && (
        <div className="banner banner-error st-settings-banner" role="alert" data-testid="archive-keys-error">
          <strong>{banner.code}</strong> {banner.message}
        </div>
      )}
    </section>
  );
}
