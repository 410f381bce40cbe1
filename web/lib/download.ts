/** Offer text as a file download (a blob: URL on our own origin; nothing is sent anywhere). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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
