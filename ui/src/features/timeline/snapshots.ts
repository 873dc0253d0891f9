// Why: detection snapshots for marker tooltips — fetched with the token in a header (an <img> cannot send one), kept as object URLs in a small cache.
import { useEffect, useState } from 'react';

export class SnapshotCache {
  private readonly urls = new Map<string, Promise<string>>();
  private readonly made: string[] = [];

  constructor(
    private readonly load: (path: string) => Promise<Blob>,
    private readonly limit = 60,
    private readonly create: (b: Blob) => string = (b) => URL.createObjectURL(b),
    private readonly revoke: (u: string) => void = (u) => URL.revokeObjectURL(u),
  ) {}

  /** An object URL for the image at root-relative `path` (the same promise for repeat requests). */
  get(path: string): Promise<string> {
    const hit = this.urls.get(path);
    if (hit) return hit;
    const p = this.load(path).then((b) => {
      const u = this.create(b);
      this.made.push(u);
      this.trim();
      return u;
    });
    p.catch(() => this.urls.delete(path));
    this.urls.set(path, p);
    return p;
  }

  private trim(): void {
    while (this.urls.size > this.limit) {
      const oldest = this.urls.keys().next().value;
      if (oldest === undefined) break;
      const p = this.urls.get(oldest);
      this.urls.delete(oldest);
      void p?.then((u) => this.revoke(u)).catch(() => {});
    }
  }

  dispose(): void {
    for (const u of this.made) this.revoke(u);
    this.made.length = 0;
    this.urls.clear();
  }
}

/** The object URL of a snapshot once loaded; null while loading or when there is none. */
export function useSnapshot(cache: SnapshotCache | null, path: string | null | undefined): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ path: string | null; url: string | null; failed: boolean }>({
    path: null,
    url: null,
    failed: false,
  });
  useEffect(() => {
    if (!cache || !path) return;
    let live = true;
    cache.get(path).then(
      (url) => live && setState({ path, url, failed: false }),
      () => live && setState({ path, url: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [cache, path]);
  return state.path === path ? { url: state.url, failed: state.failed } : { url: null, failed: false };
}
