import { DependencyList, useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading'; data?: T }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: unknown; data?: T };

/** Loads data when the dependencies change; reload() fetches again keeping the old data on screen. */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): [AsyncState<T>, () => Promise<void>, (data: T) => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    setState((previous) => ({ status: 'loading', data: previous.data }));
    try {
      const data = await run();
      setState({ status: 'ready', data });
    } catch (error) {
      setState((previous) => ({ status: 'error', error, data: previous.data }));
    }
  }, [run]);

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    run().then(
      (data) => current && setState({ status: 'ready', data }),
      (error: unknown) => current && setState({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [run]);

  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, reload, set];
}
