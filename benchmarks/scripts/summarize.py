#!/usr/bin/env python3
"""Summarise JMH JSON results (-rf json): score, error, median of the iterations, and the
secondary metrics this module uses (cpu.norm from CpuTimeProfiler, gc.alloc.rate.norm, loadavg).

usage: summarize.py result.json [more.json ...]
"""
import json
import statistics
import sys


def median(metric):
    raw = [v for fork in metric.get("rawData", []) for v in fork]
    return statistics.median(raw) if raw else float("nan")


def main(paths):
    print(f"{'benchmark':70} {'mean':>10} {'±err':>10} {'median':>10} {'unit':>6} "
          f"{'cpu.norm':>9} {'B/op':>9} {'load':>5}")
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        for r in results:
            name = r["benchmark"].replace("io.asupersync.benchmarks.", "")
            if r.get("params"):
                name += "[" + ",".join(f"{k}={v}" for k, v in r["params"].items()) + "]"
            p = r["primaryMetric"]
            sec = r.get("secondaryMetrics", {})
            cpu = sec.get("cpu.norm", {}).get("score", float("nan"))
            alloc = sec.get("gc.alloc.rate.norm", {}).get("score", float("nan"))
            load = sec.get("loadavg", {}).get("score", float("nan"))
            print(f"{name:70} {p['score']:10.1f} {p['scoreError']:10.1f} {median(p):10.1f} "
                  f"{p['scoreUnit']:>6} {cpu:9.1f} {alloc:9.1f} {load:5.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
