#!/usr/bin/env python3
"""Run Porthole over many capture files on a Dask cluster, exactly.

Map: every capture file is analyzed on some worker (`porthole analyze FILE --state S`, and its
flows written as Parquet). Reduce: the states are merged in a tree (`porthole merge S... --state M`,
FAN_IN at a time); files with the same fingerprint are merged first, so a repeated file counts
once. The merge is exact, associative and commutative, so the result is the report that one
`porthole analyze` of all the files prints, byte for byte.

    python3 scale/porthole_dask.py --out OUT [--scheduler tcp://HOST:8786 | --local N]
        [--porthole "node /srv/porthole/dist/cli.js"] [--fan-in 8] [--no-flows] PATH|DIR|GLOB...

Every worker must read the inputs and read and write OUT at the same paths (shared storage), and
run Node.js 20+ with a built Porthole (see README "Past one machine", or scale/Dockerfile).
Writes OUT/report.json, OUT/report.txt, OUT/merged.phst, OUT/flows/*.parquet, OUT/summary.json.
"""
import argparse
import glob
import hashlib
import json
import os
import shlex
import shutil
import struct
import subprocess
import sys
import time

EDGE = 1 << 20
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PORTHOLE = f"node {os.path.join(REPO, 'dist', 'cli.js')}"


def fingerprint(path):
    """Porthole's file fingerprint: SHA-256 of the size (big-endian float64), the first and the last MiB."""
    size = os.path.getsize(path)
    h = hashlib.sha256(struct.pack('>d', float(size)))
    with open(path, 'rb') as f:
        h.update(f.read(min(EDGE, size)))
        if size > EDGE:
            start = max(EDGE, size - EDGE)
            f.seek(start)
            h.update(f.read(size - start))
    return h.hexdigest()


def expand(items):
    """Files, directories (walked, sorted) and globs, in order, each path once."""
    out, seen = [], set()

    def add(p):
        if p not in seen:
            seen.add(p)
            out.append(p)

    for item in items:
        if os.path.isdir(item):
            for root, dirs, files in os.walk(item):
                dirs.sort()
                for name in sorted(files):
                    add(os.path.join(root, name))
        elif os.path.exists(item):
            add(item)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise SystemExit(f'porthole_dask: {item}: no such file, and no file matches it as a glob')
            for m in matches:
                for p in (expand([m]) if os.path.isdir(m) else [m]):
                    add(p)
    return out


def is_capture(path):
    """Sniff like porthole does: pcap, pcapng or gzip magic bytes."""
    with open(path, 'rb') as f:
        head = f.read(4)
    if head[:2] == b'\x1f\x8b':
        return True
    return len(head) == 4 and int.from_bytes(head, 'big') in (0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a)


def run(cmd):
    """Run a porthole command; exit 0 and 2 (a damaged capture: what was read counts) are results."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 2):
        raise RuntimeError(f"{' '.join(map(shlex.quote, cmd))} exited {p.returncode}: {p.stderr.strip()}")
    return p.returncode, p.stderr.strip()


def analyze_file(porthole, index, path, out, flows):
    """Map task: one capture file into a state file (and its flows as Parquet)."""
    state = os.path.join(out, 'states', f'{index:06d}.phst')
    code, err = run(porthole + ['analyze', path, '--jobs', '1', '--state', state])
    parquet = None
    if flows:
        parquet = os.path.join(out, 'flows', f'{index:06d}-{os.path.basename(path)}.parquet')
        run(porthole + ['flows', state, '--format', 'parquet', '-o', parquet])
    return {'path': path, 'state': state, 'fingerprint': fingerprint(path), 'code': code, 'stderr': err, 'flows': parquet}


def merge_states(porthole, states, target):
    """Reduce task: states into one (exact)."""
    if len(states) == 1:
        return states[0]
    run(porthole + ['merge', *states, '--state', target])
    return target


def reduce_tree(client, porthole, leaves, out, fan_in):
    """Merge state files FAN_IN at a time, level by level, as Dask futures (no waiting between levels)."""
    level, depth = list(leaves), 0
    while len(level) > 1:
        level = [client.submit(merge_states, porthole, level[i:i + fan_in], os.path.join(out, 'merge', f'{depth:02d}-{i // fan_in:06d}.phst'), pure=False)
                 for i in range(0, len(level), fan_in)]
        depth += 1
    return level[0], depth


def analyze(client, paths, out, porthole=None, fan_in=8, flows=True, log=sys.stderr):
    """Analyze the capture files on the cluster; returns the summary written to OUT/summary.json."""
    porthole = shlex.split(porthole or os.environ.get('PORTHOLE') or DEFAULT_PORTHOLE)
    for sub in ('states', 'merge', 'flows'):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    t0 = time.time()
    captures = [p for p in paths if is_capture(p)]
    skipped = [p for p in paths if p not in set(captures)]
    if not captures:
        raise SystemExit('porthole_dask: no capture files among the inputs')
    mapped = client.map(analyze_file, [porthole] * len(captures), range(len(captures)), captures, [out] * len(captures), [flows] * len(captures), pure=False)
    results = client.gather(mapped)
    t1 = time.time()
    for r in results:
        if r['stderr']:
            print(r['stderr'], file=log)
    # Repeats of a file (same fingerprint) merge with it first, so every later merge is of disjoint files.
    groups = {}
    for r in results:
        groups.setdefault(r['fingerprint'], []).append(r['state'])
    leaves = [client.submit(merge_states, porthole, g, os.path.join(out, 'merge', f'dup-{k:06d}.phst'), pure=False) if len(g) > 1 else g[0]
              for k, g in enumerate(groups.values())]
    final, depth = reduce_tree(client, porthole, leaves, out, fan_in)
    final = final.result() if hasattr(final, 'result') else final
    t2 = time.time()
    merged = os.path.join(out, 'merged.phst')
    shutil.copyfile(final, merged)
    with open(os.path.join(out, 'report.json'), 'w') as f:
        subprocess.run(porthole + ['report', merged, '--json'], stdout=f, check=False)
    with open(os.path.join(out, 'report.txt'), 'w') as f:
        subprocess.run(porthole + ['report', merged], stdout=f, check=False)
    summary = {
        'files': len(captures), 'skipped': skipped, 'repeated': sum(len(g) - 1 for g in groups.values()),
        'damaged': [r['path'] for r in results if r['code'] == 2], 'bytes': sum(os.path.getsize(p) for p in captures),
        'reduceLevels': depth, 'fanIn': fan_in, 'mapSeconds': round(t1 - t0, 3), 'reduceSeconds': round(t2 - t1, 3),
        'totalSeconds': round(time.time() - t0, 3), 'merged': merged, 'report': os.path.join(out, 'report.json'),
        'flows': [r['flows'] for r in results if r['flows']],
    }
    with open(os.path.join(out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('inputs', nargs='+', help='capture files, directories (read recursively) or globs')
    ap.add_argument('--out', required=True, help='output directory (shared storage every worker can write)')
    where = ap.add_mutually_exclusive_group()
    where.add_argument('--scheduler', help='address of a running Dask scheduler (tcp://host:8786)')
    where.add_argument('--local', type=int, default=2, metavar='N', help='start a LocalCluster of N worker processes (default 2)')
    ap.add_argument('--porthole', help=f'command that runs porthole on the workers (default: $PORTHOLE or "{DEFAULT_PORTHOLE}")')
    ap.add_argument('--fan-in', type=int, default=8, help='states merged per reduce task (default 8)')
    ap.add_argument('--no-flows', action='store_true', help='do not write per-file Parquet flows')
    a = ap.parse_args(argv)
    from distributed import Client, LocalCluster
    paths = expand(a.inputs)
    if a.scheduler:
        client, cluster = Client(a.scheduler), None
    else:
        cluster = LocalCluster(n_workers=a.local, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        summary = analyze(client, paths, os.path.abspath(a.out), a.porthole, max(2, a.fan_in), not a.no_flows)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 2 if summary['damaged'] else 0


if __name__ == '__main__':
    sys.exit(main())
