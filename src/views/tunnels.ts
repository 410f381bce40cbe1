/** Name of a tunnel chain id as the decoder numbers them (e.g. "vxlan", "gre/erspan"). */
export function tunnelName(chain: number): string {
  return `tunnel ${chain}`;
}
