"""The page table at two data sizes side by side: the ratio to /healthz at each size (each
measured with its own /healthz in the same run) and how much each page grew: the growth of its
ratio, that is its median measured in /healthz of the same run, so that a busier machine during
one of the two runs does not count as growth of the page.

    python bench/compare.py SMALL.json LARGE.json

Targets (issue 31, tighter than issue 18's 10x and 1.5x, for room on a noisy machine): every
HTML page at most 8x /healthz at the larger size, and its ratio at most 1.3x what it was at the
smaller size. Exit status 1 when a page misses one.
"""

import json
import sys

RATIO_TARGET = 8
GROWTH_TARGET = 1.3


def compare(small: dict, large: dict) -> tuple[list[str], bool]:
    rows = {row["name"]: row for row in small["pages"]}
    scale = large["data"]["projecten"] / max(1, small["data"]["projecten"])
    lines = [
        f"Groei van {small['data']['projecten']} naar {large['data']['projecten']} projecten "
        f"(×{scale:.1f})",
        f"{'pagina':<22} {'× healthz klein':>15} {'× healthz groot':>15} {'groei':>6}  doel",
    ]
    ok = True
    for row in large["pages"]:
        before = rows.get(row["name"])
        if before is None:
            continue
        growth = row["ratio"] / before["ratio"] if before["ratio"] else 0.0
        verdict = ""
        if row["kind"] == "html":
            missed = []
            if row["ratio"] > RATIO_TARGET:
                missed.append("te traag")
            if growth > GROWTH_TARGET:
                missed.append("groeit te hard")
            verdict = ", ".join(missed).upper() or "ok"
            ok = ok and not missed
        lines.append(
            f"{row['name']:<22} {before['ratio']:>15.1f} {row['ratio']:>15.1f} {growth:>6.2f}  "
            f"{verdict}"
        )
    return lines, ok


def main(argv: list[str]) -> int:
    small, large = (json.loads(open(path).read()) for path in argv[1:3])
    lines, ok = compare(small, large)
    print("\n" + "\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
