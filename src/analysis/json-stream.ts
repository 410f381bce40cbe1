/**
 * JSON.stringify(value) in pieces: large arrays go out in batches, so a report with millions
 * of flows never becomes one giant string in memory. Joined, the pieces equal JSON.stringify.
 */
export function* jsonPieces(value: unknown, batch = 2000): Generator<string> {
  if (Array.isArray(value) && value.length > batch) {
    yield '[';
    for (let i = 0; i < value.length; i += batch) {
      const part = JSON.stringify(value.slice(i, i + batch));
      yield i === 0 ? part.slice(1, -1) : `,${part.slice(1, -1)}`;
    }
    yield ']';
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('toJSON' in (value as object))) {
    yield '{';
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      yield* jsonPieces(v, batch);
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value);
}

export function writeJson(value: unknown, write: (text: string) => void, batch = 2000): void {
  for (const piece of jsonPieces(value, batch)) write(piece);
}
