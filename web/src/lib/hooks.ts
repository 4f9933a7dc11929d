// Loading API data and running user actions, with the error kept for the
// form that shows it next to the field it names.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from './api.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again, keeping the old data on screen; resolves once the new answer (data or error) is in. */
  reload(): Promise<void>;
}

/** GETs through `load` when `key` changes, and again on `reload()`. */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(key !== null);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // reload() callers waiting for the fetch that answers them (a later reload answers earlier ones too).
  const waiting = useRef<Array<() => void>>([]);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e instanceof ApiError ? e : new ApiError(0, { type: 'api_error', code: 'client_error', message: String(e) }));
      })
      .finally(() => {
        if (!live) return;
        setLoading(false);
        const answered = waiting.current;
        waiting.current = [];
        for (const resolve of answered) resolve();
      });
    return () => {
      live = false;
    };
  }, [key, version]);
  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setVersion((v) => v + 1);
      }),
    [],
  );
  return { data, error, loading, reload };
}

export interface Action {
  pending: boolean;
  error: ApiError | undefined;
  /** Runs `work` with this attempt's idempotency key; resolves true when it succeeded. */
  run(work: (idempotencyKey: string) => Promise<unknown>): Promise<boolean>;
  clear(): void;
}

/**
 * One user action (a form, a button). The idempotency key is kept until the
 * action succeeds, so pressing again after a network failure retries the same
 * request instead of making a second one.
 */
export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const keyRef = useRef<string>(newIdempotencyKey());
  const run = useCallback(async (work: (key: string) => Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    try {
      await work(keyRef.current);
      keyRef.current = newIdempotencyKey();
      return true;
    } catch (e) {
      const apiError = e instanceof ApiError ? e : new ApiError(0, { type: 'api_error', code: 'client_error', message: e instanceof Error ? e.message : String(e) });
      // A definite answer (not a network failure) ends this attempt: the next press is a new request.
      if (apiError.status !== 0) keyRef.current = newIdempotencyKey();
      setError(apiError);
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  return { pending, error, run, clear };
}
