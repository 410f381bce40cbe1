// Files of a drop, folders walked recursively (FileSystemDirectoryEntry: the only way a drop
// hands over a folder's contents). The entries must be taken during the drop event itself.
import type { PickedFile } from '../controllers/analysis-controller';

/** Take what was dropped, now (during the event); resolve the files later. */
export function takeDrop(dt: DataTransfer): () => Promise<PickedFile[]> {
  const files = [...dt.files];
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() ?? null : null));
  if (!entries.some((e) => e?.isDirectory)) return async () => files.map((file) => ({ file, name: file.name, fromFolder: false }));
  return async () => {
    const out: PickedFile[] = [];
    for (const e of entries) if (e) await walk(e, false, out);
    return out;
  };
}

/** Files picked with a folder picker (`webkitdirectory`): named by their path in the folder. */
export function pickedFolder(files: File[]): PickedFile[] {
  return files.map((file) => ({ file, name: file.webkitRelativePath || file.name, fromFolder: true }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function walk(entry: FileSystemEntry, inFolder: boolean, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, name: entry.fullPath.replace(/^\//, '') || file.name, fromFolder: inFolder });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches (100 at a time in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of children) await walk(c, true, out);
}
