import { looksLikeAws, parseSecurityGroups } from './parse-aws';
import { looksLikeIptables, parseIptablesSave, type ChainChoice } from './parse-iptables';
import { looksLikeNft, parseNftRuleset } from './parse-nft';
import { parsePortholeRules } from './parse-porthole';
import type { Policy, PolicyFormat } from './policy';

export type { ChainChoice };

/** The format of a rules text, from its content: security group JSON, iptables-save, nft, else Porthole rules. */
export function sniffFormat(text: string): PolicyFormat {
  if (looksLikeAws(text)) return 'aws';
  if (looksLikeIptables(text)) return 'iptables';
  if (looksLikeNft(text)) return 'nft';
  return 'porthole';
}

/** Read a policy (PolicyError at the line and column, or JSON path, of what is not supported). */
export function parsePolicy(text: string, format: PolicyFormat | null = null, chain: ChainChoice = 'auto'): Policy {
  switch (format ?? sniffFormat(text)) {
    case 'aws': return parseSecurityGroups(text);
    case 'iptables': return parseIptablesSave(text, chain);
    case 'nft': return parseNftRuleset(text, chain);
    case 'porthole': return parsePortholeRules(text);
  }
}
