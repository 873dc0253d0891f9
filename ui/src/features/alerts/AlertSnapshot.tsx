// Why: a detection alert's picture — fetched with the bearer token as a blob (an <img src> cannot send one) once the row is on screen, released when it goes.
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { useInView } from '../../components/useInView';

interface Props {
  api: ApiClient;
  path: string;
  alt: string;
}

export function AlertSnapshot({ api, path, alt }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const inView = useInView(ref, '200px');
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const wanted = inView || src !== null;

  useEffect(() => {
    if (!wanted) return;
    const ctl = new AbortController();
    let url: string | null = null;
    api.blob(path, ctl.signal).then(
      (b) => {
        url = URL.createObjectURL(b);
        setSrc(url);
      },
      () => {
        if (!ctl.signal.aborted) setFailed(true);
      },
    );
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, path, wanted]);

  return (
    <div ref={ref} className="alert-thumb" data-testid="alert-thumb">
      {src ? <img src={src} alt={alt} /> : <span className="muted small">{failed ? 'No picture' : ''}</span>}
    </div>
  );
}
