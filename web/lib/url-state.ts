// The filter lives in the URL hash (#filter=...), so a reload or a shared link keeps it.

export function readFilterFromHash(): string {
  const params = new URLSearchParams(location.hash.slice(1));
  return params.get('filter') ?? '';
}

export function writeFilterToHash(filter: string): void {
  const params = new URLSearchParams(location.hash.slice(1));
  if (filter) params.set('filter', filter);
  else params.delete('filter');
  const hash = params.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
}
