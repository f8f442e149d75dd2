#!/usr/bin/env python3
"""The cost of having monitoring compiled in when no tool is active (issue 6: ≤ 1.01).

Runs the interpreter-loop micro-benchmark (runtime/vm/benches/interp.rs, divan) built with
vigil-vm's default features (monitoring compiled in, no tool attached) and with
`--no-default-features` (monitoring compiled out), alternating the two builds several times so
that machine-load drift hits both, and prints per kernel the median of divan's medians and
the ratio in/out with PASS/MISS. It owns only this comparison; the kernels live in the bench
file, and the whole-program comparison is `bench/run.py --vigil-nomon PATH`.

usage: python3 bench/mon_cost.py [--rounds N] [--markdown FILE] [--at-head]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = 1.01
UNITS = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
# A divan result row: "├─ name   fastest │ slowest │ median │ mean │ samples │ iters".
ROW = re.compile(r"[├╰]─ (\S+)\s+(.+)$")


def parse(output: str) -> dict[str, float]:
    """Kernel name → median seconds, from divan's table."""
    medians = {}
    for line in output.splitlines():
        m = ROW.search(line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split("│")]
        if len(cells) < 4 or not cells[2]:
            continue
        value, unit = cells[2].split()
        medians[m.group(1)] = float(value) * UNITS[unit]
    return medians


def export_head() -> Path:
    """HEAD as plain files in target/bench/head-tree, so that other people's uncommitted
    edits in the shared working tree cannot break or skew the build being measured."""
    tree = REPO / "target" / "bench" / "head-tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def bench(features: list[str], root: Path, env: dict[str, str]) -> dict[str, float]:
    argv = ["cargo", "bench", "-q", "-p", "vigil-vm", "--bench", "interp"] + features
    got = subprocess.run(argv, cwd=root, capture_output=True, text=True, env=env)
    if got.returncode != 0:
        sys.exit(f"mon_cost: {' '.join(argv)} failed:\n{got.stderr[-3000:]}")
    medians = parse(got.stdout)
    if not medians:
        sys.exit(f"mon_cost: no divan results in the output of {' '.join(argv)}:\n{got.stdout}")
    return medians


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="alternations of the two builds")
    ap.add_argument("--markdown", type=Path, default=None)
    ap.add_argument("--at-head", action="store_true",
                    help="measure the committed HEAD (exported to target/bench/head-tree, "
                         "own target dir) instead of the working tree")
    opts = ap.parse_args()
    root, env = REPO, dict(os.environ)
    if opts.at_head:
        root = export_head()
        # A target dir of its own that survives between runs, so only the first is slow.
        env["CARGO_TARGET_DIR"] = str(REPO / "target" / "bench" / "head-target")
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip()
        print(f"mon_cost: measuring HEAD {commit} in {root}", file=sys.stderr)
    manifest = (root / "runtime" / "vm" / "Cargo.toml").read_text()
    if not re.search(r"^monitoring\s*=", manifest, re.M):
        sys.exit("mon_cost: vigil-vm has no `monitoring` feature, so there is nothing to "
                 "compile out yet")
    runs: dict[str, dict[str, list[float]]] = {"in": {}, "out": {}}
    for rnd in range(opts.rounds):
        for which, features in (("in", []), ("out", ["--no-default-features"])):
            for kernel, t in bench(features, root, env).items():
                runs[which].setdefault(kernel, []).append(t)
        print(f"mon_cost: round {rnd + 1}/{opts.rounds} done", file=sys.stderr)
    rows = []
    worst = None
    for kernel in runs["in"]:
        if kernel not in runs["out"]:
            continue
        t_in = statistics.median(runs["in"][kernel])
        t_out = statistics.median(runs["out"][kernel])
        r = t_in / t_out
        if kernel != "empty":
            worst = r if worst is None else max(worst, r)
        rows.append((kernel, t_in, t_out, r))
    lines = ["| kernel | compiled in, no tool | compiled out | in/out |", "|---|---|---|---|"]
    for kernel, t_in, t_out, r in rows:
        lines.append(f"| {kernel} | {t_in * 1e6:.1f} µs | {t_out * 1e6:.1f} µs | {r:.3f} |")
    verdict = "n/a" if worst is None else ("PASS" if worst <= TARGET else "MISS")
    summary = (f"worst kernel (excluding `empty`, which is VM set-up only): "
               f"{'—' if worst is None else f'{worst:.3f}'} (target ≤ {TARGET}: {verdict}); "
               f"medians of divan medians over {opts.rounds} alternations")
    text = "\n".join(lines) + "\n\n" + summary + "\n"
    print(text)
    if opts.markdown:
        opts.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
