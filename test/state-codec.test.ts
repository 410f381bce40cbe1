// Analysis states survive encoding exactly, and damaged state bytes are refused with a reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, StateFormatError } from '../src/tap/state-codec';
import { reportOf, stateOfBytes } from './helpers/analyze';
import { listFixtures } from './helpers/fixtures';

const fixtures = listFixtures().filter((f) => !f.name.endsWith('.gz')).filter((_, i) => i % 4 === 0);

describe('state codec', () => {
  it('round-trips the states of fixtures: the same report, field for field', () => {
    let withFlows = 0;
    for (const f of fixtures) {
      const state = stateOfBytes(new Uint8Array(readFileSync(f.path)));
      const before = reportOf(state);
      const bytes = encodeState(state);
      expect(bytes.byteLength % 8).toBe(0);
      const again = decodeState(bytes);
      expect(reportOf(again)).toEqual(before);
      if (before.flows.length > 0) withFlows++;
      // Encoding does not change the state.
      expect(reportOf(state)).toEqual(before);
    }
    expect(withFlows).toBeGreaterThan(20);
  });

  it('a decoded state keeps taking packets and merging like the original', () => {
    const f = fixtures.find((x) => x.expected.flows.length > 5)!;
    const data = new Uint8Array(readFileSync(f.path));
    const a = stateOfBytes(data);
    const b = decodeState(encodeState(stateOfBytes(data)));
    b.absorb(decodeState(encodeState(a)));
    const twice = stateOfBytes(data);
    twice.absorb(stateOfBytes(data));
    expect(reportOf(b)).toEqual(reportOf(twice));
  });

  it('refuses truncated, wrong-magic, wrong-version and corrupted bytes with a StateFormatError', () => {
    const f = fixtures.find((x) => x.expected.flows.length > 5)!;
    const bytes = new Uint8Array(encodeState(stateOfBytes(new Uint8Array(readFileSync(f.path)))));
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => decodeState(mutate(bytes.slice()).slice().buffer);
    expect(bad((b) => b.subarray(0, 8))).toThrow(StateFormatError);
    expect(bad((b) => b.subarray(0, b.length - 64))).toThrow(StateFormatError);
    expect(bad((b) => { b[0] = 0x58; return b; })).toThrow(/magic/);
    expect(bad((b) => { b[4] = 99; return b; })).toThrow(/version 99/);
    expect(bad((b) => { b[14] = 0x7b; b[15] = 0x7b; return b; })).toThrow(StateFormatError);
    // Random byte flips anywhere: an error with a reason, or a state that still reports; never another exception.
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const b = bytes.slice();
      const at = (i * 7919) % b.length;
      b[at] ^= 1 << (i % 8);
      try {
        reportOf(decodeState(b.buffer));
      } catch (err) {
        expect(err).toBeInstanceOf(StateFormatError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
