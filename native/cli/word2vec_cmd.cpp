// latentlab word2vec train|eval|convert|ppmi: the engine of core/ml/word2vec behind the
// interface our benchmarks (./lab bench word2vec) and the original tools' users expect, and the
// count-based vectors (core/ml/text/ppmi_svd) the lesson shows beside them, to score both.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "common.hpp"
#include "ml/text/ppmi_svd.hpp"
#include "ml/word2vec/formats.hpp"
#include "ml/word2vec/vectors.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::cli {

namespace {

constexpr const char* kWord2vecUsage =
    "usage:\n"
    "  latentlab word2vec train --corpus FILE --out VECTORS.txt [--arch sg|cbow] [--loss ns|hs|softmax]\n"
    "        [--dim 100] [--window 5] [--negative 5] [--sample 1e-4] [--epochs 5] [--min-count 5]\n"
    "        [--threads 2] [--lr 0.025] [--seed 1] [--ns-power 0.75] [--out-bin VECTORS.bin]\n"
    "        [--tokenize auto|space|char] [--strict-utf8]\n"
    "      trains on a UTF-8 text file (tokens: lower-cased runs of letters of any script, digits and\n"
    "      apostrophes, one sentence per line; Chinese by --tokenize: char makes every hanzi a token,\n"
    "      space keeps runs between spaces (text segmented into words), auto, the default, does space\n"
    "      on lines with a space between two hanzi and char on the others; a few invalid UTF-8 bytes\n"
    "      are skipped with a warning, or refused with --strict-utf8) and\n"
    "      writes word2vec text format, most frequent word first (binary when the name ends in .bin;\n"
    "      --out-bin writes the binary format as well)\n"
    "  latentlab word2vec eval --vectors VECTORS.txt --analogies FILE [--top 30000] [--same-questions-as OTHER]\n"
    "      3CosAdd analogy accuracy per section and in total over the questions whose four words are\n"
    "      among the first --top words of the file, as word2vec's compute-accuracy (with\n"
    "      --same-questions-as, also among the first --top words of OTHER: two files on one question set)\n"
    "  latentlab word2vec convert --vectors IN --out OUT [--top N]\n"
    "      rewrites a vectors file (word2vec text, or binary when the name ends in .bin) in the format\n"
    "      OUT's name asks for, keeping only the first N words (the most frequent in our files)\n"
    "  latentlab word2vec ppmi --corpus FILE --out VECTORS [--vocab 3000] [--dim 50] [--window 5]\n"
    "        [--min-count 5] [--seed 1] [--tokenize auto|space|char] [--strict-utf8]\n"
    "      count-based vectors of the same corpus (the word2vec lesson's PPMI+SVD): co-occurrence\n"
    "      counts of the --vocab most frequent words, PPMI, then a randomized SVD; writes them as\n"
    "      train does, most frequent word first\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab word2vec: %s\n", message.c_str());
  return 2;
}

bool parse_int(const std::string& s, long lo, long hi, int& out) {
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || v < lo || v > hi) return false;
  out = int(v);
  return true;
}

bool parse_number(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && std::isfinite(out);
}

std::string clock_text(double seconds) {
  char b[32];
  const long s = long(seconds + 0.5);
  std::snprintf(b, sizeof b, "%ld:%02ld", s / 60, s % 60);
  return b;
}

void draw_progress(ProgressLine& line, const w2v::Progress& p, int threads) {
  char text[256];
  std::snprintf(text, sizeof text, "%s  %6.0fk words/s/thread  loss %.3f  lr %.5f  ETA %s", progress_bar(p.fraction).c_str(),
                p.words_per_second / threads / 1000, p.loss, double(p.lr), clock_text(p.eta_seconds).c_str());
  line.update(p.fraction, text);
}

// The corpus options of train and ppmi: --corpus, --tokenize and --strict-utf8.
struct CorpusInput {
  std::string path;
  w2v::CorpusOptions options;
};

// True when args[i] is one of the corpus options (i then at its value); `error` says what is wrong with it.
bool take_corpus_option(const Args& args, size_t& i, CorpusInput& input, std::string& error) {
  const std::string& a = args[i];
  if (a == "--strict-utf8") return input.options.strict_utf8 = true;
  if (a != "--corpus" && a != "--tokenize") return false;
  if (i + 1 >= args.size()) return error = "option " + a + " needs a value\n" + kWord2vecUsage, true;
  const std::string& v = args[++i];
  if (a == "--corpus") input.path = v;
  else if (!ll::text::parse_cjk_tokens(v, input.options.cjk)) error = "--tokenize is auto, space or char, not '" + v + "'";
  return true;
}

// Reads the corpus (GB18030 converted, stray bytes skipped: said on stderr).
std::string read_corpus(const CorpusInput& input, int min_count, w2v::Corpus& corpus) {
  const std::string error = w2v::build_corpus_from_file(input.path, min_count, corpus, input.options);
  if (error.empty() && !corpus.warning.empty()) {
    const bool skipped = corpus.warning.find("skipped") != std::string::npos;
    std::fprintf(stderr, "warning: %s: %s%s\n", input.path.c_str(), corpus.warning.c_str(),
                 skipped ? " (--strict-utf8 refuses such a corpus)" : "");
  }
  return error;
}

int run_train(const Args& args) {
  w2v::Config config;
  std::string out_path, out_bin;
  CorpusInput input;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string error;
    if (take_corpus_option(args, i, input, error)) {
      if (!error.empty()) return fail(error);
      continue;
    }
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kWord2vecUsage);
    const std::string& v = args[++i];
    double x = 0;
    bool ok = true;
    if (a == "--out") out_path = v;
    else if (a == "--out-bin") out_bin = v;
    else if (a == "--arch") {
      if (v == "sg") config.arch = w2v::Arch::SkipGram;
      else if (v == "cbow") config.arch = w2v::Arch::Cbow;
      else return fail("--arch is sg or cbow, not '" + v + "'");
    } else if (a == "--loss") {
      if (v == "ns") config.loss = w2v::Loss::NegativeSampling;
      else if (v == "hs") config.loss = w2v::Loss::HierarchicalSoftmax;
      else if (v == "softmax") config.loss = w2v::Loss::Softmax;
      else return fail("--loss is ns, hs or softmax, not '" + v + "'");
    } else if (a == "--dim") ok = parse_int(v, 1, 1000, config.dim);
    else if (a == "--window") ok = parse_int(v, 1, 100, config.window);
    else if (a == "--negative") ok = parse_int(v, 0, 100, config.negative);
    else if (a == "--epochs") ok = parse_int(v, 1, 1000, config.epochs);
    else if (a == "--min-count") ok = parse_int(v, 1, 1000000, config.min_count);
    else if (a == "--threads") ok = parse_int(v, 1, 256, config.threads);
    else if (a == "--sample") ok = parse_number(v, config.sample) && config.sample >= 0 && config.sample <= 1;
    else if (a == "--ns-power") ok = parse_number(v, config.negative_power) && config.negative_power >= 0 && config.negative_power <= 1;
    else if (a == "--lr") ok = parse_number(v, config.lr) && config.lr > 0 && config.lr <= 1;
    else if (a == "--seed") ok = parse_number(v, x) && x >= 0 && x < 1e18 && (config.seed = uint64_t(x), true);
    else return fail("unknown option " + a + "\n" + kWord2vecUsage);
    if (!ok) return fail("bad value '" + v + "' for " + a + " (see the ranges in `latentlab word2vec help`)");
  }
  if (input.path.empty() || out_path.empty()) return fail(std::string("train needs --corpus and --out\n") + kWord2vecUsage);
  if (config.loss == w2v::Loss::NegativeSampling && config.negative < 1)
    return fail("--negative must be at least 1 with --loss ns");
  std::string error = w2v::check_config(config);
  if (!error.empty()) return fail(error);

  const double t0 = wall_seconds();
  w2v::Corpus corpus;
  error = read_corpus(input, config.min_count, corpus);
  if (!error.empty()) return fail(error);
  const double t_read = wall_seconds() - t0;
  std::fprintf(stderr, "corpus: %llu tokens, %zu in a vocabulary of %d words (min-count %d), %zu sentences, read in %.1f s\n",
               (unsigned long long)corpus.raw_tokens, corpus.ids.size(), corpus.vocab.size(), config.min_count,
               corpus.sentence_end.size(), t_read);
  w2v::TrainerPtr trainer = w2v::make_trainer(std::move(corpus), config, error);
  if (!trainer) return fail(error);
  std::fprintf(stderr, "training %s with %s, dim %d, window %d, %d epochs, %d threads\n", w2v::arch_name(config.arch),
               w2v::loss_name(config.loss), config.dim, config.window, config.epochs, config.threads);
  ProgressLine progress;
  w2v::train_in_threads(*trainer, [&](const w2v::Progress& p) { draw_progress(progress, p, config.threads); }, 0.5);
  progress.finish();
  const w2v::Progress p = w2v::progress(*trainer);
  if (p.diverged)
    return fail("training diverged (the loss became NaN or infinite); nothing written. Try a smaller --lr.");

  const w2v::WordVectors vectors = w2v::trainer_vectors(*trainer);
  error = w2v::save_vectors(out_path, vectors);
  if (error.empty() && !out_bin.empty()) error = w2v::write_file(out_bin, w2v::write_word2vec_binary(vectors));
  if (!error.empty()) return fail(error);
  std::printf("trained %llu words in %.3f s (%.0f words/s/thread, %d threads), final loss %.3f; total %.1f s; wrote %d vectors to %s\n",
              (unsigned long long)p.words_done, p.seconds, p.words_per_second / config.threads, config.threads, p.loss,
              wall_seconds() - t0, vectors.size(), out_path.c_str());
  return 0;
}

int run_eval(const Args& args) {
  std::string vectors_path, questions_path, other_path;
  int top = 30000;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kWord2vecUsage);
    const std::string& v = args[++i];
    if (a == "--vectors") vectors_path = v;
    else if (a == "--analogies") questions_path = v;
    else if (a == "--same-questions-as") other_path = v;
    else if (a == "--top") {
      if (!parse_int(v, 1, 100000000, top)) return fail("--top needs a positive integer");
    } else return fail("unknown option " + a + "\n" + kWord2vecUsage);
  }
  if (vectors_path.empty() || questions_path.empty()) return fail(std::string("eval needs --vectors and --analogies\n") + kWord2vecUsage);
  w2v::WordVectors vectors, other;
  std::string error = w2v::load_vectors(vectors_path, vectors);
  if (!error.empty()) return fail(error);
  if (!other_path.empty()) {
    error = w2v::load_vectors(other_path, other);
    if (!error.empty()) return fail(error);
  }
  std::string questions;
  error = w2v::read_file(questions_path, questions);
  if (!error.empty()) return fail(error);
  w2v::AnalogyReport report;
  error = w2v::evaluate_analogies(vectors, questions, top, report, other_path.empty() ? nullptr : &other);
  if (!error.empty()) return fail(questions_path + ": " + error);
  auto percent = [](int c, int n) { return n ? 100.0 * c / n : 0.0; };
  std::printf("%-30s %9s %15s\n", "section", "accuracy", "correct/seen");
  for (const w2v::AnalogySection& s : report.sections)
    std::printf("%-30s %8.2f%% %7d/%-7d (of %d)\n", s.name.c_str(), percent(s.correct, s.seen), s.correct, s.seen, s.total);
  std::printf("semantic: %.2f%% (%d/%d)  syntactic: %.2f%% (%d/%d)\n", percent(report.semantic_correct, report.semantic_seen),
              report.semantic_correct, report.semantic_seen, percent(report.syntactic_correct, report.syntactic_seen),
              report.syntactic_correct, report.syntactic_seen);
  std::printf("questions seen: %d/%d (%.1f%%), vocabulary top %d of %d words%s%s\n", report.seen, report.total,
              percent(report.seen, report.total), std::min(top, vectors.size()), vectors.size(),
              other_path.empty() ? "" : ", also within the top of ", other_path.c_str());
  std::printf("total accuracy: %.2f%% (%d/%d)\n", 100 * report.accuracy(), report.correct, report.seen);
  return 0;
}

int run_convert(const Args& args) {
  std::string in_path, out_path;
  int top = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kWord2vecUsage);
    const std::string& v = args[++i];
    if (a == "--vectors") in_path = v;
    else if (a == "--out") out_path = v;
    else if (a == "--top") {
      if (!parse_int(v, 1, 100000000, top)) return fail("--top needs a positive integer");
    } else return fail("unknown option " + a + "\n" + kWord2vecUsage);
  }
  if (in_path.empty() || out_path.empty()) return fail(std::string("convert needs --vectors and --out\n") + kWord2vecUsage);
  w2v::WordVectors vectors;
  std::string error = w2v::load_vectors(in_path, vectors);
  if (!error.empty()) return fail(error);
  if (top > 0 && top < vectors.size()) {
    std::vector<std::string> words(vectors.words.begin(), vectors.words.begin() + top);
    std::vector<float> data(vectors.data.begin(), vectors.data.begin() + long(top) * vectors.dim);
    vectors = w2v::make_word_vectors(std::move(words), vectors.dim, std::move(data));
  }
  error = w2v::save_vectors(out_path, vectors);
  if (!error.empty()) return fail(error);
  std::printf("wrote %d vectors of dimension %d to %s\n", vectors.size(), vectors.dim, out_path.c_str());
  return 0;
}

int run_ppmi(const Args& args) {
  text::PpmiSvdConfig config;
  std::string out_path;
  CorpusInput input;
  int min_count = 5;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string error;
    if (take_corpus_option(args, i, input, error)) {
      if (!error.empty()) return fail(error);
      continue;
    }
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kWord2vecUsage);
    const std::string& v = args[++i];
    double x = 0;
    bool ok = true;
    if (a == "--out") out_path = v;
    else if (a == "--vocab") ok = parse_int(v, 4, 100000, config.max_vocab);
    else if (a == "--dim") ok = parse_int(v, 1, 1000, config.dim);
    else if (a == "--window") ok = parse_int(v, 1, 100, config.window);
    else if (a == "--min-count") ok = parse_int(v, 1, 1000000, min_count);
    else if (a == "--seed") ok = parse_number(v, x) && x >= 0 && x < 1e18 && (config.seed = uint64_t(x), true);
    else return fail("unknown option " + a + "\n" + kWord2vecUsage);
    if (!ok) return fail("bad value '" + v + "' for " + a + " (see the ranges in `latentlab word2vec help`)");
  }
  if (input.path.empty() || out_path.empty()) return fail(std::string("ppmi needs --corpus and --out\n") + kWord2vecUsage);
  std::string error = text::check_ppmi_svd_config(config);
  if (!error.empty()) return fail(error);
  const double t0 = wall_seconds();
  w2v::Corpus corpus;
  error = read_corpus(input, min_count, corpus);
  if (!error.empty()) return fail(error);
  text::PpmiSvdJob job;
  error = text::start_ppmi_svd(std::make_shared<const w2v::Corpus>(std::move(corpus)), config, job);
  if (!error.empty()) return fail(error);
  while (!text::step_ppmi_svd(job, 1.0)) {
  }
  error = w2v::save_vectors(out_path, job.vectors);
  if (!error.empty()) return fail(error);
  std::printf("PPMI+SVD of %d words (window %d), %d dimensions in %.1f s; wrote %s\n", job.vocab, config.window, job.dim,
              wall_seconds() - t0, out_path.c_str());
  return 0;
}

}  // namespace

int run_word2vec(const Args& args) {
  if (args.empty() || args[0] == "help" || args[0] == "--help") {
    std::fputs(kWord2vecUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "train") return run_train(rest);
  if (args[0] == "eval") return run_eval(rest);
  if (args[0] == "convert") return run_convert(rest);
  if (args[0] == "ppmi") return run_ppmi(rest);
  return fail("unknown subcommand '" + args[0] + "'\n" + kWord2vecUsage);
}

}  // namespace ll::cli
