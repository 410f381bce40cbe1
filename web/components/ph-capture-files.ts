import { html, LitElement, css } from 'lit';
import type { CaptureFileRecord } from '../../src/schema/report';
import { bytes, count, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

/** One row of the per-file table: a file of an analysis of several files. */
export interface CaptureFileRow {
  name: string;
  size: number | null;
  /** In words: queued, reading 40%, done, damaged: …, not a capture file: … */
  status: string;
  problem: boolean;
  /** The report's record of the file, once its packets are in the analysis. */
  record: CaptureFileRecord | null;
  /** The File is at hand: it can be analyzed alone. */
  canShowAlone: boolean;
}

/** Sent up when a file of several is to be analyzed alone (detail: its name). */
export class FileAloneEvent extends Event {
  static readonly eventName = 'file-alone';
  constructor(readonly name: string) {
    super(FileAloneEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The files of an analysis of several files: format, time span, packets, bytes, how reading ended, overlaps, repeats. */
export class PhCaptureFiles extends LitElement {
  static override properties = { rows: { attribute: false } };
  declare rows: CaptureFileRow[];

  constructor() {
    super();
    this.rows = [];
  }

  static override styles = [sharedStyles, css`
    :host { display: block; min-width: 0; }
    .wrap { overflow-x: auto; max-width: 100%; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .problem { color: var(--danger); }
    .note { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
    button.link { padding: 0; border: none; background: none; color: var(--accent); cursor: pointer; text-align: left; }
  `];

  override render() {
    const rows = this.rows;
    return html`<section class="panel" aria-label="Files">
      <h2>Files (${rows.length})</h2>
      <p class="note">Files opened or dropped together are one analysis, as one capture of all their packets (frames numbered file after file,
        files in order of their first packet; a repeated file counts once). Click a file to analyze it alone.</p>
      <div class="wrap"><table>
        <thead><tr><th>File</th><th>Format</th><th>First packet</th><th>Last packet</th><th class="num">Packets</th><th class="num">Bytes</th>
          <th class="num">Frames</th><th>Read</th><th>Notes</th></tr></thead>
        <tbody>${rows.map((r) => this.row(r))}</tbody>
      </table></div>
    </section>`;
  }

  private row(r: CaptureFileRow) {
    const f = r.record;
    const notes = f ? [
      ...(f.duplicateOf ? [`repeats ${f.duplicateOf} (same fingerprint): counted once`] : []),
      ...(f.overlapCount ? [`time span overlaps ${f.overlapCount} other file${f.overlapCount > 1 ? 's' : ''}: ${f.overlaps.join(', ')}${f.overlapCount > f.overlaps.length ? ', …' : ''}`] : []),
      // How reading ended is in its own column already.
      ...f.warnings.filter((w) => !(r.problem && w.startsWith('reading stopped at byte'))),
    ] : [];
    return html`<tr data-testid="file-row">
      <td>${r.canShowAlone ? html`<button class="link" title="Analyze this file alone" @click=${() => this.dispatchEvent(new FileAloneEvent(r.name))}>${r.name}</button>` : r.name}
        <div class="muted">${r.size === null ? '' : bytes(r.size)}</div></td>
      <td>${f ? `${f.format ?? '–'}${f.gzip ? ' (gzip)' : ''}` : '–'}</td>
      <td>${f ? time(f.firstTime) : '–'}</td>
      <td>${f ? time(f.lastTime) : '–'}</td>
      <td class="num">${f ? count(f.packets) : '–'}</td>
      <td class="num">${f ? bytes(f.bytes) : '–'}</td>
      <td class="num">${f && f.firstFrame !== null ? `${count(f.firstFrame)}–${count(f.lastFrame ?? f.firstFrame)}` : '–'}</td>
      <td class=${r.problem ? 'problem' : ''} data-testid="file-status">${r.status}</td>
      <td>${notes.length ? notes.map((n) => html`<div>${n}</div>`) : ''}</td>
    </tr>`;
  }
}
customElements.define('ph-capture-files', PhCaptureFiles);
