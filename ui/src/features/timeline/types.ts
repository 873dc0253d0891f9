// Why: the timeline's API shapes — the generated OpenAPI types where the server documents them, bookmarks by hand until it does.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type TimelineSpan = Schemas['Span'];

export type MarkerKind = 'detection' | 'alert' | 'bookmark';

/** `kind` is `detection`, `alert` or (once the server adds them) `bookmark`. */
export type TimelineMarker = Schemas['Marker'];

/** `GET /cameras/{id}/timeline?start=&end=` */
export type TimelineData = Schemas['Timeline'];

/** `POST /cameras/{id}/bookmarks` → 201, `GET /cameras/{id}/bookmarks` items. */
export interface Bookmark {
  id: number;
  camera_id: number;
  /** RFC 3339 UTC. */
  at: string;
  at_ms?: number;
  end?: string | null;
  end_ms?: number | null;
  label: string;
  created_by?: string | null;
  created_at?: string | null;
}

export interface BookmarkCreate {
  at: number;
  label: string;
  end?: number;
}

/** `POST /exports` → 202, `GET /exports/{id}`; `status` is `running`, `done` or `failed`. */
export type ExportJob = Schemas['ExportJob'];

/** One row of `GET /recordings` (the segment index). */
export type RecordingItem = Schemas['Recording'];
