import { DecodedPacket } from './decoded-packet';
import { decodeLink } from './link-layer';

/**
 * Decode one captured frame: bytes [off, off + caplen) of `b`, of link type `linkType`,
 * into `out` (reset first). Only the outermost IP header and its ports are decoded.
 */
export function decodeFrame(b: Uint8Array, off: number, caplen: number, linkType: number, out: DecodedPacket): void {
  out.reset();
  decodeLink(linkType, b, off, off + caplen, out);
}
