export function busyServer() { throw new Error('not yet'); }
