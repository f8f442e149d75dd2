#!/usr/bin/env python3
"""vigil's benchmark harness: the corpus under vigil and CPython 3.13 in the same run, then
the cost of monitoring tools on both (issue 6).

It owns measuring and reporting: running each configuration as a child process, timing it
(wall clock) and reading its peak RSS (`os.wait4` rusage), checking that every configuration
printed what CPython printed, and rendering the medians, ratios and targets as text and as a
Markdown section for BENCHMARKS.md. It does not build anything unless asked (`--build`), it
does not own the tools it runs (plugins/*, ../shared/bench/cpy_tools.py), and it never edits
the conformance data it reads.

usage: python3 bench/run.py [--quick] [--runs N] [--quiet-runs N] [--settle-rounds N]
                            [--cpu LIST] [--instructions [--jobs N]]
                            [--programs a,b] [--no-tools] [--build]
                            [--guest-tools] [--no-vigil]
                            [--vigil PATH] [--vigil-nomon PATH] [--cpython PATH]
                            [--markdown FILE] [--json FILE]
       python3 bench/run.py --render FILE.json

Runs interleave: after one warm-up round, each round runs every configuration of a program
once (vigil and CPython, with and without each tool), so slow drift in machine load (other
builds on a shared 2-core box) lands on every configuration alike; the order rotates by one
each round. The baselines and the near-1 tools (coverage, debugger) run in all 15 rounds, the
profiler and count every event in 5 of them. Medians are over rounds. A vigil tool cell whose
90% interval still straddles its target then gets settle rounds (up to 40, just the tool and
its baseline) until the interval clears the target; the report marks such cells.
Python 3.9+ runs the harness itself; the reference interpreter is CPython 3.13.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "conformance" / "corpus"
CPY_TOOLS = SHARED / "bench" / "cpy_tools.py"
GET_CPYTHON = SHARED / "conformance" / "get-cpython.sh"
DEFAULT_CPYTHON = Path.home() / ".cache" / "cpython3.13" / "python3.13"
UNHIT = Path(__file__).resolve().parent / "unhit_lines.py"

# Benchmark sizes from issue 6. The corpus programs take one integer argument; without it
# they run at the (smaller) conformance size their .stdout/.counts files were made with.
SIZES = {
    "nbody": 20000,
    "richards": 3,
    "fannkuch": 9,
    "spectral_norm": 100,
    "float": 100000,
    "generators": 60000,
    "nqueens": 8,
    "coroutines": 27,
}

# Targets from issue 6.
TIME_TARGET = 1.5  # geometric mean of vigil/CPython wall time
TIME_GOAL = 1.0  # the goal beyond the issue
NOMON_TARGET = 1.01  # monitoring compiled in, no tool / compiled out

# The tools: (key, label, target overhead, cpy_tools.py mode of the CPython twin).
# cpy_tools.py has a single coverage mode (LINE+BRANCH, DISABLE after the first hit), so
# both vigil coverage rows are set against it.
TOOLS = [
    ("coverage-line", "coverage (line)", 1.05, "coverage"),
    ("coverage-branch", "coverage (branch)", 1.10, "coverage"),
    ("profiler", "profiler", 1.5, "profile"),
    ("count", "count every event", 2.0, "count"),
    ("debugger", "debugger, unhit breakpoint", 1.02, "breakpoint"),
]

# Configurations measured in every round (`--quiet-runs`, default 15): the two interpreters'
# baselines and the tools whose targets are within 10% of 1 (coverage, debugger) with their
# CPython twins. Their ratios must resolve a few percent, and these short (100–800 ms) runs
# scatter by ±10–20% each on a shared machine, so a median of 5 moves by several percent
# between runs of one binary. The profiler and count-every-event (targets 1.5 and 2.0, runs up
# to 10x longer on CPython) keep `--runs` rounds (default 5), spread evenly over the same
# rounds, so every configuration still alternates with its baseline.
QUIET_TOOLS = {"coverage-line", "coverage-branch", "debugger"}
QUIET_CPY_MODES = {t[3] for t in TOOLS if t[0] in QUIET_TOOLS} | {"none"}

# Session files for the vigil tools. {plugin_dir}, {out}, {script} and {line} are filled in
# per program; reports go to files in a temp dir so that stdout stays the program's own and
# can be compared with CPython's. The settings follow each plugin's documented keys.
SESSIONS = {
    "coverage-line": """
[session]
plugin_dirs = ["{plugin_dir}"]
[[tool]]
plugin = "coverage"
id = 1
[tool.settings]
branch = false
report = ["json:{out}/coverage.json"]
""",
    "coverage-branch": """
[session]
plugin_dirs = ["{plugin_dir}"]
[[tool]]
plugin = "coverage"
id = 1
[tool.settings]
branch = true
report = ["json:{out}/coverage.json"]
""",
    "profiler": """
[session]
plugin_dirs = ["{plugin_dir}"]
[[tool]]
plugin = "profiler"
id = 2
[tool.settings]
report = ["json:{out}/profile.json"]
""",
    "count": """
[session]
plugin_dirs = ["{plugin_dir}"]
[[tool]]
plugin = "counter"
id = 3
[tool.settings]
report = "{out}/counts.txt"
""",
    "debugger": """
[session]
plugin_dirs = ["{plugin_dir}"]
[[tool]]
plugin = "debugger"
id = 0
[tool.settings]
break = ["{script}:{line}"]
interactive = false
output = "{out}/debugger.txt"
""",
}


# ---------------------------------------------------------------------------------------------
# Running one child.


@dataclass
class Sample:
    wall: float  # seconds
    rss_kb: int  # peak resident set size (ru_maxrss, KiB on Linux)
    status: int  # exit status, or -signal
    stdout: bytes
    stderr: bytes
    cpu: float = 0.0  # user + system seconds of the child and its waited-for descendants


# Peak RSS comes from wait4's ru_maxrss, but not of a child forked from this harness: Linux
# keeps ru_maxrss across execve, so a child forked from a ~18 MB Python process reports at
# least 18 MB whatever it runs. GNU time is a small C program that forks and waits for the
# real child itself (wait4 as well), so its %M is the child's own peak.
GNU_TIME = Path("/usr/bin/time")


def run_once(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> Sample:
    """Runs argv to completion and measures it. The clock spans fork to reap, so it includes
    process start-up for both interpreters alike (and GNU time's own fork, the same for all)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        wrapped = argv
        if GNU_TIME.exists():
            wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss.name] + argv
        t0 = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, 9))
        timer.start()
        try:
            _, wait_status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        # Popen must not reap the pid again (it may have been reused by then).
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        rss_kb = usage.ru_maxrss
        # wait4's rusage of the reaped child includes the children it reaped itself (GNU
        # time's child, the interpreter), so this is the interpreter's CPU time plus GNU
        # time's own few hundred microseconds. Wall time well above it means the child
        # waited for a CPU: the machine was busy.
        cpu = usage.ru_utime + usage.ru_stime
        if wrapped is not argv:
            # The last line is %M; GNU time writes "Command exited with non-zero status N" or
            # "Command terminated by signal N" before it.
            lines = rss.read().split("\n")
            lines = [x for x in lines if x.strip()]
            if lines and lines[-1].strip().isdigit():
                rss_kb = int(lines[-1])
            for x in lines:
                if x.startswith("Command terminated by signal"):
                    proc.returncode = -int(x.split()[-1])
        out.seek(0)
        err.seek(0)
        return Sample(wall, rss_kb, proc.returncode, out.read(), err.read(), cpu)


def tail(data: bytes, lines: int = 3) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:]) if text else "(no output)"


# ---------------------------------------------------------------------------------------------
# Configurations and results.


@dataclass
class Config:
    key: str  # e.g. "vigil", "cpython", "vigil:count", "cpython:count"
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None  # set on the first failure; the configuration is then skipped
    note: str | None = None  # why the configuration was not run at all
    # Runs in every measured round (--quiet-runs); otherwise in --runs rounds spread evenly
    # over them. See QUIET below.
    quiet: bool = True
    # Settle rounds (see `settle`): samples taken after the measured rounds, for tool cells
    # whose interval straddled their target. Only the tool overheads read them, and only
    # as a pair (a tool's and its baseline's from the same rounds).
    extra: list[Sample] = field(default_factory=list)

    def median_wall(self) -> float | None:
        if self.error or not self.samples:
            return None
        return statistics.median(s.wall for s in self.samples)

    def median_rss(self) -> int | None:
        if self.error or not self.samples:
            return None
        return int(statistics.median(s.rss_kb for s in self.samples))

    def spread(self) -> float | None:
        """Half the min-max range relative to the median: a rough noise gauge."""
        m = self.median_wall()
        if m is None or len(self.samples) < 2:
            return None
        walls = [s.wall for s in self.samples]
        return (max(walls) - min(walls)) / 2 / m


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def ratio_interval(xs: list[float], ys: list[float],
                   resamples: int = 2000) -> tuple[float, float] | None:
    """A 90% bootstrap interval for median(xs)/median(ys) (wall times of two
    configurations): each list resampled with replacement, the ratio of medians taken each
    time, and its 5th and 95th percentiles kept. It shows how far this run's noise could move
    a ratio: on a host whose speed drifts by ±20% between runs, 15 rounds cannot tell 1.00
    from 1.03, and the interval says so. The seed is fixed, so one JSON file always renders
    the same intervals."""
    if len(xs) < 3 or len(ys) < 3:
        return None
    rng = random.Random(669)
    rs = sorted(statistics.median(rng.choices(xs, k=len(xs)))
                / statistics.median(rng.choices(ys, k=len(ys))) for _ in range(resamples))
    return rs[resamples // 20], rs[resamples - 1 - resamples // 20]


def tool_walls(tool: Config, base: Config) -> tuple[list[float], list[float]] | None:
    """The wall times a vigil tool cell is computed from: the measured rounds' samples of
    the tool and of its baseline, plus both settle rounds' samples when the cell was settled
    (the baseline's settle samples come from the same rounds as the tool's). None when either
    configuration failed or has no samples."""
    if tool.error or base.error or not tool.samples or not base.samples:
        return None
    xs, ys = [s.wall for s in tool.samples], [s.wall for s in base.samples]
    if tool.extra:
        xs += [s.wall for s in tool.extra]
        ys += [s.wall for s in base.extra]
    return xs, ys


def paired_ratio(tool: Config, base: Config) -> float | None:
    """The median of a settled cell's per-round ratios: settle round i ran the tool and its
    baseline next to each other, so `tool.extra[i] / base.extra[i]` compares runs made at
    one host speed."""
    pairs = [t.wall / b.wall for t, b in zip(tool.extra, base.extra) if b.wall > 0]
    return statistics.median(pairs) if pairs and len(tool.extra) == len(base.extra) else None


def tool_cell(tool: Config, base: Config) -> tuple[float | None, tuple[float, float] | None]:
    """A vigil tool cell: (time with the tool)/(time without), medians, and its interval."""
    walls = tool_walls(tool, base)
    if walls is None:
        return None, None
    xs, ys = walls
    return ratio(statistics.median(xs), statistics.median(ys)), ratio_interval(xs, ys)


def geomean(xs: list[float]) -> float | None:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= target else "MISS"


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}"


def fmt_time(cfg: Config) -> str:
    if cfg.note:
        return cfg.note
    if cfg.error:
        return "FAIL"
    m = cfg.median_wall()
    if m is None:
        return "—"
    sp = cfg.spread()
    return f"{m * 1000:.0f} ms" + (f" ±{sp * 100:.0f}%" if sp is not None else "")


# ---------------------------------------------------------------------------------------------
# Environment.


def sh(argv: list[str], cwd: Path | None = None) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd,
                              check=False).stdout.strip()
    except OSError:
        return ""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(cpython: Path, vigil: Path | None) -> dict[str, str]:
    commit = sh(["git", "rev-parse", "--short=12", "HEAD"], REPO)
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"], REPO)
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (working tree modified)" if dirty else ""),
        "machine": f"{os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} "
                   f"{platform.release()}",
        "load": "%.2f %.2f %.2f" % os.getloadavg(),
        "cpython": sh([str(cpython), "-c", "import sys; print(sys.version.split()[0])"]),
    }
    if vigil is not None:
        built = datetime.datetime.fromtimestamp(vigil.stat().st_mtime, datetime.timezone.utc)
        info["vigil"] = f"{vigil} (built {built:%Y-%m-%d %H:%M} UTC)"
    return info


def find_cpython(path: Path | None) -> Path:
    if path is not None:
        return path
    if DEFAULT_CPYTHON.exists():
        return DEFAULT_CPYTHON
    print(f"bench: CPython 3.13 not found at {DEFAULT_CPYTHON}; installing it with "
          f"{GET_CPYTHON}", file=sys.stderr)
    got = subprocess.run(["bash", str(GET_CPYTHON)], capture_output=True, text=True)
    if got.returncode != 0:
        sys.exit(f"bench: get-cpython.sh failed:\n{got.stderr}")
    return Path(got.stdout.strip().splitlines()[-1])


def build(vigil_tools: bool) -> None:
    """Builds the release binary and the tool plugins that exist in the workspace."""
    pkgs = ["vigil"]
    if vigil_tools:
        for name in ("coverage", "profiler", "debugger", "counter"):
            if (REPO / "plugins" / name / "Cargo.toml").exists():
                pkgs.append(f"vigil-{name}")
    argv = ["cargo", "build", "--release"] + [a for p in pkgs for a in ("-p", p)]
    print("bench: " + " ".join(argv), file=sys.stderr)
    if subprocess.run(argv, cwd=REPO).returncode != 0:
        sys.exit("bench: build failed")


# ---------------------------------------------------------------------------------------------
# The event volume check: the counter's totals against CPython's corpus .counts files.


def cpython_event_totals(program: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in (CORPUS / f"{program}.counts").read_text().splitlines():
        n, _, rest = line.partition("\t")
        event = rest.split(" ", 1)[0]
        totals[event] = totals.get(event, 0) + int(n)
    return totals


def counter_totals(text: str) -> dict[str, int]:
    out = {}
    for line in text.splitlines():
        name, _, n = line.partition("\t")
        if name != "TOTAL" and n:
            out[name] = int(n)
    return out


# ---------------------------------------------------------------------------------------------
# The run.


@dataclass
class ProgramResult:
    name: str
    size: int | None
    configs: dict[str, Config]
    reference_stdout: bytes | None = None
    breakpoint: str | None = None
    volume: str | None = None
    volume_events: int | None = None  # events the counter received in the volume check
    loads: list[float] = field(default_factory=list)  # 1-minute load average after each round


def choose_breakpoint(cpython: Path, script: Path, args: list[str], env: dict[str, str],
                      cwd: Path) -> tuple[int | None, str]:
    """A line of the program that exists but never runs at this size (CPython decides)."""
    got = subprocess.run([str(cpython), str(UNHIT), str(script)] + args, capture_output=True,
                         text=True, env=env, cwd=cwd)
    if got.returncode != 0:
        return None, f"unhit_lines.py failed: {tail(got.stderr.encode())}"
    lines = json.loads(got.stdout)
    started = [x for x in lines if x[2]]
    pick = (started or lines or [None])[0]
    if pick is None:
        return None, "n/a: every executable line runs"
    where = "in a function that runs" if pick[2] else "in a function never called"
    return pick[0], f"line {pick[0]} ({pick[1]}, {where})"


def plugin_of(tool_key: str) -> str:
    """The plugin a TOOLS key runs (both coverage rows are one plugin, `count` is the
    counter)."""
    return {"coverage-line": "coverage", "coverage-branch": "coverage",
            "count": "counter"}.get(tool_key, tool_key)


def child_env() -> dict[str, str]:
    """The environment every measured child runs in: CPython's string hashing fixed (vigil
    reads the same variable), and no plugin path from the caller's shell."""
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env.pop("VIGIL_PLUGIN_PATH", None)
    return env


def plugin_available(plugin_dir: Path, name: str) -> bool:
    return (plugin_dir / f"libvigil_{name}.so").exists()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: conformance sizes, 3 rounds (not for BENCHMARKS.md)")
    ap.add_argument("--runs", type=int, default=None,
                    help="measured rounds of every configuration (default 5)")
    ap.add_argument("--quiet-runs", type=int, default=None,
                    help="measured rounds of the baselines and the coverage and debugger "
                         "configurations (default 15; never fewer than --runs)")
    ap.add_argument("--settle-rounds", type=int, default=None,
                    help="most extra rounds for a vigil tool cell whose interval straddles "
                         "its target (default 40; 0 with --quick)")
    ap.add_argument("--cpu", default=None,
                    help="pin the harness and every child to these CPUs (e.g. 1 or 0,1; "
                         "default: no pinning)")
    ap.add_argument("--warmup", type=int, default=1, help="warm-up rounds (default 1)")
    ap.add_argument("--programs", default=None, help="comma-separated subset of the corpus")
    ap.add_argument("--no-tools", action="store_true", help="skip the tool overheads")
    ap.add_argument("--no-vigil", action="store_true", help="CPython half only")
    ap.add_argument("--guest-tools", action="store_true",
                    help="also run cpy_tools.py itself under vigil (Python callbacks on vigil's "
                         "sys.monitoring) next to CPython")
    ap.add_argument("--build", action="store_true",
                    help="cargo build --release the binary and the tool plugins first")
    ap.add_argument("--vigil", type=Path, default=REPO / "target" / "release" / "vigil")
    ap.add_argument("--vigil-nomon", type=Path, default=None,
                    help="a vigil built with monitoring compiled out, for the ≤1.01 target")
    ap.add_argument("--plugin-dir", type=Path, default=None,
                    help="where the tool plugins are (default: beside --vigil)")
    ap.add_argument("--cpython", type=Path, default=None)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per child run")
    ap.add_argument("--markdown", type=Path, default=REPO / "target" / "bench" / "latest.md")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw samples")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under callgrind instead of timing: every "
                         "configuration once, judged by its instruction count (with --quick: "
                         "smaller sizes); see bench/counted.py")
    ap.add_argument("--jobs", type=int, default=None,
                    help="with --instructions: callgrind runs at a time (default: CPUs)")
    ap.add_argument("--render", type=Path, default=None, metavar="JSON",
                    help="run nothing: print the report of an earlier run's --json file")
    opts = ap.parse_args()
    if opts.render is not None:
        return rerender(opts.render, opts)

    runs = opts.runs if opts.runs is not None else (3 if opts.quick else 5)
    if runs < 1:
        sys.exit("bench: --runs must be at least 1")
    quiet_runs = opts.quiet_runs if opts.quiet_runs is not None else (3 if opts.quick else 15)
    quiet_runs = max(quiet_runs, runs)
    opts.runs_used, opts.quiet_runs_used = runs, quiet_runs
    settle_rounds = (opts.settle_rounds if opts.settle_rounds is not None
                     else (0 if opts.quick else 40))
    opts.settle_used = settle_rounds
    if opts.cpu is not None:
        try:
            cpus = {int(c) for c in opts.cpu.split(",")}
            # Children inherit the mask; the harness itself only waits while they run.
            os.sched_setaffinity(0, cpus)
        except (ValueError, OSError) as e:
            sys.exit(f"bench: --cpu {opts.cpu}: {e}")
    names = list(SIZES) if opts.programs is None else opts.programs.split(",")
    for n in names:
        if n not in SIZES:
            sys.exit(f"bench: unknown program {n!r} (corpus: {', '.join(SIZES)})")
    if opts.build and not opts.no_vigil:
        build(not opts.no_tools)

    if not GNU_TIME.exists():
        print(f"bench: {GNU_TIME} is missing (Debian package `time`): peak RSS falls back to "
              "wait4 on a child of this harness and is at least the harness's own RSS",
              file=sys.stderr)
    cpython = find_cpython(opts.cpython)
    vigil: Path | None = None
    vigil_note = None
    if opts.no_vigil:
        vigil_note = "not run (--no-vigil)"
    elif not opts.vigil.exists():
        vigil_note = "not run (no binary)"
        print(f"bench: {opts.vigil} does not exist (cargo build --release -p vigil, or "
              f"--build); running the CPython half only", file=sys.stderr)
    else:
        vigil = opts.vigil.resolve()
    plugin_dir = (opts.plugin_dir or (vigil.parent if vigil else REPO / "target" / "release"))
    plugin_dir = plugin_dir.resolve()

    if opts.instructions:
        if vigil is None:
            sys.exit("bench: --instructions counts vigil's runs; it needs the vigil binary")
        import counted

        return counted.main(opts, names, cpython, vigil, plugin_dir,
                            machine_info(cpython, vigil))

    env = child_env()
    work = Path(tempfile.mkdtemp(prefix="vigil-bench-"))
    info = machine_info(cpython, vigil)
    if opts.cpu is not None:
        info["pinned"] = f"children pinned to CPU(s) {opts.cpu}"
    print(f"bench: {info['date']}, commit {info['commit']}, {info['machine']}, "
          f"load {info['load']}", file=sys.stderr)
    print(f"bench: CPython {info['cpython']} at {cpython}; vigil: "
          f"{info.get('vigil', vigil_note)}", file=sys.stderr)

    results: list[ProgramResult] = []
    for name in names:
        size = None if opts.quick else SIZES[name]
        script = CORPUS / f"{name}.py"
        args = [] if size is None else [str(size)]
        out = work / name
        out.mkdir()
        cfgs: dict[str, Config] = {}
        cfgs["cpython"] = Config("cpython", [str(cpython), str(script)] + args)
        cfgs["vigil"] = Config("vigil", [str(vigil) if vigil else "vigil", "run", str(script)]
                               + args, note=vigil_note)
        if opts.vigil_nomon is not None:
            cfgs["vigil-nomon"] = Config("vigil-nomon", [str(opts.vigil_nomon.resolve()), "run",
                                                         str(script)] + args)
        res = ProgramResult(name, size, cfgs)
        if not opts.no_tools:
            cfgs["cpython:none"] = Config("cpython:none", [str(cpython), str(CPY_TOOLS), "none",
                                                           str(script)] + args)
            modes = sorted({t[3] for t in TOOLS})
            for mode in modes:
                cfgs[f"cpython:{mode}"] = Config(f"cpython:{mode}",
                                                 [str(cpython), str(CPY_TOOLS), mode,
                                                  str(script)] + args,
                                                 quiet=mode in QUIET_CPY_MODES)
            line, res.breakpoint = choose_breakpoint(cpython, script, args, env, work)
            for key, _label, _target, _mode in TOOLS:
                plugin = plugin_of(key)
                session = out / f"{key}.toml"
                session.write_text(SESSIONS[key].format(plugin_dir=plugin_dir, out=out,
                                                        script=script, line=line))
                note = vigil_note
                if note is None and not plugin_available(plugin_dir, plugin):
                    note = f"no libvigil_{plugin}.so"
                if note is None and key == "debugger" and line is None:
                    note = "n/a (no unhit line)"
                cfgs[f"vigil:{key}"] = Config(f"vigil:{key}",
                                              [str(vigil), "run", "--session", str(session),
                                               str(script)] + args, note=note,
                                              quiet=key in QUIET_TOOLS)
            if opts.guest_tools:
                for mode in ["none"] + modes:
                    cfgs[f"vigil-guest:{mode}"] = Config(
                        f"vigil-guest:{mode}",
                        [str(vigil), "run", str(CPY_TOOLS), mode, str(script)] + args,
                        note=vigil_note, quiet=False)
        results.append(res)
        run_program(res, opts.warmup, runs, quiet_runs, env, work, opts.timeout)
        if not opts.no_tools and vigil is not None:
            settle(res, settle_rounds, env, work, opts.timeout)
        if not opts.no_tools and vigil is not None and plugin_available(plugin_dir, "counter"):
            res.volume, res.volume_events = volume_check(vigil, plugin_dir, script, out, env,
                                                         work, opts.timeout)

    info["load_end"] = "%.2f %.2f %.2f" % os.getloadavg()
    text, md = render(results, info, runs, opts)
    print(text)
    opts.markdown.parent.mkdir(parents=True, exist_ok=True)
    opts.markdown.write_text(md)
    print(f"\nbench: Markdown for BENCHMARKS.md written to {opts.markdown}", file=sys.stderr)
    if opts.json:
        opts.json.write_text(json.dumps({
            "info": info,
            "options": {"runs": runs, "quiet_runs": quiet_runs, "warmup": opts.warmup,
                        "settle_rounds": settle_rounds,
                        "quick": opts.quick, "no_tools": opts.no_tools,
                        "guest_tools": opts.guest_tools},
            "programs": {r.name: {"size": r.size, "load": r.loads,
                                  "breakpoint": r.breakpoint, "volume": r.volume,
                                  "volume_events": r.volume_events, "configs": {
                k: {"error": c.error, "note": c.note,
                    "wall": [s.wall for s in c.samples], "cpu": [s.cpu for s in c.samples],
                    "rss_kb": [s.rss_kb for s in c.samples],
                    "extra_wall": [s.wall for s in c.extra],
                    "extra_cpu": [s.cpu for s in c.extra],
                    "extra_rss_kb": [s.rss_kb for s in c.extra]}
                for k, c in r.configs.items()}} for r in results},
        }, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def rerender(path: Path, opts: argparse.Namespace) -> int:
    """`--render`: rebuild the results of an earlier run from its JSON (the samples, not the
    programs' output) and print its report again, with this version's statistics."""
    try:
        data = json.loads(path.read_text())
        saved = data.get("options", {})
        results = []
        for name, p in data["programs"].items():
            cfgs = {}
            for key, c in p["configs"].items():
                cfg = Config(key, [], error=c["error"], note=c["note"])
                cfg.samples = [Sample(w, r, 0, b"", b"", u)
                               for w, u, r in zip(c["wall"], c["cpu"], c["rss_kb"])]
                cfg.extra = [Sample(w, r, 0, b"", b"", u)
                             for w, u, r in zip(c.get("extra_wall", []), c.get("extra_cpu", []),
                                                c.get("extra_rss_kb", []))]
                cfgs[key] = cfg
            res = ProgramResult(name, p["size"], cfgs, breakpoint=p.get("breakpoint"),
                                volume=p.get("volume"), volume_events=p.get("volume_events"))
            res.loads = p.get("load", [])
            results.append(res)
        info = data["info"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        sys.exit(f"bench: --render {path}: not a --json file of this harness ({e})")
    # Files written before the options were saved: the defaults of a full run, and the
    # tool tables if the run had tool configurations.
    runs = saved.get("runs", 5)
    opts.runs_used, opts.quiet_runs_used = runs, saved.get("quiet_runs", 15)
    opts.warmup = saved.get("warmup", 1)
    opts.settle_used = saved.get("settle_rounds", 0)
    opts.quick = saved.get("quick", False)
    opts.no_tools = saved.get("no_tools", not any(
        "vigil:debugger" in r.configs for r in results))
    opts.guest_tools = saved.get("guest_tools", any(
        "vigil-guest:none" in r.configs for r in results))
    opts.vigil_nomon = (Path("vigil-nomon") if any("vigil-nomon" in r.configs for r in results)
                        else None)
    text, _md = render(results, info, runs, opts)
    print(text)
    return 0


def in_round(cfg: Config, measured_round: int, runs: int, rounds: int) -> bool:
    """Whether a configuration runs in a measured round (0-based) of `rounds`: quiet ones in
    every round, the others in `runs` of them spread evenly (0, 3, 6, 9 and 12 of 0–14)."""
    if cfg.quiet or measured_round < 0:
        return True
    # i * runs mod rounds takes each multiple of gcd(runs, rounds) below `rounds` equally
    # often, so exactly `runs` rounds pass this test.
    return measured_round * runs % rounds < runs


def run_program(res: ProgramResult, warmup: int, runs: int, quiet_runs: int,
                env: dict[str, str], cwd: Path, timeout: float) -> None:
    """Warm-up rounds, then measured rounds; every configuration once per round (the
    non-quiet ones in `runs` of the `quiet_runs` rounds). The order rotates by one
    configuration per round, so that none always runs right after the same neighbour (a long
    CPython count run, say) or always first. The first round starts with CPython, whose
    first stdout is the reference every other configuration must match."""
    cfgs = [c for c in res.configs.values() if c.note is None]
    label = res.name + ("" if res.size is None else f" {res.size}")
    rounds = max(runs, quiet_runs)
    for rnd in range(warmup + rounds):
        measured = rnd >= warmup
        shift = rnd % len(cfgs) if cfgs else 0
        for cfg in cfgs[shift:] + cfgs[:shift]:
            if cfg.error or not in_round(cfg, rnd - warmup, runs, rounds):
                continue
            s = run_once(cfg.argv, env, cwd, timeout)
            if res.reference_stdout is None and cfg.key == "cpython":
                if s.status != 0:
                    sys.exit(f"bench: CPython failed on {label}: {tail(s.stderr)}")
                res.reference_stdout = s.stdout
            if s.status != 0 and s.wall >= timeout:
                cfg.error = f"timed out after {timeout:.0f} s (--timeout)"
            elif s.status != 0:
                cfg.error = f"exit {s.status}: {tail(s.stderr)}"
            elif s.stdout != res.reference_stdout:
                cfg.error = (f"stdout differs from CPython's (got {len(s.stdout)} bytes: "
                             f"{tail(s.stdout, 1)[:80]!r})")
            if cfg.error:
                print(f"bench: {label}: {cfg.key}: {cfg.error}", file=sys.stderr)
            elif measured:
                cfg.samples.append(s)
        res.loads.append(os.getloadavg()[0])
        print(f"bench: {label}: round {rnd + 1}/{warmup + rounds} done (load "
              f"{res.loads[-1]:.2f})", file=sys.stderr)


def settle(res: ProgramResult, max_rounds: int, env: dict[str, str], cwd: Path,
           timeout: float) -> None:
    """Settle rounds: the vigil tool cells whose interval straddles their target after the
    measured rounds (the median could pass or miss depending on this run's noise) get more
    rounds, in batches of 5, each running vigil without a tool and each of those tools once
    (order rotated), until no interval among them straddles its target or `max_rounds` were
    added. Those cells' ratios and intervals then come from all of their rounds, and every
    one of them has as many settle samples as the baseline, taken in the same rounds; the
    main table keeps the measured rounds only (vigil alternated with CPython there).
    Stopping once the intervals clear is optional stopping, which ends a little too eagerly;
    the report marks every settled cell with its extra rounds, so it is visible."""
    base = res.configs["vigil"]
    label = res.name + ("" if res.size is None else f" {res.size}")

    def straddles(cfg: Config, target: float) -> bool:
        _v, iv = tool_cell(cfg, base)
        return iv is not None and iv[0] <= target < iv[1]

    cells = [(res.configs[f"vigil:{key}"], target) for key, _label, target, _mode in TOOLS
             if f"vigil:{key}" in res.configs and res.configs[f"vigil:{key}"].note is None]
    cells = [(cfg, target) for cfg, target in cells if straddles(cfg, target)]
    added = 0
    while added < max_rounds and cells and not base.error:
        if not any(straddles(cfg, target) for cfg, target in cells):
            return
        print(f"bench: {label}: settling {', '.join(c.key for c, _t in cells)} "
              f"({added} extra rounds so far)", file=sys.stderr)
        order = [base] + [cfg for cfg, _t in cells]
        for _ in range(min(5, max_rounds - added)):
            shift = added % len(order)
            taken = {}
            for cfg in order[shift:] + order[:shift]:
                s = run_once(cfg.argv, env, cwd, timeout)
                if s.status != 0 or s.stdout != res.reference_stdout:
                    cfg.error = (f"settle round: exit {s.status}: {tail(s.stderr)}"
                                 if s.status != 0 else
                                 "settle round: stdout differs from CPython's")
                    print(f"bench: {label}: {cfg.key}: {cfg.error}", file=sys.stderr)
                    return
                taken[cfg.key] = s
            for cfg in order:
                cfg.extra.append(taken[cfg.key])
            added += 1


def volume_check(vigil: Path, plugin_dir: Path, script: Path, out: Path, env: dict[str, str],
                 cwd: Path, timeout: float) -> tuple[str, int | None]:
    """Runs the counter at the conformance size and compares its per-event totals with the
    corpus .counts (CPython's), so the count-every-event overhead is known to be measured on
    the same event volume."""
    report = out / "volume.txt"
    session = out / "volume.toml"
    session.write_text(SESSIONS["count"].format(plugin_dir=plugin_dir, out=out, script=script,
                                                line=0).replace("counts.txt", "volume.txt"))
    s = run_once([str(vigil), "run", "--session", str(session), str(script)], env, cwd, timeout)
    if s.status != 0 or not report.exists():
        return f"FAIL (exit {s.status}: {tail(s.stderr)})", None
    want = cpython_event_totals(script.stem)
    got = counter_totals(report.read_text())
    diffs = [f"{e} {got.get(e, 0)}≠{want.get(e, 0)}" for e in sorted(set(want) | set(got))
             if got.get(e, 0) != want.get(e, 0)]
    total = sum(want.values())
    text = f"same ({total} events)" if not diffs else "differs: " + ", ".join(diffs)
    return text, sum(got.values())


# ---------------------------------------------------------------------------------------------
# Rendering.


def vigil_note_of(results: list[ProgramResult]) -> str | None:
    """The reason the whole vigil half did not run, if it did not (shown once, not per cell)."""
    return results[0].configs["vigil"].note if results else None


def table(header: list[str], rows: list[list[str]]) -> tuple[str, str]:
    """The same table as aligned text and as Markdown."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    text = "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in [header] + rows)
    md = "| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n"
    md += "".join("| " + " | ".join(r) + " |\n" for r in rows)
    return text, md


def machine_busy(results: list[ProgramResult]) -> str | None:
    """How busy the machine was while this ran: the 1-minute load average after each round,
    and the CPU share of the measured runs (child CPU time over wall time: a single-threaded
    run with a CPU to itself sits near 1.0; under contention it waits, and its wall time with
    it). Shown so a reader can tell a quiet run from a noisy one without trusting the
    medians alone."""
    loads = [x for r in results for x in r.loads]
    shares = []  # (median share, program)
    for r in results:
        xs = [s.cpu / s.wall for c in r.configs.values() for s in c.samples if s.wall > 0]
        if xs:
            shares.append((statistics.median(xs), r.name))
    if not loads or not shares:
        return None
    low = min(shares)
    overall = statistics.median(x for x, _ in shares)
    return (f"machine during the run: 1-minute load average {min(loads):.2f}–{max(loads):.2f}; "
            f"CPU share of the measured runs (CPU time / wall time), per-program medians: "
            f"{overall:.2f} typical, lowest {low[0]:.2f} ({low[1]})"
            + ("; below 0.9 the runs waited for a CPU, and wall ratios are noisy"
               if low[0] < 0.9 else ""))


def render(results: list[ProgramResult], info: dict[str, str], runs: int,
           opts: argparse.Namespace) -> tuple[str, str]:
    texts, mds = [], []
    quiet = opts.quiet_runs_used
    busy = machine_busy(results)
    rounds_text = (f"{runs} measured rounds" if quiet == runs else
                   f"{quiet} measured rounds ({runs} for the profiler, count every event and "
                   f"their CPython twins)")
    if getattr(opts, "settle_used", 0):
        rounds_text += f", up to {opts.settle_used} settle rounds for a vigil tool cell"
    pinned = info.get("pinned")
    head = (f"date {info['date']} · commit {info['commit']} · {info['machine']} · "
            f"load at start {info['load']}, at end {info.get('load_end', '?')} · CPython "
            f"{info['cpython']} · {rounds_text} after {opts.warmup} warm-up, medians"
            + (f" · {pinned}" if pinned else "")
            + (" · QUICK (conformance sizes; not for BENCHMARKS.md)" if opts.quick else ""))
    texts.append(head)
    mds.append(f"### Run of {info['date']}\n\n- commit: `{info['commit']}`\n"
               f"- machine: {info['machine']}; load average at start {info['load']}, at end "
               f"{info.get('load_end', '?')}" + (f"; {pinned}" if pinned else "") + "\n"
               f"- CPython {info['cpython']}; vigil: {info.get('vigil', 'not run')}\n"
               f"- {rounds_text} after {opts.warmup} warm-up round(s), configurations "
               f"interleaved, order rotated each round; medians; ± is half the min–max "
               f"range\n"
               + (f"- {busy}\n" if busy else "")
               + ("- QUICK run at conformance sizes: not comparable with full runs\n"
                  if opts.quick else ""))
    if busy:
        texts.append(busy)

    # Main table.
    rows, ratios, mem_ok, nomon = [], [], True, []
    for r in results:
        cp, vg = r.configs["cpython"], r.configs["vigil"]
        tr = ratio(vg.median_wall(), cp.median_wall())
        if tr is not None:
            ratios.append(tr)
        mr = ratio(vg.median_rss(), cp.median_rss())
        mem = "—" if mr is None else ("PASS" if mr <= 1.0 else "MISS")
        if mr is not None and mr > 1.0:
            mem_ok = False
        row = [f"{r.name} {r.size if r.size is not None else '(conf.)'}", fmt_time(cp),
               fmt_time(vg), fmt_ratio(tr),
               "—" if cp.median_rss() is None else f"{cp.median_rss() / 1024:.1f} MB",
               "—" if vg.median_rss() is None else f"{vg.median_rss() / 1024:.1f} MB",
               fmt_ratio(mr), mem]
        if "vigil-nomon" in r.configs:
            nr = ratio(vg.median_wall(), r.configs["vigil-nomon"].median_wall())
            if nr is not None:
                nomon.append(nr)
            row.append(f"{fmt_ratio(nr)} {verdict(nr, NOMON_TARGET)}")
        rows.append(row)
    header = ["program", "CPython", "vigil", "time ratio", "CPython RSS", "vigil RSS",
              "RSS ratio", "RSS ≤ CPython"]
    if opts.vigil_nomon is not None:
        header.append(f"mon. in/out (≤{NOMON_TARGET})")
    t, m = table(header, rows)
    gm = geomean(ratios)
    failed = [r.name for r in results if r.configs["vigil"].error]
    # A program vigil cannot run counts against the target: a mean over the programs that
    # happen to work would reward failing on the slow ones.
    v_target = "MISS (vigil failed on some programs)" if failed else verdict(gm, TIME_TARGET)
    v_goal = "MISS" if failed else verdict(gm, TIME_GOAL)
    summary = (f"geometric mean vigil/CPython time over {len(ratios)}/{len(results)} programs: "
               f"{fmt_ratio(gm)} (target ≤ {TIME_TARGET}: {v_target}; goal ≤ "
               f"{TIME_GOAL}: {v_goal})")
    if failed:
        summary += f"; vigil failed on: {', '.join(failed)}"
    mem_line = (f"peak memory: {'PASS' if mem_ok and ratios else 'MISS' if not mem_ok else 'n/a'}"
                " (target: no program above CPython's)")
    texts += ["", t, "", summary, mem_line]
    mds += ["#### vigil vs CPython 3.13\n", m, summary + ".  ", mem_line + ".\n"]
    if nomon:
        line = (f"monitoring compiled in (no tool) vs out, worst program: {max(nomon):.3f} "
                f"(target ≤ {NOMON_TARGET}: {verdict(max(nomon), NOMON_TARGET)})")
        texts.append(line)
        mds.append(line + ".\n")

    errors = [(r.name, k, c.error) for r in results for k, c in r.configs.items() if c.error]

    # Tool overheads: one row per program, one column per tool.
    if not opts.no_tools:
        header = ["program"] + [f"{label} (≤{target})" for _k, label, target, _m in TOOLS]
        rows = []
        per_tool: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k, *_ in TOOLS}
        # Each program's vigil cell with its two configurations, per tool: the worst row's
        # interval is computed for the worst of them only.
        cells: dict[str, list[tuple[float, Config, Config]]] = {k: [] for k, *_ in TOOLS}
        skipped: dict[str, list[str]] = {}
        for r in results:
            row = [r.name]
            for key, _label, _target, mode in TOOLS:
                vcfg = r.configs[f"vigil:{key}"]
                walls = tool_walls(vcfg, r.configs["vigil"])
                v = None if walls is None else ratio(statistics.median(walls[0]),
                                                     statistics.median(walls[1]))
                c = ratio(r.configs[f"cpython:{mode}"].median_wall(),
                          r.configs["cpython:none"].median_wall())
                if v is not None:
                    per_tool[key][0].append(v)
                    cells[key].append((v, vcfg, r.configs["vigil"]))
                if c is not None:
                    per_tool[key][1].append(c)
                if v is None and vcfg.error:
                    vtext = "FAIL"
                elif v is None and vcfg.note and vcfg.note != vigil_note_of(results):
                    skipped.setdefault(f"vigil {key}: {vcfg.note}", []).append(r.name)
                    vtext = "skip"
                else:
                    vtext = fmt_ratio(v)
                    if vcfg.extra:
                        # Settled: the cell includes settle rounds.
                        vtext += f" (+{len(vcfg.extra)})"
                    if key == "count" and v is not None and r.volume and \
                            not r.volume.startswith("same"):
                        # Delivering fewer (or other) events than CPython is not the same
                        # workload; the ratio stays visible but flagged.
                        vtext += "*"
                row.append(f"{vtext} / {fmt_ratio(c)}")
            rows.append(row)
        gm_row, worst_row = ["geomean"], ["vigil worst"]
        paired: list[str] = []
        within_noise: list[str] = []
        for key, label, target, _mode in TOOLS:
            vig, cpy = per_tool[key]
            gm_row.append(f"{fmt_ratio(geomean(vig))} / {fmt_ratio(geomean(cpy))}")
            worst = max(vig) if vig else None
            # As for the main table: a failed run is a miss, a skipped one (no plugin, no
            # unhit line) is only counted.
            fails = sum(1 for r in results if r.configs[f"vigil:{key}"].error)
            v = f"MISS ({fails} failed)" if fails else verdict(worst, target)
            worst_cell = max(cells[key], key=lambda c: c[0]) if cells[key] else None
            iv = tool_cell(*worst_cell[1:])[1] if worst_cell else None
            if worst_cell and worst_cell[1].extra:
                pr = paired_ratio(*worst_cell[1:])
                if pr is not None:
                    paired.append(f"{label} {pr:.3f} ({len(worst_cell[1].extra)} rounds)")
            worst_row.append(f"{fmt_ratio(worst)} {v}"
                             + ("" if iv is None else f" [{iv[0]:.2f}–{iv[1]:.2f}]")
                             + ("" if worst is None or len(vig) == len(results)
                                else f" ({len(vig)}/{len(results)} programs)"))
            if v == "MISS" and iv is not None and iv[0] <= target:
                within_noise.append(label)
        t, m = table(header, rows + [gm_row, worst_row])
        note = ("cells: vigil overhead / CPython overhead, each the median time with the tool "
                "over the median time without it on the same interpreter. CPython's tools are "
                "../shared/bench/cpy_tools.py (sys.monitoring with Python callbacks; its single "
                "coverage mode, LINE+BRANCH, stands against both vigil coverage columns; its "
                "baseline is `cpy_tools.py none`). PASS needs the worst program within target. "
                "[a–b] after the worst cell: its 90% bootstrap interval (each configuration's "
                "runs resampled), the spread this run's noise allows. (+N): the cell's "
                "interval straddled its target after the measured rounds, so N settle rounds "
                "of the tool and its baseline were added to both (--settle-rounds).")
        texts += ["", "tool overheads", t, note]
        mds += ["#### Tool overheads\n", m, note + "\n"]
        if within_noise:
            line = (f"not resolved by this run: {', '.join(within_noise)}: the worst cell's "
                    f"median misses the target, but its interval reaches below it, so this "
                    f"run's noise is larger than the miss; a quieter machine or more rounds "
                    f"(--quiet-runs, --settle-rounds) can settle it")
            texts.append(line)
            mds.append(f"- {line}\n")
        if paired:
            line = ("worst cells that had settle rounds, median of those rounds' per-round "
                    "ratios (each tool run right after or before its baseline, so the host's "
                    "speed changes cancel; for reading only, the verdict is the medians "
                    "above): " + "; ".join(paired))
            texts.append(line)
            mds.append(f"- {line}\n")
        for why, progs in skipped.items():
            line = f"skipped: {why} ({', '.join(progs)})"
            texts.append(line)
            mds.append(f"- {line}")
        bps = [f"{r.name}: {r.breakpoint}" for r in results if r.breakpoint]
        if bps:
            line = "debugger breakpoints (chosen with CPython): " + "; ".join(bps)
            texts.append(line)
            mds.append("\n" + line + "\n")
        vols = [f"{r.name}: {r.volume}" for r in results if r.volume]
        delivered = [r.volume_events for r in results if r.volume_events is not None]
        if delivered and not any(delivered):
            line = ("WARNING: the counter received no events at all: this vigil build does not "
                    "deliver events yet, so the vigil overheads above measure plugin start-up "
                    "only, and their PASS/MISS means nothing")
            texts.append(line)
            mds.append(f"**{line}.**\n")
        if vols:
            line = ("count-every-event volume at conformance size, vigil counter's totals vs "
                    "the corpus .counts (* in the table: they differ, so the count ratio is not "
                    "measured on CPython's event volume): " + "; ".join(vols))
            texts.append(line)
            mds.append(line + "\n")

    # The same Python-callback tools on both interpreters (--guest-tools).
    if not opts.no_tools and opts.guest_tools:
        modes = sorted({t[3] for t in TOOLS})
        header = ["program"] + modes
        rows = []
        for r in results:
            row = [r.name]
            for mode in modes:
                g = r.configs[f"vigil-guest:{mode}"]
                v = ratio(g.median_wall(), r.configs["vigil-guest:none"].median_wall())
                c = ratio(r.configs[f"cpython:{mode}"].median_wall(),
                          r.configs["cpython:none"].median_wall())
                failed = g.error or r.configs["vigil-guest:none"].error
                row.append(f"{'FAIL' if v is None and failed else fmt_ratio(v)} / "
                           f"{fmt_ratio(c)}")
            rows.append(row)
        t, m = table(header, rows)
        note = ("cells: cpy_tools.py MODE under vigil / under CPython, each over its own "
                "`cpy_tools.py none`: the same Python callbacks on both sys.monitoring "
                "implementations (no targets; for diagnosis)")
        texts += ["", "Python-callback tools on both interpreters", t, note]
        mds += ["#### Python-callback tools (cpy_tools.py) on both interpreters\n", m,
                note + "\n"]

    if errors:
        texts += ["", "failures:"] + [f"  {n} {k}: {e}" for n, k, e in errors]
        mds += ["#### Failures\n"] + [f"- {n} `{k}`: {e}" for n, k, e in errors] + [""]
    return "\n".join(texts), "\n".join(mds) + "\n"


if __name__ == "__main__":
    sys.exit(main())
