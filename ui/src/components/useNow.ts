// Why: the clock a view shows relative times and durations by ("2 min ago", "offline for 14 s"), ticking only while it is wanted.
import { useEffect, useState } from 'react';

/** Now (epoch ms), moved on every `everyMs` while `on`. */
export function useNow(everyMs: number, on = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [on, everyMs]);
  return now;
}
