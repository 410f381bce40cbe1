import { TUNNEL_CHAIN_BASE as TUNNEL_NAMES_BASE, TUNNEL_NAMES, tunnelChainName } from '../decoder/tunnels';
import { TUNNEL_CHAIN_DEEP } from '../tap/flow-table';

/** Name of a flow's tunnel chain (e.g. "vxlan", "gre/erspan", "gre/vxlan"); 0 is no tunnel. */
export function tunnelName(chain: number): string {
  return chain === TUNNEL_CHAIN_DEEP ? DEEP_NAME : tunnelChainName(chain);
}

const DEEP_NAME = 'nested deeper than 3';

/** The chain id a name stands for (tunnelName's inverse), -1 when it names none. */
export function tunnelChainOf(name: string): number {
  if (name === DEEP_NAME) return TUNNEL_CHAIN_DEEP;
  const parts = name.split('/');
  let id = 0;
  for (let i = 0; i < parts.length; i++) {
    // 'gre/erspan' is one encapsulation whose name has a slash.
    const two = i + 1 < parts.length ? TUNNEL_NAMES.indexOf(`${parts[i]}/${parts[i + 1]}`) : -1;
    const k = two > 0 ? two : TUNNEL_NAMES.indexOf(parts[i]!);
    if (two > 0) i++;
    if (k <= 0) return -1;
    id = id * TUNNEL_NAMES_BASE + k;
  }
  return id > 0 && id < TUNNEL_CHAIN_DEEP && tunnelChainName(id) === name ? id : -1;
}

/** The words `tunnel NAME` accepts: every encapsulation the decoder follows. */
export const TUNNEL_WORDS: readonly string[] = [...new Set([...TUNNEL_NAMES.slice(1).flatMap((n) => n.split('/')), 'erspan'])];

/** Does the chain pass through the encapsulation `word` (any depth)? */
export function chainHas(chain: number, word: string): boolean {
  return chain !== 0 && `/${tunnelName(chain)}/`.includes(`/${word}/`);
}
