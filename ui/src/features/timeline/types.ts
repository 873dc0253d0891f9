// Why: the timeline's API shapes, as aliases of the types generated from the server's OpenAPI document.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type TimelineSpan = Schemas['Span'];

export type MarkerKind = 'detection' | 'alert' | 'bookmark';

/** `kind` is `detection`, `alert` or (once the server adds them) `bookmark`. */
export type TimelineMarker = Schemas['Marker'];

/** `GET /cameras/{id}/timeline?start=&end=` */
export type TimelineData = Schemas['Timeline'];

/** `POST /cameras/{id}/bookmarks` → 201, `GET /cameras/{id}/bookmarks` items (every field sent). */
export type Bookmark = Required<Schemas['Bookmark']>;

/** `POST /cameras/{id}/bookmarks` body: `at` (and `end`) in epoch ms. */
export type BookmarkCreate = Schemas['BookmarkInput'];

/** `POST /exports` → 202, `GET /exports/{id}`; `status` is `running`, `done` or `failed`. */
export type ExportJob = Schemas['ExportJob'];

/** One row of `GET /recordings` (the segment index). */
export type RecordingItem = Schemas['Recording'];
