#!/usr/bin/env python3
"""One table from make bench-peer's JSON files: per scenario, InspIRCd (IRC), lantalk-server's IRC port (with its
history store, as configured by default, and without it, as InspIRCd runs) and lantalk-server's ChatSocket protocol,
medians of the runs. A file is SERVER-SCENARIO-RUN.json."""
import json
import os
import statistics
import sys

COLUMNS = [
    ("serverCpuMicrosPerDelivery", "us/deliv", "{:.3f}"),
    ("serverContextSwitchesPerDelivery", "csw/deliv", "{:.3f}"),
    ("serverVoluntarySwitchesPerDelivery", "vol/deliv", "{:.3f}"),
    ("latencyP50Ms", "p50 ms", "{:.2f}"),
    ("latencyP99Ms", "p99 ms", "{:.2f}"),
    ("deliveriesPerSecond", "deliv/s", "{:,.0f}"),
    ("loss", "loss", "{:.0f}"),
]


# File prefix -> row label, in the order the rows are printed.
SERVERS = [
    ("inspircd", "InspIRCd (IRC)"),
    ("lantalkirc", "lantalk (IRC port)"),
    ("lantalkircnostore", "lantalk (IRC, no store)"),
    ("lantalk", "lantalk (ChatSocket)"),
]


def main(paths):
    runs = {}
    for path in paths:
        server, scenario = os.path.basename(path).rsplit("-", 1)[0].split("-", 1)
        with open(path, encoding="utf-8") as f:
            for result in json.load(f)["results"]:
                runs.setdefault((scenario, server), []).append(result)
    n = max((len(v) for v in runs.values()), default=0)
    print(f"make bench-peer: medians of up to {n} runs per cell (runs counted in the last column)")
    print("scenario".ljust(12) + "server".ljust(25) + "".join(label.rjust(12) for _, label, _ in COLUMNS) + "  runs")
    for scenario in ("design-32", "burst-32", "crowd"):
        for server, label in SERVERS:
            results = runs.get((scenario, server), [])
            if not results:
                continue
            row = scenario.ljust(12) + label.ljust(25)
            for key, _, fmt in COLUMNS:
                values = [r[key] for r in results if r.get(key) is not None and r[key] >= 0]
                row += (fmt.format(statistics.median(values)) if values else "-").rjust(12)
            print(row + f"  {len(results)}")


if __name__ == "__main__":
    main(sys.argv[1:])
