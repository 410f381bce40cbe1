import { DecodedPacket } from './decoded-packet';
import { decodeLink } from './link-layer';
import { MAX_SHIMS, shims } from './stop';
import { IP_PROTO } from './transport';
import { followTunnels } from './tunnels';

/**
 * Decode one captured frame: bytes [off, off + caplen) of `b`, of link type `linkType`,
 * into `out` (reset first): the outermost IP header and its ports in the outer fields, and
 * the IP layers inside tunnels in `out.inner`.
 */
export function decodeFrame(b: Uint8Array, off: number, caplen: number, linkType: number, out: DecodedPacket): void {
  out.reset();
  shims.left = MAX_SHIMS;
  decodeLink(linkType, b, off, off + caplen, out);
  // TCP carries no tunnel: the common case skips the search.
  if (out.dataOffset >= 0 && out.l4 !== IP_PROTO.TCP) followTunnels(b, out);
}
