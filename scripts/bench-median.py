#!/usr/bin/env python3
"""Medians over several `lantalk-harness --json` files: one row per scenario, as docs/PERFORMANCE.md's tables quote."""
import json
import statistics
import sys

METRICS = [
    ("deliveriesPerSecond", "deliv/s", "{:,.0f}"),
    ("routedPerSecond", "routed/s", "{:,.0f}"),
    ("loss", "loss", "{:.0f}"),
    ("latencyP50Ms", "p50 ms", "{:.2f}"),
    ("latencyP99Ms", "p99 ms", "{:.2f}"),
    ("latencyMaxMs", "max ms", "{:.2f}"),
    ("serverCpuMicrosPerDelivery", "us/deliv", "{:.3f}"),
    ("serverContextSwitchesPerDelivery", "csw/deliv", "{:.3f}"),
    ("serverVoluntarySwitchesPerDelivery", "vol/deliv", "{:.3f}"),
    ("serverPeakRssBytes", "peak MB", None),
    ("serverRssPerConnectionBytes", "KB/conn", "kb"),
    ("loginsPerSecond", "logins/s", "{:,.0f}"),
]


def main(paths):
    runs = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for result in json.load(f)["results"]:
                runs.setdefault(result["scenario"], []).append(result)
    print(f"medians of {len(paths)} runs")
    print("scenario".ljust(24) + "".join(label.rjust(12) for _, label, _ in METRICS) + "  targets met")
    for scenario, results in runs.items():
        row = scenario.ljust(24)
        for key, _, fmt in METRICS:
            values = [r[key] for r in results if r.get(key) is not None]
            if not values:
                row += "-".rjust(12)
            elif fmt is None:
                row += f"{statistics.median(values) / 1e6:.1f}".rjust(12)
            elif fmt == "kb":
                row += f"{statistics.median(values) / 1024:.1f}".rjust(12)
            else:
                row += fmt.format(statistics.median(values)).rjust(12)
        met = [all(t["met"] for t in r.get("targets", [])) for r in results]
        row += f"  {sum(met)}/{len(met)} runs"
        print(row)
    # Each target with what every run measured, so a miss shows by how much and how steadily.
    print()
    for scenario, results in runs.items():
        targets = {}
        for r in results:
            for t in r.get("targets", []):
                targets.setdefault(t["target"], []).append(("" if t["met"] else "MISSED ") + t["measured"])
        for target, measured in targets.items():
            print(f"{scenario}: {target}: " + " | ".join(measured))


if __name__ == "__main__":
    main(sys.argv[1:])
