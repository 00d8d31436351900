import { useEffect } from 'react';

/** Names the page in the browser tab and for screen readers ("Kubelab — …"). */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — Kubelab` : 'Kubelab';
  }, [title]);
}
