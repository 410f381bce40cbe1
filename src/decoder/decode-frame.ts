import { DecodedPacket } from './decoded-packet';
import { decodeLink } from './link-layer';
import { MAX_SHIMS, shims } from './stop';
import { followTunnels } from './tunnels';

/**
 * Decode one captured frame: bytes [off, off + caplen) of `b`, of link type `linkType`,
 * into `out` (reset first): the outermost IP header and its ports in the outer fields, and
 * the IP layers inside tunnels in `out.inner`.
 */
export function decodeFrame(b: Uint8Array, off: number, caplen: number, linkType: number, out: DecodedPacket): void {
  const layers = out.layers;
  for (let i = 0; i < out.usedLayers; i++) layers[i]!.reset();
  out.usedLayers = 1;
  out.tunnelDepth = 0;
  shims.left = MAX_SHIMS;
  const outer = layers[0]!;
  decodeLink(linkType, b, off, off + caplen, outer);
  if (outer.dataOffset >= 0) followTunnels(b, out);
  out.copyOuter();
}
