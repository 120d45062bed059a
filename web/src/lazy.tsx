// A page fetched on first use, so the first screen's JavaScript stays small (each area is its own chunk).
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n.ts';

/** A component that loads `load()`'s page the first time it is shown, with a loading line and a readable failure. */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let cached: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(() => cached);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (cached) return;
      load().then((page) => { cached = page; setLoaded(() => page); }, () => setFailed(true));
    }, []);
    if (failed) return <p role="alert" class="error">{t('loadFailed')}</p>;
    return Loaded ? <Loaded {...props} /> : <p role="status">{t('loading')}</p>;
  };
}
