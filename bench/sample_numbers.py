"""Draw numbers at random from the built site for a check by hand against the source text.

Stratified by page (every page with traced numbers gets a share of the draw, at least one), with a fixed
seed, so a rerun on the same site draws the same numbers. For each it prints the number as shown, the page,
the fact (or derived figure) it links to, the sentence or table row it stands in, and the fact's quote,
qualifier and period, which is what the checker compares.

    .venv/bin/python bench/sample_numbers.py [--site _build/html] [--count 30] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from bs4 import BeautifulSoup

from icebook import book
from icebook.site.parse import pages

ROOT = Path(__file__).resolve().parents[1]


def traced_numbers(site: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Per page: (number as shown, fact or derived id, the text around it) for every traced link."""
    found = {}
    for page in pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article") or soup.body
        links = []
        for link in article.select("a.fact, a.derived") if article else []:
            target = link.get("href", "").rpartition("#")[2]
            context = link.find_parent(["tr", "li", "p", "dd", "figcaption"]) or link.parent
            links.append((link.get_text(" ", strip=True), target, " ".join(context.get_text(" ").split())[:220]))
        if links:
            found[str(page.relative_to(site))] = links
    return found


def draw(found: dict[str, list], count: int, seed: int) -> list[tuple[str, tuple[str, str, str]]]:
    """``count`` numbers, shared among pages in proportion to how many each has, at least one each."""
    rng = random.Random(seed)
    total = sum(len(v) for v in found.values())
    shares = {page: max(1, round(count * len(v) / total)) for page, v in found.items()}
    while sum(shares.values()) > count:
        largest = max(shares, key=shares.get)
        shares[largest] -= 1
    while sum(shares.values()) < count:
        shares[max(found, key=lambda p: len(found[p]) / shares[p])] += 1
    return [(page, item) for page in sorted(found)
            for item in rng.sample(found[page], min(shares[page], len(found[page])))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    data = book()
    for n, (page, (shown, target, context)) in enumerate(draw(traced_numbers(args.site), args.count, args.seed), 1):
        print(f"## {n}. {shown!r} on {page} -> {target}\n   in: {context}")
        if target in data.facts.index:
            row = data.facts.loc[target]
            print(f"   quote: {row['quote']}\n   qualifier: {row['qualifier']} ({row['source_qualifier'] or '-'}); "
                  f"period: {row['period'] or row['period_type']} ({row['period_basis'] or 'stated'}); "
                  f"metric label: {data.metrics[row['metric']].label}")
        elif target in data.derived.index:
            row = data.derived.loc[target]
            print(f"   derived: {row['formula']} with {dict(row['inputs'])}; value {row['value']:.4f}, "
                  f"shown {row['bound']} {row['shown']}")
        else:
            print("   (a recomputed claim on the checking page, or a change on the comparison page)")


if __name__ == "__main__":
    main()
