/** Reported in every Report's generator field; bump with package.json. */
export const PORTHOLE_VERSION = '0.1.0';
