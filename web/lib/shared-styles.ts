import { css } from 'lit';

/** Panels, buttons, tables and class badges shared by the components. */
export const sharedStyles = css`
  :host { color: var(--text); }
  .panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px;
    /* Panels out of view are not laid out: big tables below the fold cost nothing until scrolled to. */
    content-visibility: auto; contain-intrinsic-size: auto 400px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 0 0 10px; font-weight: 600; }
  button, .button {
    font: inherit; border: 1px solid var(--border); background: var(--panel); color: var(--text);
    border-radius: 6px; padding: 6px 12px; cursor: pointer;
  }
  button:hover, .button:hover { border-color: var(--accent); }
  button.primary, .button.primary { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
  button:disabled { opacity: 0.5; cursor: not-allowed; }
  :focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
  .badge { display: inline-block; border-radius: 999px; padding: 1px 8px; font-size: 11px; font-weight: 600; color: var(--badge-text); white-space: nowrap; }
  .badge.well-known { background: var(--wk); }
  .badge.registered { background: var(--reg); }
  .badge.ephemeral { background: var(--eph); color: #1b1f24; }
  .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .muted { color: var(--muted); }
  .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
  table { border-collapse: collapse; width: 100%; }
  th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 6px 8px; border-bottom: 1px solid var(--border); white-space: nowrap; }
  td { padding: 5px 8px; border-bottom: 1px solid var(--border); }
  th button.sort { all: unset; cursor: pointer; }
  th button.sort:focus-visible { outline: 2px solid var(--focus); }
  button.link { all: unset; cursor: pointer; color: var(--accent); text-decoration: underline dotted; }
  button.link:focus-visible { outline: 2px solid var(--focus); }
  .small { font-size: 12px; margin: 2px 0 6px; }
  .error { color: var(--danger); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
