"""Runs one command in a fresh wrapper process and reports its wall time, CPU time and peak memory as JSON."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.05
PR_SET_CHILD_SUBREAPER = 36
# After the command exits, how long its leftover descendants (a forkserver, pool workers) may take to end.
ORPHAN_GRACE_SECONDS = 30.0


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to us, not to init, so their usage lands in RUSAGE_CHILDREN.

    Without this, a multiprocessing forkserver that outlives Pelican takes its workers' CPU time and memory
    with it: they would be counted nowhere.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, int]:
    """pid → parent pid for every process; about a millisecond for a few hundred processes."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields are counted after its last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    parents = _parents()
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in KiB: PSS shares a forked worker's copy-on-write pages fairly, so a sum over processes is true."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


class Sampler(threading.Thread):
    """Sums the memory of the whole process tree under us, every SAMPLE_SECONDS, and keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak_pss = self.peak_rss = self.peak_processes = self.samples = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            pids = descendants(me)
            pss = rss = 0
            for pid in pids:
                p, r = memory_kib(pid)
                pss += p
                rss += r
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.samples += 1
            self.stop.wait(SAMPLE_SECONDS)


def reap_orphans(deadline: float) -> int:
    """Wait for re-parented descendants; kill any still running at the deadline. Returns how many were reaped."""
    reaped = 0
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid:
            reaped += 1
            continue
        if time.monotonic() > deadline:
            for orphan in descendants(os.getpid()):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(orphan, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.02)


def measure(command: list[str], cwd: Path, env: dict[str, str], stdout: Path, stderr: Path) -> dict:
    subreaper = become_subreaper()
    sampler = Sampler()
    sampler.start()
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        returncode = process.wait()
    ended = time.monotonic()
    orphans = reap_orphans(time.monotonic() + ORPHAN_GRACE_SECONDS)
    sampler.stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "command": command,
        "returncode": returncode,
        "started": started,
        "ended": ended,
        "wall": round(ended - started, 4),
        "user": round(usage.ru_utime, 3),
        "sys": round(usage.ru_stime, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        # ru_maxrss of RUSAGE_CHILDREN is the largest single process among the children reaped, not a sum.
        "maxrss_kib": usage.ru_maxrss,
        "tree_pss_peak_kib": sampler.peak_pss,
        "tree_rss_peak_kib": sampler.peak_rss,
        "processes_peak": sampler.peak_processes,
        "samples": sampler.samples,
        "subreaper": subreaper,
        "orphans_reaped": orphans,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--stdout", type=Path, required=True)
    parser.add_argument("--stderr", type=Path, required=True)
    parser.add_argument("--cwd", type=Path, default=Path.cwd())
    parser.add_argument("--env", type=Path, default=None, help="a JSON file: the command's whole environment")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = json.loads(args.env.read_text()) if args.env else dict(os.environ)
    result = measure(command, args.cwd, env, args.stdout, args.stderr)
    args.result.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
