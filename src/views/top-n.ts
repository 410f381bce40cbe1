/**
 * The `n` items of `items` with the largest `key` (ties: earlier items first), largest first,
 * in O(items log n) with a small heap: the "top flows" of a million without sorting them all.
 */
export function topN(items: ArrayLike<number>, n: number, key: (item: number) => number): number[] {
  const heap: number[] = [];
  const pos: number[] = [];
  // Min-heap by (key, -position): the root is the one to drop first.
  const less = (i: number, j: number) => {
    const a = key(heap[i]!), b = key(heap[j]!);
    return a < b || (a === b && pos[i]! > pos[j]!);
  };
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
    [pos[i], pos[j]] = [pos[j]!, pos[i]!];
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  if (n <= 0) return [];
  for (let p = 0; p < items.length; p++) {
    const item = items[p]!;
    if (heap.length < n) {
      heap.push(item);
      pos.push(p);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!less(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else {
      const k = key(item), rootKey = key(heap[0]!);
      if (k > rootKey) {
        heap[0] = item;
        pos[0] = p;
        down(0);
      }
    }
  }
  const order = heap.map((item, i) => ({ item, k: key(item), p: pos[i]! }));
  order.sort((a, b) => b.k - a.k || a.p - b.p);
  return order.map((o) => o.item);
}
