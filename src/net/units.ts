/** A byte count in decimal units (kB, MB, GB, TB), for people; exact values stay beside it. */
export function humanBytes(n: number, digits?: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(digits ?? (v < 10 ? 2 : 1))} ${units[u]}`;
}
