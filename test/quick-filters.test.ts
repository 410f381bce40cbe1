// The filter bar's quick toggles: alternatives within a group, "and" across groups and with the rest.
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../src/views/filter/parse-filter';
import { pressedToggles, toggleWord } from '../web/lib/quick-filters';

describe('quick filter toggles', () => {
  it('tcp then udp gives "(tcp or udp)", both pressed (not "tcp and udp")', () => {
    const f = toggleWord(toggleWord('', 'tcp'), 'udp');
    expect(f).toBe('(tcp or udp)');
    expect([...pressedToggles(f)].sort()).toEqual(['tcp', 'udp']);
  });

  it('groups combine with "and", and with what was typed; toggling again removes the word', () => {
    let f = toggleWord('port 443', 'tcp');
    f = toggleWord(f, 'well-known');
    f = toggleWord(f, 'registered');
    expect(f).toBe('port 443 and tcp and (well-known or registered)');
    expect(() => parseFilter(f)).not.toThrow();
    f = toggleWord(f, 'well-known');
    expect(f).toBe('port 443 and tcp and registered');
    f = toggleWord(toggleWord(f, 'tcp'), 'registered');
    expect(f).toBe('port 443');
    expect(pressedToggles(f).size).toBe(0);
  });

  it('inside tunnels / outer layer: one choice at a time, none for both', () => {
    const inner = toggleWord('port 443', 'tunnel');
    expect(inner).toBe('port 443 and tunnel');
    expect([...pressedToggles(inner)]).toEqual(['tunnel']);
    const outer = toggleWord(toggleWord(inner, 'tunnel'), 'not tunnel');
    expect(outer).toBe('port 443 and not tunnel');
    expect([...pressedToggles(outer)]).toEqual(['not tunnel']);
    expect(() => parseFilter(toggleWord(outer, 'tunnel'))).not.toThrow();
    expect(toggleWord(outer, 'not tunnel')).toBe('port 443');
  });

  it('words inside a typed expression are not taken for toggles', () => {
    expect(pressedToggles('tcp or port 53').size).toBe(0);
    expect(toggleWord('tcp or port 53', 'udp')).toBe('(tcp or port 53) and udp');
  });
});
