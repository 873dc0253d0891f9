// Why: the Storage API's shapes — aliases of the types generated from the server's OpenAPI document (schema.d.ts), narrowed where responses always carry a field.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
/** A response field that is an `Option` is always sent (as `null`). */
type Sent<T> = Required<T>;

/** `GET /storage` (and the answer of `PUT /storage`). */
export type StorageView = Omit<Sent<Schemas['StorageView']>, 'tiers' | 'cameras' | 'last_pass'> & {
  tiers: TierView[];
  cameras: CameraStorage[];
  last_pass: PassView | null;
};
/** `archive`: the S3 archive tier (`path` is its s3:// URL; no free space or capacity). */
export type TierView = Sent<Schemas['TierView']>;
/** `by_tier` maps a tier name to bytes. */
export type CameraStorage = Schemas['CameraStorage'];
export type PassView = Sent<Schemas['PassView']>;

/** The body of `PUT /storage` and `settings` of `GET /storage`: durations and sizes as text with units
 * (a PUT replaces everything: the form sends back what it does not know as it came). */
export type StorageConfig = Schemas['StorageConfig'];
/** The S3 archive tier's settings (`[storage.archive]`); its keys are never here. */
export type ArchiveConfig = Schemas['ArchiveConfig'];
/** `PUT /storage/archive/credentials` (204): write-only, kept in the server's credential store. */
export type ArchiveKeys = Schemas['ArchiveKeys'];
export type TierConfig = Schemas['TierConfig'];
export type RetentionConfig = Schemas['RetentionConfig'];
export type CameraRetention = Schemas['CameraRetention'];

export type StorageReason = Schemas['StorageReason'];
export const STORAGE_REASONS = ['age', 'size', 'free_space', 'retention', 'manual'] as const satisfies readonly StorageReason[];
/** One row of `GET /storage/ops` (newest first). */
export type StorageOp = Sent<Schemas['StorageOp']>;

/** Footage kept whatever retention and free space say (`GET /locks`, `POST /locks` → 201). */
export type Lock = Schemas['Lock'];
/** `POST /locks`: `start` and `end` in epoch ms (a reversed span is swapped; a moment keeps its second). */
export type LockInput = Schemas['LockInput'];

/** One tier's filesystem at one maintenance pass. */
export type UsageSample = Schemas['UsagePoint'];
/** `GET /storage/usage?since=<RFC 3339>`: one sample per tier per maintenance pass, oldest first. */
export type UsageHistory = Schemas['UsageHistory'];
