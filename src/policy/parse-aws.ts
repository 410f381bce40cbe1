// AWS security groups as `aws ec2 describe-security-groups` prints them: IpPermissions (the
// inbound rules) with IpProtocol ("tcp", "udp", "icmp", "icmpv6", "-1" or a number),
// FromPort/ToPort and IpRanges/Ipv6Ranges (CidrIp/CidrIpv6). Security groups are allowlists
// with an implicit deny and are stateful. A group does not say which instances it protects: it
// is applied to every server, unless a tag "porthole:hosts" lists their addresses (Porthole's
// own exports write it). Anything else (group references, prefix lists) is an error at its path.
import { PolicyError, PROTO, type Policy, type PolicyRule, type PortRange } from './policy';
import { parseCidr, type Cidr } from './cidr';
import { jsonErrorOffset } from './json-position';

export const HOSTS_TAG = 'porthole:hosts';

const PERMISSION_KEYS = new Set(['IpProtocol', 'FromPort', 'ToPort', 'IpRanges', 'Ipv6Ranges', 'PrefixListIds', 'UserIdGroupPairs']);

/** Does the text look like security groups JSON? */
export function looksLikeAws(text: string): boolean {
  return /^\s*[[{]/.test(text) && /"(SecurityGroups|IpPermissions)"/.test(text);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseSecurityGroups(text: string): Policy {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    const found = jsonErrorOffset(text);
    const pos = found < 0 ? 0 : found;
    const before = text.slice(0, pos).split('\n');
    throw new PolicyError(before.length, before[before.length - 1]!.length + 1, `not valid JSON: ${(err as Error).message}`);
  }
  const fail = (path: string, detail: string): never => { throw new PolicyError(0, 0, detail, path); };
  let groups: Json[];
  let base: string;
  if (Array.isArray(doc)) { groups = doc; base = '$'; }
  else if (isObject(doc) && Array.isArray(doc.SecurityGroups)) { groups = doc.SecurityGroups; base = '$.SecurityGroups'; }
  else if (isObject(doc) && 'IpPermissions' in doc) { groups = [doc]; base = '$'; }
  else return fail('$', 'expected {"SecurityGroups": [...]} (aws ec2 describe-security-groups), an array of groups or one group');
  if (groups.length === 0) fail(base, 'no security groups');
  const rules: PolicyRule[] = [];
  const notes: string[] = [];
  const names: string[] = [];
  let anyHosts = false;
  groups.forEach((g, gi) => {
    const gp = base === '$' && !Array.isArray(doc) ? '$' : `${base}[${gi}]`;
    if (!isObject(g)) return fail(gp, 'expected a security group object');
    for (const [k, v] of Object.entries(g)) {
      if (k === 'IpPermissions' || k === 'IpPermissionsEgress' || k === 'Tags') continue;
      if (typeof v !== 'string') fail(`${gp}.${k}`, `unsupported field ${k}`);
    }
    const name = `${typeof g.GroupId === 'string' ? g.GroupId : `group ${gi}`}${typeof g.GroupName === 'string' ? ` (${g.GroupName})` : ''}`;
    names.push(name);
    const hosts = hostsTag(g, gp, fail);
    if (hosts) anyHosts = true;
    const perms = g.IpPermissions;
    if (!Array.isArray(perms)) return fail(`${gp}.IpPermissions`, 'expected an array of inbound rules');
    perms.forEach((p, pi) => rules.push(...permissionRules(p, `${gp}.IpPermissions[${pi}]`, name, hosts, fail)));
    const egress = g.IpPermissionsEgress;
    if (egress !== undefined) {
      if (!Array.isArray(egress)) fail(`${gp}.IpPermissionsEgress`, 'expected an array');
      else if (egress.length) notes.push(`${name}: ${egress.length} outbound rule${egress.length === 1 ? '' : 's'} (IpPermissionsEgress) judge what the instances send: not evaluated`);
    }
  });
  if (!anyHosts) notes.push('security groups do not say which instances they protect: their rules are applied to every server in the capture');
  const implicit = { action: 'deny' as const, at: 'implicit deny of security groups' };
  return { format: 'aws', rules, defaults: { 4: implicit, 6: implicit }, scope: `security groups ${names.join(', ')}`, notes, stateful: true };
}

function hostsTag(g: { [k: string]: Json }, gp: string, fail: (p: string, d: string) => never): Cidr[] | null {
  if (g.Tags === undefined) return null;
  if (!Array.isArray(g.Tags)) return fail(`${gp}.Tags`, 'expected an array of {Key, Value}');
  let out: Cidr[] | null = null;
  g.Tags.forEach((t, ti) => {
    if (!isObject(t) || typeof t.Key !== 'string' || typeof t.Value !== 'string') fail(`${gp}.Tags[${ti}]`, 'expected {"Key": ..., "Value": ...}');
    const tag = t as { Key: string; Value: string };
    if (tag.Key !== HOSTS_TAG) return;
    out = tag.Value.split(/[\s,]+/).filter(Boolean).map((a) => parseCidr(a) ?? fail(`${gp}.Tags[${ti}].Value`, `'${a}' is not an address or network`));
    if (out.length === 0) fail(`${gp}.Tags[${ti}].Value`, 'no addresses');
  });
  return out;
}

function permissionRules(p: Json, path: string, group: string, hosts: Cidr[] | null, fail: (p: string, d: string) => never): PolicyRule[] {
  if (!isObject(p)) return fail(path, 'expected an inbound rule object');
  for (const k of Object.keys(p)) if (!PERMISSION_KEYS.has(k)) fail(`${path}.${k}`, `unsupported field ${k}`);
  for (const k of ['PrefixListIds', 'UserIdGroupPairs'] as const) {
    const v = p[k];
    if (v === undefined) continue;
    if (!Array.isArray(v)) fail(`${path}.${k}`, 'expected an array');
    else if (v.length) fail(`${path}.${k}[0]`, k === 'UserIdGroupPairs' ? 'rules that name other security groups are not supported (their members are not known from a capture)' : 'prefix lists are not supported (their addresses are not in the JSON)');
  }
  const protoText = p.IpProtocol;
  if (typeof protoText !== 'string') return fail(`${path}.IpProtocol`, 'expected a protocol string ("tcp", "udp", "icmp", "-1", ...)');
  const proto = protoText.toLowerCase();
  let protos: number;
  let ports: PortRange[] | null = null;
  if (proto === '-1' || proto === 'all') protos = PROTO.ANY;
  else if (proto === 'tcp' || proto === '6' || proto === 'udp' || proto === '17') {
    protos = proto === 'tcp' || proto === '6' ? PROTO.TCP : PROTO.UDP;
    const from = p.FromPort, to = p.ToPort;
    const okPort = (v: Json | undefined) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
    if (!okPort(from)) return fail(`${path}.FromPort`, 'expected a port 0-65535');
    if (!okPort(to)) return fail(`${path}.ToPort`, 'expected a port 0-65535');
    if ((from as number) > (to as number)) return fail(`${path}.ToPort`, 'ToPort is below FromPort');
    ports = [{ first: from as number, last: to as number }];
  } else if (/^\d+$/.test(proto) && Number(proto) <= 255) protos = PROTO.OTHER;
  else if (proto === 'icmp' || proto === 'icmpv6') protos = PROTO.OTHER;
  else return fail(`${path}.IpProtocol`, `protocol '${protoText}' is not supported`);
  const out: PolicyRule[] = [];
  const ranges: Array<['IpRanges' | 'Ipv6Ranges', 'CidrIp' | 'CidrIpv6', 4 | 6]> = [['IpRanges', 'CidrIp', 4], ['Ipv6Ranges', 'CidrIpv6', 6]];
  for (const [key, field, version] of ranges) {
    const list = p[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return fail(`${path}.${key}`, 'expected an array');
    list.forEach((r, ri) => {
      const rp = `${path}.${key}[${ri}]`;
      if (!isObject(r)) return fail(rp, `expected {"${field}": ...}`);
      for (const k of Object.keys(r)) if (k !== field && k !== 'Description') fail(`${rp}.${k}`, `unsupported field ${k}`);
      const text = r[field];
      const cidr = typeof text === 'string' ? parseCidr(text) : null;
      if (!cidr || cidr.version !== version || !String(text).includes('/')) return fail(`${rp}.${field}`, `expected an IPv${version} block like ${version === 4 ? '203.0.113.0/24' : '2001:db8::/32'}`);
      // With the hosts tag, a block of the other IP version can match nothing (and shows as unused).
      const dst = hosts ? hosts.filter((h) => h.version === version) : null;
      out.push({
        line: 0, at: rp, text: `${group}: ${protoText === '-1' ? 'all traffic' : `${protoText}${ports ? ` ${ports[0]!.first === ports[0]!.last ? ports[0]!.first : `${ports[0]!.first}-${ports[0]!.last}`}` : ''}`} from ${text}`,
        action: 'allow', protos, family: version, src: [cidr], dst, sport: null, dport: ports, state: 'new',
        comment: typeof r.Description === 'string' ? r.Description : null,
      });
    });
  }
  return out;
}
