"""How well the batch uses a second core: throughput and total CPU of the default matrix per --jobs value.

    .venv/bin/python benchmarks/batch_scaling.py                 # --jobs 1 and 2, 3 runs each
    .venv/bin/python benchmarks/batch_scaling.py --jobs 1,2,4 --repeats 5

Each run is `run_batch(..., force=True)` on the default matrix (every profile, language and paper) into a
fresh folder, in a fresh Python process, so its CPU time can be counted whole: the process that runs the
batch plus every worker it forked (user + sys, read with getrusage once the pool has been joined). Runs
of the different --jobs values are interleaved so that a change in the machine's load falls on all of them.

Issue 16's targets on a 2-core machine: --jobs 2 gives at least 1.8 times the leaflets per second of
--jobs 1, and uses at most 10% more CPU. On a shared machine the throughput ratio is noisy (another
process taking a core halves it); the CPU totals are the steadier figure. Read both with the load average
printed beside them. Figures to read, not a test.

From another script: `measure((1, 2), repeats=3)` returns {jobs: [Run, ...]} and prints the same report
(print_report=False to keep it quiet).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

THROUGHPUT_TARGET = 1.8   # --jobs 2 against --jobs 1, leaflets per second
CPU_TARGET = 1.10         # --jobs 2 against --jobs 1, total CPU seconds


@dataclass(frozen=True)
class Run:
    """One batch of the default matrix in its own process."""

    jobs: int
    leaflets: int        # PDFs built
    seconds: float       # run_batch's own wall time: planning, pool start, every leaflet, the site
    cpu: float           # CPU seconds (user + sys) of the batch: its process and all its workers, run_batch only
    process_cpu: float   # the same for the whole process, interpreter start and imports included

    @property
    def rate(self) -> float:
        return self.leaflets / self.seconds


def _one_run(jobs: int, out: Path) -> dict:
    """In the child process: run the batch and count its CPU time, workers included."""
    sys.path.insert(0, str(ROOT))
    from leaflets.batch import run_batch

    class Quiet:
        def advance(self, count, message):
            pass

        def close(self):
            pass

    def cpu() -> float:
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

    before = cpu()
    summary = run_batch(out, jobs=jobs, force=True, progress=Quiet())
    if summary.failed:
        raise SystemExit(f"batch failed: {summary.failed}")
    return {"jobs": jobs, "leaflets": summary.built, "seconds": summary.seconds, "cpu": cpu() - before}


def run_once(jobs: int) -> Run:
    """One batch with this many jobs in a fresh process and a fresh folder."""
    with tempfile.TemporaryDirectory(prefix="batch-scaling-") as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, __file__, "--one-run", str(jobs), folder],
                              capture_output=True, text=True, cwd=ROOT)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"batch with --jobs {jobs} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    process_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(result["jobs"], result["leaflets"], result["seconds"], result["cpu"], process_cpu)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(jobs_list: tuple[int, ...] = (1, 2), repeats: int = 3, print_report: bool = True) -> dict[int, list[Run]]:
    """Run the default matrix `repeats` times for each --jobs value, interleaved; return the runs by jobs.

    With print_report, prints each run as it ends and then, per jobs value, leaflets/s (best and median),
    CPU seconds (median: the batch, and the whole process with start-up), and the ratios of the largest
    jobs value to 1 beside issue 16's targets.
    """
    say = print if print_report else (lambda *args, **kwargs: None)
    say(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {load_average()}")
    runs: dict[int, list[Run]] = {jobs: [] for jobs in jobs_list}
    for attempt in range(repeats):
        for jobs in jobs_list:
            run = run_once(jobs)
            runs[jobs].append(run)
            say(f"  run {attempt + 1}, --jobs {jobs}: {run.leaflets} leaflets in {run.seconds:.2f} s "
                f"= {run.rate:.1f}/s, CPU {run.cpu:.2f} s (process {run.process_cpu:.2f} s); "
                f"load {load_average()}", flush=True)
    if print_report:
        report(runs)
    return runs


def report(runs: dict[int, list[Run]]) -> None:
    """Per jobs value: throughput best/median, CPU medians; ratios against --jobs 1 with the targets."""
    for jobs, each in runs.items():
        rates = [r.rate for r in each]
        print(f"--jobs {jobs}: {max(rates):.1f} leaflets/s best, {statistics.median(rates):.1f} median; "
              f"CPU {statistics.median(r.cpu for r in each):.2f} s median "
              f"(min {min(r.cpu for r in each):.2f}), whole process {statistics.median(r.process_cpu for r in each):.2f} s")
    if 1 not in runs:
        return
    base = runs[1]
    for jobs, each in runs.items():
        if jobs == 1:
            continue
        best = max(r.rate for r in each) / max(r.rate for r in base)
        median = statistics.median(r.rate for r in each) / statistics.median(r.rate for r in base)
        cpu = statistics.median(r.cpu for r in each) / statistics.median(r.cpu for r in base)
        process = statistics.median(r.process_cpu for r in each) / statistics.median(r.process_cpu for r in base)
        print(f"--jobs {jobs} / --jobs 1: throughput {best:.2f}x best, {median:.2f}x median  "
              f"[target >= {THROUGHPUT_TARGET}x with 2]; CPU {cpu:.2f}x median, whole process {process:.2f}x  "
              f"[target <= {CPU_TARGET:.2f}x]")
    print(f"load average at the end: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default: 1,2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per --jobs value (default: 3)")
    parser.add_argument("--one-run", nargs=2, metavar=("JOBS", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(_one_run(int(args.one_run[0]), Path(args.one_run[1]))))
        return
    measure(tuple(int(j) for j in args.jobs.split(",")), args.repeats)


if __name__ == "__main__":
    main()
