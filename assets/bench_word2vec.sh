#!/usr/bin/env bash
# Word2vec speed and quality against Debian's fastText, in one run on one machine:
# both train skip-gram with negative sampling on the same corpus with the same settings
# (dim 100, window 5, 5 negatives, sample 1e-4, 5 epochs, min-count 5, 2 threads, and
# fastText's default learning rate 0.05), wall clock timed, then both vector files are
# scored by `latentlab word2vec eval` on questions-words.txt over the 30,000 most
# frequent words: each on its own top 30,000, and both on the questions within both.
#
# usage: assets/bench_word2vec.sh LATENTLAB_BINARY [CORPUS]     (./lab bench word2vec runs it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN=${1:?usage: bench_word2vec.sh LATENTLAB_BINARY [CORPUS]}
CORPUS=${2:-$ROOT/build/corpus/wordnet-gcide.txt}
QUESTIONS="$ROOT/../shared/questions-words.txt"
OUT="$ROOT/build/bench-word2vec"
THREADS=2 LR=0.05

command -v fasttext >/dev/null || { echo "bench word2vec: fasttext missing (Debian package fasttext)" >&2; exit 1; }
[ -f "$QUESTIONS" ] || { echo "bench word2vec: $QUESTIONS missing" >&2; exit 1; }
if [ ! -f "$CORPUS" ]; then
  echo "[bench] building the corpus (assets/prepare_corpus.py)" >&2
  python3 "$ROOT/assets/prepare_corpus.py" --out "$ROOT/build/corpus"
fi
mkdir -p "$OUT"
now() { date +%s.%N; }

echo "[bench] fastText skipgram on $(basename "$CORPUS") ($(wc -w <"$CORPUS") words)" >&2
t0=$(now)
fasttext skipgram -input "$CORPUS" -output "$OUT/fasttext" -dim 100 -ws 5 -neg 5 -t 1e-4 -epoch 5 -minCount 5 \
  -minn 0 -maxn 0 -thread $THREADS >"$OUT/fasttext.log" 2>&1
t1=$(now)
echo "[bench] latentlab word2vec train" >&2
"$BIN" word2vec train --corpus "$CORPUS" --out "$OUT/latentlab.vec" --arch sg --loss ns --dim 100 --window 5 \
  --negative 5 --sample 1e-4 --epochs 5 --min-count 5 --threads $THREADS --lr $LR >"$OUT/latentlab.log" 2>&1
t2=$(now)
echo "[bench] scoring both on $(basename "$QUESTIONS")" >&2
"$BIN" word2vec eval --vectors "$OUT/fasttext.vec" --analogies "$QUESTIONS" --top 30000 >"$OUT/fasttext.eval"
"$BIN" word2vec eval --vectors "$OUT/latentlab.vec" --analogies "$QUESTIONS" --top 30000 >"$OUT/latentlab.eval"
# The same questions for both: words tied in count around rank 30000 are ordered differently
# by each tool, so each file's own top 30000 admits a slightly different question set.
"$BIN" word2vec eval --vectors "$OUT/fasttext.vec" --analogies "$QUESTIONS" --top 30000 \
  --same-questions-as "$OUT/latentlab.vec" >"$OUT/fasttext.same.eval"
"$BIN" word2vec eval --vectors "$OUT/latentlab.vec" --analogies "$QUESTIONS" --top 30000 \
  --same-questions-as "$OUT/fasttext.vec" >"$OUT/latentlab.same.eval"

ft_time=$(awk "BEGIN { print $t1 - $t0 }"); ll_time=$(awk "BEGIN { print $t2 - $t1 }")
ft_wps=$(tr '\r' '\n' <"$OUT/fasttext.log" | grep -o 'words/sec/thread: *[0-9]*' | tail -1 | grep -o '[0-9]*$')
ll_wps=$(grep -o '[0-9]* words/s/thread' "$OUT/latentlab.log" | grep -o '^[0-9]*')
ft_acc=$(grep -o 'total accuracy: [0-9.]*%' "$OUT/fasttext.eval" | grep -o '[0-9.]*%')
ll_acc=$(grep -o 'total accuracy: [0-9.]*%' "$OUT/latentlab.eval" | grep -o '[0-9.]*%')
ft_seen=$(grep -o 'questions seen: [0-9/]*' "$OUT/fasttext.eval" | cut -d' ' -f3)
ll_seen=$(grep -o 'questions seen: [0-9/]*' "$OUT/latentlab.eval" | cut -d' ' -f3)
ft_same=$(grep -o 'total accuracy: [0-9.]*%' "$OUT/fasttext.same.eval" | grep -o '[0-9.]*%')
ll_same=$(grep -o 'total accuracy: [0-9.]*%' "$OUT/latentlab.same.eval" | grep -o '[0-9.]*%')
same_seen=$(grep -o 'questions seen: [0-9]*' "$OUT/latentlab.same.eval" | grep -o '[0-9]*$')
{
  printf '%-10s %10s %18s %10s %16s %14s\n' tool "wall s" "words/s/thread" accuracy "questions seen" "same questions"
  printf '%-10s %10.1f %18s %10s %16s %14s\n' fastText "$ft_time" "$ft_wps" "$ft_acc" "$ft_seen" "$ft_same"
  printf '%-10s %10.1f %18s %10s %16s %14s\n' latentlab "$ll_time" "$ll_wps" "$ll_acc" "$ll_seen" "$ll_same"
  printf 'time ratio latentlab/fastText: %.2f (target <= 0.65); accuracy on the %s questions both answer: latentlab %s vs fastText %s\n' \
    "$(awk "BEGIN { print $ll_time / $ft_time }")" "$same_seen" "$ll_same" "$ft_same"
} | tee "$OUT/summary.txt"
