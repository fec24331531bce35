// Loads a page's data once (and again on reload()): loading, ready or error, as the Settings pages show.

import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../api/client.js';
import type { Outcome } from './settings-api.js';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

export function useLoad<T>(load: () => Promise<Outcome<T>>): [Loaded<T>, () => void, (data: T) => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
    void load().then((res) => {
      if (!live) return;
      setState(res.ok ? { status: 'ready', data: res.data } : { status: 'error', error: res.error });
    });
    return () => { live = false; };
  }, [round]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const replace = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, reload, replace];
}
