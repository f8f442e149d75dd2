"""The harness's second measure: the same programs, tools and targets as `bench/run.py`, each
configuration run once under callgrind and judged by the number of instructions it executed
instead of by its wall time (`python3 bench/run.py --instructions`).

Why it exists: the benchmark host's vCPU changes speed by up to ~1.75x on its own, every 10 ms
to a few seconds (BENCHMARKS.md, session 13), so a 100–800 ms run's wall time carries ±20% of
noise and no number of rounds settles a 1.02 target inside a 15-minute run. An instruction
count does not depend on the host's speed: one run of each configuration gives the same
count every time (to a few thousand instructions), so a tool's extra work is measured
exactly. It is not wall time: cache misses and branch mispredictions do not show, so this is
the measure of work done, reported beside the timed run, not instead of it.

It owns only the counting and its report; the configurations (sizes, session files, the
breakpoint line, the output check against CPython) are `run.py`'s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import run as R

COLLECTED = re.compile(r"Collected : (\d+)")

# Smaller sizes for `--instructions --quick`: about a tenth to a fiftieth of the benchmark
# work, so the whole table takes a few minutes. A plugin's fixed start-up cost (loading,
# reading its settings, writing its report: ~0.3–1 M instructions) weighs more here.
SMALL_SIZES = {"nbody": 2000, "richards": 1, "fannkuch": 7, "spectral_norm": 40,
               "float": 10000, "generators": 6000, "nqueens": 6, "coroutines": 18}


@dataclass
class Count:
    key: str
    argv: list[str]
    instructions: int | None = None
    error: str | None = None
    stdout: bytes = b""


@dataclass
class Program:
    name: str
    size: int
    counts: dict[str, Count] = field(default_factory=dict)
    breakpoint: str | None = None


def count(c: Count, env: dict[str, str], cwd: Path, timeout: float) -> None:
    """Runs one configuration under callgrind. `--trace-children=yes` follows the exec of the
    CPython wrapper script (get-cpython.sh installs a shell script that execs the real
    binary); callgrind then reports only the exec'd image, so the shell is not counted."""
    argv = ["valgrind", "--tool=callgrind", "--trace-children=yes",
            "--callgrind-out-file=/dev/null"] + c.argv
    try:
        got = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        c.error = f"timed out after {timeout:.0f} s (--timeout)"
        return
    found = COLLECTED.findall(got.stderr.decode(errors="replace"))
    if got.returncode != 0 or not found:
        c.error = f"exit {got.returncode}: {R.tail(got.stderr)}"
        return
    c.instructions = int(found[-1])
    c.stdout = got.stdout


def main(opts, names: list[str], cpython: Path, vigil: Path, plugin_dir: Path,
         info: dict[str, str]) -> int:
    if shutil.which("valgrind") is None:
        sys.exit("bench: --instructions needs valgrind (Debian package `valgrind`)")
    env = R.child_env()
    work = Path(tempfile.mkdtemp(prefix="vigil-count-"))
    sizes = SMALL_SIZES if opts.quick else R.SIZES
    programs: list[Program] = []
    jobs: list[Count] = []
    for name in names:
        script = R.CORPUS / f"{name}.py"
        args = [str(sizes[name])]
        out = work / name
        out.mkdir()
        p = Program(name, sizes[name])
        p.counts["cpython"] = Count("cpython", [str(cpython), str(script)] + args)
        p.counts["vigil"] = Count("vigil", [str(vigil), "run", str(script)] + args)
        if opts.vigil_nomon is not None:
            p.counts["vigil-nomon"] = Count("vigil-nomon", [str(opts.vigil_nomon.resolve()),
                                                            "run", str(script)] + args)
        line, p.breakpoint = R.choose_breakpoint(cpython, script, args, env, work)
        if not opts.no_tools:
            for key, _label, _target, _mode in R.TOOLS:
                if not R.plugin_available(plugin_dir, R.plugin_of(key)):
                    continue
                if key == "debugger" and line is None:
                    continue
                # Each tool writes its report into its own directory: the runs are parallel.
                tool_out = out / key
                tool_out.mkdir()
                session = out / f"{key}.toml"
                session.write_text(R.SESSIONS[key].format(plugin_dir=plugin_dir, out=tool_out,
                                                          script=script, line=line))
                p.counts[f"vigil:{key}"] = Count(
                    f"vigil:{key}", [str(vigil), "run", "--session", str(session),
                                     str(script)] + args)
        programs.append(p)
        jobs += p.counts.values()

    # One uncounted run of every tool session first, on an empty program, also under
    # callgrind: the host remembers a passed abi_stable layout check per library and running
    # executable (`VIGIL_PROBE_CACHE`, ~1 M instructions), and under valgrind the running
    # executable is valgrind's own, so the first counted run of each plugin would pay the
    # check and the others not. The timed harness's warm-up round does the same for its runs.
    empty = work / "empty.py"
    empty.write_text("")
    warm = {}
    for p in programs:
        for c in p.counts.values():
            if c.key.startswith("vigil:") and c.key not in warm:
                warm[c.key] = Count(c.key, c.argv[:4] + [str(empty)])
    for c in warm.values():
        count(c, env, work, opts.timeout)
        if c.error:
            print(f"bench: warm-up {c.key}: {c.error}", file=sys.stderr)

    workers = opts.jobs or os.cpu_count() or 1
    print(f"bench: counting {len(jobs)} runs under callgrind, {workers} at a time "
          f"({'--quick sizes' if opts.quick else 'benchmark sizes'}); this takes a while",
          file=sys.stderr)
    # The longest runs first, so that the last few do not run alone.
    order = sorted(jobs, key=lambda c: (c.key.startswith("vigil:count"),
                                        c.key == "cpython"), reverse=True)
    done = [0]

    def one(c: Count) -> None:
        count(c, env, work, opts.timeout)
        done[0] += 1
        print(f"bench: {done[0]}/{len(jobs)} counted ({' '.join(Path(a).name for a in c.argv[-2:])}"
              f", {c.key})", file=sys.stderr)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, order))

    check_outputs(programs)

    info["load_end"] = "%.2f %.2f %.2f" % os.getloadavg()
    text, md = render(programs, info, opts)
    print(text)
    opts.markdown.parent.mkdir(parents=True, exist_ok=True)
    opts.markdown.write_text(md)
    print(f"\nbench: Markdown for BENCHMARKS.md written to {opts.markdown}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def check_outputs(programs: list[Program]) -> None:
    """Fails every configuration that printed something other than CPython's run did: its
    count measured a different computation. Every failure is reported on stderr."""
    for p in programs:
        ref = p.counts["cpython"]
        for c in p.counts.values():
            if c is not ref and c.error is None and ref.error is None and c.stdout != ref.stdout:
                c.error = (f"stdout differs from CPython's (got {len(c.stdout)} bytes: "
                           f"{R.tail(c.stdout, 1)[:80]!r})")
            if c.error:
                print(f"bench: {p.name}: {c.key}: {c.error}", file=sys.stderr)


def ratio(a: Count, b: Count) -> float | None:
    if a.error or b.error or not a.instructions or not b.instructions:
        return None
    return a.instructions / b.instructions


def fmt_count(c: Count | None) -> str:
    if c is None:
        return "—"
    if c.error:
        return "FAIL"
    return f"{c.instructions / 1e6:,.1f} M"


def fmt(r: float | None, digits: int = 3) -> str:
    return "—" if r is None else f"{r:.{digits}f}"


def render(programs: list[Program], info: dict[str, str], opts) -> tuple[str, str]:
    text_parts, md_parts = [], []
    head = (f"{info['date']} · commit {info['commit']} · {info['machine']} · "
            f"CPython {info['cpython']} · vigil {info.get('vigil', '?')}")
    how = ("instructions executed, one callgrind run per configuration "
           f"({'--quick sizes' if opts.quick else 'benchmark sizes'}; counts repeat to within "
           "a few thousand instructions, whatever the host's load)")
    text_parts.append(head + "\n" + how)
    md_parts.append(f"### Instruction counts, {info['date']}\n\n{head}\n\n{how}.\n")

    header = ["program", "CPython", "vigil", "vigil/CPython"]
    nomon = any("vigil-nomon" in p.counts for p in programs)
    if nomon:
        header.append("in/out")
    rows, ratios = [], []
    for p in programs:
        r = ratio(p.counts["vigil"], p.counts["cpython"])
        if r is not None:
            ratios.append(r)
        row = [f"{p.name} {p.size}", fmt_count(p.counts["cpython"]),
               fmt_count(p.counts["vigil"]), fmt(r)]
        if nomon:
            row.append(fmt(ratio(p.counts["vigil"], p.counts["vigil-nomon"]), 4)
                       if "vigil-nomon" in p.counts else "—")
        rows.append(row)
    t, m = R.table(header, rows)
    gm = R.geomean(ratios) if len(ratios) == len(programs) else None
    shown = fmt(gm) if gm is not None else "— (vigil or CPython failed on some programs)"
    line = (f"geomean vigil/CPython instructions: {shown} (for comparison with the timed "
            f"target ≤ {R.TIME_TARGET}; instructions are not time: CPython's start-up is "
            f"~57 M of them, vigil's ~2 M)")
    text_parts.append(t + "\n" + line)
    md_parts.append(m.rstrip("\n") + "\n\n" + line + "\n")

    if not opts.no_tools:
        header = ["program"] + [label for _k, label, _t, _m in R.TOOLS]
        rows = []
        worst: dict[str, tuple[float, str]] = {}
        for p in programs:
            row = [f"{p.name} {p.size}"]
            for key, _label, _target, _mode in R.TOOLS:
                c = p.counts.get(f"vigil:{key}")
                r = None if c is None else ratio(c, p.counts["vigil"])
                row.append("—" if c is None else ("FAIL" if r is None else fmt(r)))
                if r is not None and (key not in worst or r > worst[key][0]):
                    worst[key] = (r, p.name)
                elif c is not None and r is None:
                    worst[key] = (float("inf"), p.name)
            rows.append(row)
        verdicts = ["worst (target)"]
        for key, _label, target, _mode in R.TOOLS:
            if key not in worst:
                verdicts.append("—")
                continue
            r, name = worst[key]
            if r == float("inf"):
                verdicts.append(f"FAIL {name} (≤{target}: MISS)")
            else:
                verdicts.append(f"{fmt(r)} {name} (≤{target}: {R.verdict(r, target)})")
        rows.append(verdicts)
        t, m = R.table(header, rows)
        intro = ("Tool overheads by instructions, (with the tool)/(without), vigil; CPython's "
                 "Python-callback twins are measured by time only (bench/run.py without "
                 "--instructions)")
        text_parts.append(intro + "\n" + t)
        md_parts.append(intro + ":\n\n" + m.rstrip("\n") + "\n")
        bps = [f"{p.name}: {p.breakpoint}" for p in programs if p.breakpoint]
        if bps:
            note = "Debugger breakpoint (never hit): " + "; ".join(bps)
            text_parts.append(note)
            md_parts.append(note + ".\n")
    return "\n\n".join(text_parts), "\n".join(md_parts)
