/** Strings interned to small ids, so columns hold numbers and each distinct text is kept once. */
export class StringTable {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  text(id: number): string | null {
    return id < 0 ? null : this.texts[id] ?? null;
  }

  get size(): number {
    return this.texts.length;
  }
}
