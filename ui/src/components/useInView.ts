// Why: tells a component whether it is on screen (IntersectionObserver), so off-screen live tiles and thumbnails stop or never start their work.
import { useEffect, useState } from 'react';
import type { RefObject } from 'react';

/** True while the element is within `rootMargin` of the viewport; true at once where there is no IntersectionObserver. */
export function useInView(ref: RefObject<Element | null>, rootMargin = '0px'): boolean {
  const [inView, setInView] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        if (last) setInView(last.isIntersecting);
      },
      { rootMargin },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [ref, rootMargin]);
  return inView;
}
