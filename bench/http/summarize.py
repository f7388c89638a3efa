"""Markdown table from a bench/http/run.sh output folder: req/s, latency percentiles, ratios."""

import re
import sys
from pathlib import Path

WP_FALLBACK = {"article": 30.0, "search": 13.0}  # issue 5 / shared README figures, when WordPress was not run
NAMES = {"mirror-cached": "akhbar behind nginx (static mirror)"}  # row label → server column


def server_name(label: str) -> str:
    name = label.rsplit("-", 1)[0]
    return NAMES.get(name, name)


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(path: Path):
    text = path.read_text() if path.exists() else ""
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not m:
        return None
    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", text, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {"rps": float(m.group(1)), **{f"p{k}": v for k, v in pct.items()}, "non2xx": int(non2xx.group(1)) if non2xx else 0, "errors": errors.group(1) if errors else "0"}


def totals(paths) -> tuple[int, float]:
    """Requests and seconds summed over wrk outputs ("N requests in X.XXs")."""
    requests = seconds = 0
    for path in paths:
        m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", path.read_text())
        if m:
            requests += int(m.group(1))
            seconds += float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
    return requests, seconds


def paired(out: Path) -> None:
    """The paired-rounds table: akhbar (cache off) and WordPress measured in alternation."""
    pages = [p for p in ("article", "home", "section", "search") if list(out.glob(f"paired-akhbar-{p}.*.wrk.txt"))]
    if not pages:
        return
    print("\nPaired rounds, cache off: akhbar and WordPress in alternation (ABBA), same page kind\n")
    print("| page | rounds | akhbar req/s | WordPress req/s | × WordPress | per round (min–max) |")
    print("|---|---:|---:|---:|---:|---|")
    for page in pages:
        rounds = sorted(int(f.name.split(".")[1]) for f in out.glob(f"paired-akhbar-{page}.*.wrk.txt"))
        ratios = []
        for r in rounds:
            a, w = parse(out / f"paired-akhbar-{page}.{r}.wrk.txt"), parse(out / f"paired-wordpress-{page}.{r}.wrk.txt")
            if a and w and w["rps"]:
                ratios.append(a["rps"] / w["rps"])
        ar, asec = totals(out.glob(f"paired-akhbar-{page}.*.wrk.txt"))
        wr, wsec = totals(out.glob(f"paired-wordpress-{page}.*.wrk.txt"))
        if not (asec and wsec and wr):
            print(f"| {page} | {len(rounds)} | incomplete | | | |")
            continue
        spread = f"{min(ratios):.1f}–{max(ratios):.1f}×" if ratios else ""
        print(f"| {page} | {len(rounds)} | {ar / asec:.0f} | {wr / wsec:.1f} | {(ar / asec) / (wr / wsec):.1f}× | {spread} |")


def main(out: str) -> None:
    out = Path(out)
    print((out / "facts.txt").read_text())
    rows = []
    nginx = parse(out / "nginx-static-article.wrk.txt")
    print("| server | page | req/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors | × WordPress | % of nginx |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for page in ("article", "home", "section", "search"):
        wp = parse(out / f"wordpress-{page}.wrk.txt")
        wp_rps = wp["rps"] if wp else WP_FALLBACK.get(page)
        for label in (f"mirror-cached-{page}", f"varnish-cached-{page}", f"akhbar-cached-{page}", f"akhbar-uncached-{page}", f"wordpress-{page}"):
            if label.startswith(("varnish", "mirror")) and not (out / f"{label}.wrk.txt").exists():
                continue
            r = parse(out / f"{label}.wrk.txt")
            if r is None:
                note = (out / f"{label}.wrk.txt").read_text().strip() if (out / f"{label}.wrk.txt").exists() else "not run"
                print(f"| {server_name(label)} | {page} | {note} | | | | | | | |")
                continue
            ratio = f"{r['rps'] / wp_rps:.0f}×" + ("" if wp else "*") if wp_rps and not label.startswith("wordpress") else ""
            of_nginx = f"{100 * r['rps'] / nginx['rps']:.0f} %" if nginx and page == "article" else ""
            print(f"| {server_name(label)} | {page} | {r['rps']:.0f} | {r.get('p50', 0):.1f} | {r.get('p90', 0):.1f} | {r.get('p99', 0):.1f} | {r['non2xx']} | {r['errors']} | {ratio} | {of_nginx} |")
    if nginx:
        print(f"| nginx-static | article | {nginx['rps']:.0f} | {nginx.get('p50', 0):.1f} | {nginx.get('p90', 0):.1f} | {nginx.get('p99', 0):.1f} | {nginx['non2xx']} | {nginx['errors']} | | 100 % |")
    single = [(label, parse(out / f"{label}.wrk.txt")) for label in
              [f"akhbar-uncached1-{page}" for page in ("article", "home", "section", "search")] + ["wordpress1-article"]]
    if any(r for _, r in single):
        print("\nOne connection (no queueing: the time one reader waits for an uncached page)\n")
        print("| server | page | req/s | p50 ms | p90 ms | p99 ms |")
        print("|---|---|---:|---:|---:|---:|")
        for label, r in single:
            if r:
                server, page = label.rsplit("-", 1)
                print(f"| {server} | {page} | {r['rps']:.0f} | {r.get('p50', 0):.1f} | {r.get('p90', 0):.1f} | {r.get('p99', 0):.1f} |")
    paired(out)
    if not (out / "wordpress-article.wrk.txt").exists():
        print("\n* ratio against the WordPress figure of issue 5 (30 article pages/s, 13 searches/s on this machine), WordPress not running in this run.")
    print(f"raw output: {out}")


if __name__ == "__main__":
    main(sys.argv[1])
