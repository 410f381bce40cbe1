// Client/server roles on loopback captures with known servers (fixtures/captures/local README).
import { describe, expect, it } from 'vitest';
import { analyzeFile } from './helpers/analyze';
import { listFixtures } from './helpers/fixtures';

/** Servers run on the capturing host: HTTP 80/8080, SMTP 25, TCP 443/3306/5432/6379, DNS 53, NTP 123, syslog 514, echo 7. */
const SERVER_PORTS = new Set([80, 8080, 25, 443, 3306, 5432, 6379, 53, 123, 514, 7]);
/** Injected VXLAN frames (4789) and probes to closed ports (TCP 1, UDP 9 discard). */
const INJECTED = new Set([4789, 1, 9]);

describe('server end of each flow on loopback captures', () => {
  const local = listFixtures().filter((f) => f.set === 'local' && !f.expected.tshark.damaged);
  it.each(local.map((f) => [f.name, f] as const))('%s', async (_n, f) => {
    const { report } = await analyzeFile(f.path);
    const wrong = report.flows.filter((fl) => !SERVER_PORTS.has(fl.serverPort) && !INJECTED.has(fl.serverPort))
      .map((fl) => `${fl.proto} ${fl.a}:${fl.aPort} -> ${fl.b}:${fl.bPort} server ${fl.serverPort} by ${fl.role}`);
    expect(wrong).toEqual([]);
    for (const fl of report.flows) {
      if (fl.proto === 'tcp' && fl.handshake !== 0 && SERVER_PORTS.has(fl.aPort) !== SERVER_PORTS.has(fl.bPort)) {
        expect(['syn', 'syn-ack']).toContain(fl.role);
      }
    }
  });
});
