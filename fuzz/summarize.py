#!/usr/bin/python3
"""Totals of a campaign (fuzz/campaign.sh): every finished batch's .json in OUT, per feature
set, as the Markdown table of fuzz/RESULTS.md.

    fuzz/summarize.py OUT"""
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path


def load(out: Path) -> dict:
    sets = defaultdict(lambda: {"batches": [], "totals": Counter(), "wall": 0.0, "problems": []})
    for path in sorted(out.glob("*.json")):
        batch = json.loads(path.read_text())
        s = sets[batch["features"]]
        s["batches"].append((batch["first seed"], batch["seeds"]))
        s["totals"].update(batch["totals"])
        s["wall"] += batch["wall seconds"]
        s["problems"] += batch["problems"]
        s["backends"] = batch["backends"]
    return sets


def row(name: str, s: dict) -> list:
    t = s["totals"]
    seeds = sum(n for _, n in s["batches"])
    first = min(f for f, _ in s["batches"])
    kinds = ", ".join(f"{k.split(' ', 1)[1]} {v}" for k, v in sorted(t.items())
                      if k.startswith("disagreements ")) or "0"
    crashes = sum(v for k, v in t.items() if k.startswith("disagreements crash")
                  or k.startswith("disagreements hang"))
    refusals = ", ".join(f"{k.split()[1]} {v}" for k, v in sorted(t.items())
                         if k.startswith("refused ")) or "0"
    engine = sum(v for k, v in t.items() if k.startswith("seconds "))
    aot = t.get("seconds aot", 0.0)
    return [name, f"{seeds} ({first}..{first + seeds - 1}, {len(s['batches'])} batches)",
            str(t["modules"]), str(t["calls"]), kinds, str(crashes),
            str(t["NaN-only modules"]), str(t["NaN-tolerated results"]), refusals,
            f"{s['wall'] / 60:.0f} min", f"{100 * aot / engine:.0f}%" if engine else "-"]


def main(argv) -> int:
    sets = load(Path(argv[1]))
    head = ["features", "seeds", "modules", "calls", "disagreements (kind backend)",
            "crashes/hangs", "NaN-only modules", "NaN-tolerated results", "refusals (listed gap)",
            "wall", "aot share of engine time"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, s in sorted(sets.items(), key=lambda kv: kv[0] != "2.0-nosimd"):
        print("| " + " | ".join(row(name, s)) + " |")
    for name, s in sets.items():
        for problem in s["problems"]:
            print(f"- {name}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
