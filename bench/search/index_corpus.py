"""Index the corpus (replicated to ``--size`` articles with new ids) into akhbar's search tables.

    python bench/search/index_corpus.py --db sqlite:////tmp/bench.sqlite3 --size 30037
"""

import argparse
import time

from common import ID_STRIDE, read_corpus, setup_django, source_for


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    setup_django(args.db)
    from akhbar.search.indexer import clear_index, index_batches

    clear_index()
    records = [r for _, r in read_corpus()]
    started = time.perf_counter()

    def batches():
        for start in range(0, args.size, args.batch):
            yield [source_for(records[n % len(records)], (n // len(records)) * ID_STRIDE + n % len(records) + 1)
                   for n in range(start, min(start + args.batch, args.size))]

    done = 0
    for written in index_batches(batches()):  # as `akhbar reindex` does
        done += written
        if done % 10_000 == 0:
            print(f"{done} articles, {done / (time.perf_counter() - started):.0f}/s", flush=True)
    seconds = time.perf_counter() - started
    print(f"indexed {done} articles in {seconds:.1f} s ({done / seconds:.0f} articles/s)")


if __name__ == "__main__":
    main()
