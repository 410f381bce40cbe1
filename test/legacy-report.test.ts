// Analyses saved before states existed (a whole report) open into the same views.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateFromReport } from '../src/storage/legacy-report';
import { reportOf, stateOfBytes } from './helpers/analyze';
import { listFixtures, SCANS } from './helpers/fixtures';
import { join } from 'node:path';

describe('reports saved by older versions', () => {
  it('become states whose report is the saved report, on fixtures and scans', () => {
    const files = [...listFixtures().filter((f) => !f.name.endsWith('.gz')).filter((_, i) => i % 6 === 0).map((f) => f.path),
      join(SCANS, 'nmap-sU.pcapng'), join(SCANS, 'nmap-sS.pcapng')];
    let flows = 0;
    for (const path of files) {
      const saved = reportOf(stateOfBytes(new Uint8Array(readFileSync(path))));
      // As IndexedDB or a library file would give it back.
      const reopened = reportOf(stateFromReport(JSON.parse(JSON.stringify(saved))));
      expect(reopened).toEqual(saved);
      flows += saved.flows.length;
    }
    expect(flows).toBeGreaterThan(300);
  });
});
