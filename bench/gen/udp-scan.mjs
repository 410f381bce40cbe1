export function udpScan() { throw new Error('not yet'); }
