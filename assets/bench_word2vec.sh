#!/usr/bin/env bash
# Word2vec speed and quality against Debian's fastText, in one run on one machine:
# both train skip-gram with negative sampling on the same corpus with the same settings
# (dim 100, window 5, 5 negatives, sample 1e-4, 5 epochs, min-count 5, 2 threads, and
# fastText's default learning rate 0.05), wall clock timed, then both vector files are
# scored by `latentlab word2vec eval` on questions-words.txt over the 30,000 most
# frequent words: each on its own top 30,000, and both on the questions within both.
# Accuracy depends on the seed by about two points for either tool (fastText's seeds 1, 2 and
# 3 gave 22.1, 21.0 and 20.0 %), and Hogwild threads add about a point more, so the two train
# in turn ROUNDS times (default 3) with the same seed each round (1, 2, 3...: fastText's
# -seed, our --seed) and the medians are compared.
#
# usage: assets/bench_word2vec.sh LATENTLAB_BINARY [ROUNDS] [CORPUS]   (./lab bench word2vec [ROUNDS])
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN=${1:?usage: bench_word2vec.sh LATENTLAB_BINARY [ROUNDS] [CORPUS]}
ROUNDS=${2:-3}
CORPUS=${3:-$ROOT/build/corpus/wordnet-gcide.txt}
QUESTIONS="$ROOT/../shared/questions-words.txt"
OUT="$ROOT/build/bench-word2vec"
THREADS=2 LR=0.05

[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || { echo "bench word2vec: ROUNDS must be 1..99, not '$ROUNDS'" >&2; exit 2; }
command -v fasttext >/dev/null || { echo "bench word2vec: fasttext missing (Debian package fasttext)" >&2; exit 1; }
[ -f "$QUESTIONS" ] || { echo "bench word2vec: $QUESTIONS missing" >&2; exit 1; }
if [ ! -f "$CORPUS" ]; then
  echo "[bench] building the corpus (assets/prepare_corpus.py)" >&2
  python3 "$ROOT/assets/prepare_corpus.py" --out "$ROOT/build/corpus"
fi
rm -rf "$OUT" && mkdir -p "$OUT"
now() { date +%s.%N; }
accuracy() { grep -o 'total accuracy: [0-9.]*%' "$1" | grep -o '[0-9.]*'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "[bench] $(basename "$CORPUS"): $(wc -w <"$CORPUS") words; $ROUNDS rounds" >&2
printf '%-6s %-10s %8s %15s %9s %15s %15s\n' round tool "wall s" "words/s/thread" accuracy "questions seen" "same questions" \
  | tee "$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
  ft="$OUT/fasttext-$r" ll="$OUT/latentlab-$r"
  echo "[bench] round $r: fastText skipgram" >&2
  t0=$(now)
  fasttext skipgram -input "$CORPUS" -output "$ft" -dim 100 -ws 5 -neg 5 -t 1e-4 -epoch 5 -minCount 5 \
    -minn 0 -maxn 0 -thread $THREADS -seed "$r" >"$ft.log" 2>&1
  t1=$(now)
  echo "[bench] round $r: latentlab word2vec train" >&2
  "$BIN" word2vec train --corpus "$CORPUS" --out "$ll.vec" --arch sg --loss ns --dim 100 --window 5 --negative 5 \
    --sample 1e-4 --epochs 5 --min-count 5 --threads $THREADS --lr $LR --seed "$r" >"$ll.log" 2>&1
  t2=$(now)
  rm -f "$ft.bin"
  # Each file on its own top 30,000, then both on the questions within both tops: words tied
  # in count around rank 30,000 are ordered differently by each tool.
  "$BIN" word2vec eval --vectors "$ft.vec" --analogies "$QUESTIONS" --top 30000 >"$ft.eval"
  "$BIN" word2vec eval --vectors "$ll.vec" --analogies "$QUESTIONS" --top 30000 >"$ll.eval"
  "$BIN" word2vec eval --vectors "$ft.vec" --analogies "$QUESTIONS" --top 30000 --same-questions-as "$ll.vec" >"$ft.same.eval"
  "$BIN" word2vec eval --vectors "$ll.vec" --analogies "$QUESTIONS" --top 30000 --same-questions-as "$ft.vec" >"$ll.same.eval"
  ft_wps=$(tr '\r' '\n' <"$ft.log" | grep -o 'words/sec/thread: *[0-9]*' | tail -1 | grep -o '[0-9]*$')
  ll_wps=$(grep -o '[0-9]* words/s/thread' "$ll.log" | grep -o '^[0-9]*')
  seen() { grep -o 'questions seen: [0-9/]*' "$1" | cut -d' ' -f3; }
  {
    printf '%-6s %-10s %8.1f %15s %8s%% %15s %14s%%\n' "$r" fastText "$(awk "BEGIN { print $t1 - $t0 }")" "$ft_wps" \
      "$(accuracy "$ft.eval")" "$(seen "$ft.eval")" "$(accuracy "$ft.same.eval")"
    printf '%-6s %-10s %8.1f %15s %8s%% %15s %14s%%\n' "$r" latentlab "$(awk "BEGIN { print $t2 - $t1 }")" "$ll_wps" \
      "$(accuracy "$ll.eval")" "$(seen "$ll.eval")" "$(accuracy "$ll.same.eval")"
  } | tee -a "$OUT/rounds.txt"
  echo "$(awk "BEGIN { print ($t2 - $t1) / ($t1 - $t0) }") $(accuracy "$ft.same.eval") $(accuracy "$ll.same.eval")" >>"$OUT/pairs.txt"
done

ratio=$(cut -d' ' -f1 "$OUT/pairs.txt" | median)
ft_acc=$(cut -d' ' -f2 "$OUT/pairs.txt" | median)
ll_acc=$(cut -d' ' -f3 "$OUT/pairs.txt" | median)
wins=$(awk '$3 >= $2' "$OUT/pairs.txt" | wc -l)
{
  printf 'medians of %d rounds: time ratio latentlab/fastText %.2f (target <= 0.65); accuracy on the questions both answer:\n' \
    "$ROUNDS" "$ratio"
  printf '  latentlab %.2f%% vs fastText %.2f%% (target: latentlab >= fastText); latentlab >= fastText in %d of %d rounds\n' \
    "$ll_acc" "$ft_acc" "$wins" "$ROUNDS"
} | tee "$OUT/summary.txt"
