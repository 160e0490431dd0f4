#!/usr/bin/env python3
"""Builds the word2vec corpora from Debian packages (python3 standard library only).

  benchmark corpus  build/corpus/wordnet-gcide.txt   WordNet glosses (wordnet-base) + the
                    GCIDE dictionary text (dict-gcide), about 7M tokens
  browser corpus    build/corpus/wordnet-glosses-small.txt   the first few MB of WordNet glosses

Every line holds the [a-z0-9'] tokens of one gloss or one dictionary line, lower-cased and
separated by single spaces: the rule of ll::text::tokenize, so every tool sees the same words.

The build runs `prepare_corpus.py --browser-only FILE` (cmake/Assets.cmake) to write only the
browser corpus, the word2vec lesson's default corpus, into its asset directory.

usage: prepare_corpus.py [--out DIR] [--small-mb 3] [--browser-only FILE]
"""
import argparse
import gzip
import os
import re
import sys

WORDNET = "/usr/share/wordnet"
GCIDE = "/usr/share/dictd/gcide.dict.dz"  # dictzip is gzip-compatible
TOKEN = re.compile(r"[a-z0-9']+")


def tokens_line(text):
    return " ".join(TOKEN.findall(text.lower()))


def wordnet_glosses():
    """The gloss (definition and examples, after ' | ') of every synset in data.{noun,verb,adj,adv}."""
    for pos in ("noun", "verb", "adj", "adv"):
        path = os.path.join(WORDNET, "data." + pos)
        with open(path, encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                bar = line.find(" | ")
                if bar >= 0:
                    yield line[bar + 3:]


def gcide_lines():
    with gzip.open(GCIDE) as f:
        for raw in f:
            yield raw.decode("utf-8", errors="replace")


def write_corpus(path, lines, max_bytes=None):
    words = written = 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as out:
        for text in lines:
            line = tokens_line(text)
            if not line:
                continue
            if max_bytes is not None and written + len(line) + 1 > max_bytes:
                break
            out.write(line + "\n")
            written += len(line) + 1
            words += line.count(" ") + 1
    os.replace(tmp, path)
    print(f"{path}: {words} words, {written / 1e6:.1f} MB", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "corpus"))
    ap.add_argument("--small-mb", type=float, default=3.0, help="size of the browser corpus in MB")
    ap.add_argument("--browser-only", metavar="FILE",
                    help="write only the browser corpus (WordNet glosses) to FILE; needs only wordnet-base")
    args = ap.parse_args()
    if args.browser_only:
        if not os.path.exists(os.path.join(WORDNET, "data.noun")):
            sys.exit(f"prepare_corpus: {WORDNET}/data.noun missing: install the Debian package wordnet-base")
        os.makedirs(os.path.dirname(os.path.abspath(args.browser_only)), exist_ok=True)
        write_corpus(args.browser_only, wordnet_glosses(), max_bytes=int(args.small_mb * 1e6))
        return
    for path, pkg in ((os.path.join(WORDNET, "data.noun"), "wordnet-base"), (GCIDE, "dict-gcide")):
        if not os.path.exists(path):
            sys.exit(f"prepare_corpus: {path} missing: install the Debian package {pkg}")
    os.makedirs(args.out, exist_ok=True)

    def both():
        yield from wordnet_glosses()
        yield from gcide_lines()

    write_corpus(os.path.join(args.out, "wordnet-gcide.txt"), both())
    write_corpus(os.path.join(args.out, "wordnet-glosses-small.txt"), wordnet_glosses(),
                 max_bytes=int(args.small_mb * 1e6))


if __name__ == "__main__":
    main()
