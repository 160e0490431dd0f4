#!/usr/bin/env python3
"""Builds the lab's Chinese corpora from Debian packages (run by cmake/Assets.cmake).

  prepare_zh_corpus.py poems OUT_DIR        tang300.txt, song100.txt (+ their -titles.tsv)
  prepare_zh_corpus.py prose OUT_TXT CHARS  modern Chinese prose, segmented into words (词), and
                                            its characters seen at least 5 times (for the font)
  prepare_zh_corpus.py stats FILE...        characters, hanzi, lines and words of each file

Poems (fortunes-zh, GPL-3+): `tang300` (唐诗三百首) and `song100` (宋诗一百首). Each poem is one
paragraph, one line per verse line as the package prints it; the terminal colour escapes, the
title and the poet go (kept, in order, in the -titles.tsv beside it: title TAB poet).

Prose: fortunes-zh's `chinese` (sayings, classics, Debian's social contract), the Simplified
Chinese manual pages of manpages-zh (GPL-2+/various, roff markup stripped) and the Debian
Reference of debian-reference-zh-cn (GPL-2+, HTML stripped). Lines with few hanzi (code,
option lists) are left out. Each line is segmented by jieba (python3-jieba, MIT) with its
default dictionary, words separated by one space: the lab's tokenizer reads such a line by
word (词) and an unsegmented line by character (字), so nothing else is needed at run time.
Deterministic: same packages, same output.
"""
import glob
import gzip
import html
import os
import re
import sys

FORTUNES = "/usr/share/games/fortunes"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def is_hanzi(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\U00020000" <= c <= "\U0002ffff"


def hanzi_count(text):
    return sum(1 for c in text if is_hanzi(c))


def fortune_entries(name):
    with open(os.path.join(FORTUNES, name), encoding="utf-8") as f:
        return [e for e in f.read().split("\n%\n") if e.strip()]


def clean_title(line):
    line = COLOUR.sub("", line).strip()
    line = re.sub(r"^题目[:：]\s*", "", line)
    return line.strip("《》 ")


def clean_poet(line):
    line = COLOUR.sub("", line).strip()
    line = re.sub(r"^作者[:：]\s*", "", line)
    return re.sub(r"[（(].*$", "", line).strip()


def poems(name):
    """[(title, poet, [verse lines])] of a fortunes-zh poem file."""
    out = []
    for entry in fortune_entries(name):
        lines = entry.split("\n")
        title = poet = ""
        verses = []
        for line in lines:
            if "\x1b[32m" in line and not title:
                title = clean_title(line)
            elif "\x1b[33m" in line and not poet:
                poet = clean_poet(line)
            else:
                text = COLOUR.sub("", line).strip()
                if hanzi_count(text):
                    verses.append(text)
        if verses:
            out.append((title, poet, verses))
    return out


def write_poems(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name in ("tang300", "song100"):
        collection = poems(name)
        with open(os.path.join(out_dir, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join("\n".join(verses) for _, _, verses in collection) + "\n")
        with open(os.path.join(out_dir, name + "-titles.tsv"), "w", encoding="utf-8") as f:
            for title, poet, _ in collection:
                f.write(f"{title}\t{poet}\n")


ROFF_FONT = re.compile(r"\\f(\[[^\]]*\]|\(..|.)")
ROFF_ESCAPE = re.compile(r"\\(\(..|\[[^\]]*\]|[-&/,e|^~ 0])")


def man_text(path):
    """The prose of one roff manual page: macro lines dropped, font and character escapes undone."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        source = f.read()
    lines = []
    for line in source.split("\n"):
        if line.startswith(".") or line.startswith("'"):
            # Keep the text of a few font macros (.B word), drop every other request.
            m = re.match(r"^\.(B|I|BI|IB|BR|RB|IR|RI|SH|SS)\s+(.*)$", line)
            if not m:
                continue
            line = m.group(2).replace('"', "")
        line = ROFF_FONT.sub("", line)
        line = ROFF_ESCAPE.sub(lambda m: "-" if m.group(1) == "-" else "", line)
        lines.append(line)
    return lines


def html_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    source = re.sub(r"(?is)<(script|style|pre)\b.*?</\1>", "\n", source)
    source = re.sub(r"(?i)<(br|p|div|li|tr|h[1-6]|title|dt|dd)\b[^>]*>", "\n", source)
    source = re.sub(r"<[^>]+>", "", source)
    return html.unescape(source).split("\n")


def prose_lines():
    lines = []
    for entry in fortune_entries("chinese"):
        for line in COLOUR.sub("", entry).split("\n"):
            if line.strip().startswith("--"):  # the attribution
                continue
            lines.append(line)
    for path in sorted(glob.glob("/usr/share/man/zh_CN/man*/*.gz")):
        lines.extend(man_text(path))
    for path in sorted(glob.glob("/usr/share/debian-reference/*.zh-cn.html")):
        lines.extend(html_text(path))
    kept = []
    for line in lines:
        line = " ".join(line.split())
        hanzi = hanzi_count(line)
        if hanzi >= 4 and hanzi * 3 >= len(line):  # prose, not code or option lists
            kept.append(line)
    return kept


def write_prose(out_path, chars_path):
    import collections
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    counts = collections.Counter()
    with open(out_path, "w", encoding="utf-8") as f:
        for line in prose_lines():
            counts.update(line)
            words = [w for w in jieba.cut(line) if w.strip()]
            f.write(" ".join(words) + "\n")
    # A word needs 5 occurrences to get a vector (word2vec's default min-count), so a rarer
    # character never shows as a word: the font need not carry it.
    with open(chars_path, "w", encoding="utf-8") as f:
        f.write("".join(sorted(c for c, n in counts.items() if n >= 5 and ord(c) >= 0x80)) + "\n")


def stats(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        words = sum(1 for line in text.split("\n") for w in line.split(" ") if w and any(c.isalnum() for c in w))
        print(f"{os.path.basename(path)}: {len(text):,} characters, {hanzi_count(text):,} hanzi, "
              f"{text.count(chr(10)):,} lines, {words:,} space-separated words, {os.path.getsize(path):,} bytes")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "poems":
        write_poems(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "prose":
        write_prose(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "stats":
        stats(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
