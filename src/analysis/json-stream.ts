/**
 * JSON.stringify(value) written in pieces: large arrays go out in batches, so a report with
 * millions of flows never becomes one giant string in memory. Same text as JSON.stringify.
 */
export function writeJson(value: unknown, write: (text: string) => void, batch = 2000): void {
  if (Array.isArray(value) && value.length > batch) {
    write('[');
    for (let i = 0; i < value.length; i += batch) {
      const part = JSON.stringify(value.slice(i, i + batch));
      write(i === 0 ? part.slice(1, -1) : `,${part.slice(1, -1)}`);
    }
    write(']');
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('toJSON' in (value as object))) {
    write('{');
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      write(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      writeJson(v, write, batch);
    }
    write('}');
    return;
  }
  write(JSON.stringify(value));
}
