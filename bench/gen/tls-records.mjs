// Well-formed TLS 1.3 first flights (RFC 8446) of any length, for payload-inspecting readers:
// a ClientHello padded to the segment (RFC 7685 padding extension) and the server's ServerHello,
// ChangeCipherSpec and one application-data record. Random, session id and key share come from the pool.
import { w16 } from './frames.mjs';
import { bytes } from './payload-pool.mjs';

const SNI = 'www.example.com';
const SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a];
const be16 = (v) => [v >>> 8, v & 255];

const CH_HEAD = bytes(
  [0x16, 3, 1, 0, 0, 1, 0, 0, 0, 3, 3], new Array(32).fill(0), [32], new Array(32).fill(0), // record, handshake, version, random, session id
  be16(2 * SUITES.length), SUITES.flatMap(be16), [1, 0], [0, 0], // suites, null compression, extensions length
  [0, 0], be16(SNI.length + 5), be16(SNI.length + 3), [0], be16(SNI.length), SNI, // server_name
  [0, 0x2b, 0, 3, 2, 3, 4], // supported_versions: TLS 1.3
  [0, 0x0a, 0, 4, 0, 2, 0, 0x1d], // supported_groups: x25519
  [0, 0x33, 0, 0x26, 0, 0x24, 0, 0x1d, 0, 0x20], new Array(32).fill(0), // key_share
  [0, 0x0d, 0, 4, 0, 2, 4, 3], // signature_algorithms: ecdsa_secp256r1_sha256
  [0, 0x15, 0, 0], // padding, its length set per hello
);
const CH_RANDOM = 11, CH_SESSION = 44, CH_EXTS_LEN = 112, CH_KEY = CH_HEAD.length - 4 - 8 - 32; // offsets in the hello
export const CLIENT_HELLO_MIN = CH_HEAD.length;

const SH = bytes(
  [0x16, 3, 3, 0, 0x7a, 2, 0, 0, 0x76, 3, 3], new Array(32).fill(0), [32], new Array(32).fill(0),
  [0x13, 0x01, 0], [0, 0x2e], [0, 0x2b, 0, 2, 3, 4], [0, 0x33, 0, 0x24, 0, 0x1d, 0, 0x20], new Array(32).fill(0),
  [0x14, 3, 3, 0, 1, 1], // ChangeCipherSpec (middlebox compatibility, RFC 8446 §D.4)
  [0x17, 3, 3, 0, 0], // application data: EncryptedExtensions, Certificate, ... encrypted
);
const SH_RANDOM = 11, SH_SESSION = 44, SH_KEY = SH.length - 6 - 5 - 32;
export const SERVER_FLIGHT_MIN = SH.length + 1;

/** A ClientHello of exactly `len` bytes (>= CLIENT_HELLO_MIN) at `o`, in a zeroed buffer. */
export function clientHello(b, o, len, pool, h) {
  CH_HEAD.copy(b, o);
  w16(b, o + 3, len - 5); b[o + 6] = (len - 9) >>> 16; w16(b, o + 7, len - 9);
  pool.fill(b, o + CH_RANDOM, 32, null, h); pool.fill(b, o + CH_SESSION, 32, null, h + 32); pool.fill(b, o + CH_KEY, 32, null, h + 64);
  const pad = len - CH_HEAD.length;
  w16(b, o + CH_EXTS_LEN, len - CH_EXTS_LEN - 2);
  w16(b, o + CH_HEAD.length - 2, pad); // the padding's zero bytes are already there
}

/** ServerHello, ChangeCipherSpec and an application-data record, `len` (>= SERVER_FLIGHT_MIN) bytes in all. */
export function serverFlight(b, o, len, pool, h) {
  SH.copy(b, o);
  pool.fill(b, o + SH_RANDOM, 32, null, h); pool.fill(b, o + SH_SESSION, 32, null, h + 32); pool.fill(b, o + SH_KEY, 32, null, h + 64);
  w16(b, o + SH.length - 2, len - SH.length);
  pool.fill(b, o + SH.length, len - SH.length, null, h + 96);
}

/** One application-data record of `len` bytes. */
export function appData(b, o, len, pool, h) {
  b[o] = 0x17; b[o + 1] = 3; b[o + 2] = 3; w16(b, o + 3, len - 5);
  pool.fill(b, o + 5, len - 5, null, h);
}
