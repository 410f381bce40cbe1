/** Offer a Blob as a file download (a blob: URL on our own origin; nothing is sent anywhere). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function baseName(fileName: string): string {
  return fileName.replace(/\.(gz)$/i, '').replace(/\.(pcapng|pcap|cap)$/i, '') || 'capture';
}

/** Export file name: the capture's, the filter when there is one (so filtered exports say so), the kind. */
export function exportName(fileName: string, filter: string | null, suffix: string): string {
  const f = filter ? `.filter-${filter.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '').slice(0, 60)}` : '';
  return `${baseName(fileName)}${f}.${suffix}`;
}
