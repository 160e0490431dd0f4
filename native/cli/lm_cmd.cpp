// latentlab lm eval: the language-model lesson's held-out perplexity table (every order 1–3 and
// every smoothing) for the embedded Tang or Song poems or a text file, with the lesson's split.
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "common.hpp"
#include "io/corpora.hpp"
#include "ml/text/ngram.hpp"
#include "ml/text/tokenize.hpp"

// The poems cmake/TextCorpora.cmake embeds in latentlab_lessons (text_lessons.cpp reads them as
// ll::ui::tang_poems()): their objects alone, without the lessons' ImGui code.

namespace ll::cli {

namespace {

constexpr const char* kLmUsage =
    "usage:\n"
    "  latentlab lm eval --corpus tang|song|FILE [--tokenize auto|char|space] [--k 1] [--discount 0.75]\n"
    "      held-out perplexity of unigram, bigram and trigram models with maximum likelihood, add-k and\n"
    "      interpolated Kneser-Ney smoothing, as the language-model lesson measures it: sentences end at\n"
    "      . ! ? 。！？, every 5th is held out. tang and song are the 300 Tang Poems and 100 Song Poems\n"
    "      compiled into the lab (Debian fortunes-zh), read by character, a sentence a couplet;\n"
    "      a FILE is UTF-8 text, Chinese in it tokenized as --tokenize says (default auto)\n";

constexpr int kHeldOutEvery = 5;  // as the lesson

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab lm: %s\n", message.c_str());
  return 2;
}

std::string perplexity_text(double pp) {
  if (std::isinf(pp)) return "inf";
  if (std::isnan(pp)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", pp);
  return b;
}

int run_eval(const Args& args) {
  std::string corpus;
  text::CjkTokens cjk = text::CjkTokens::Auto;
  bool tokenize_given = false;
  text::SmoothingOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kLmUsage);
    const std::string& v = args[++i];
    if (a == "--corpus") {
      corpus = v;
    } else if (a == "--tokenize") {
      if (!text::parse_cjk_tokens(v, cjk)) return fail("--tokenize: auto, char or space");
      tokenize_given = true;
    } else if (a == "--k") {
      if (!parse_double(v, 1e-4, 10, options.k)) return fail("--k must be in [0.0001, 10]");
    } else if (a == "--discount") {
      if (!parse_double(v, 1e-9, 1, options.discount)) return fail("--discount must be in (0, 1]");
    } else {
      return fail("unknown option " + a + "\n" + kLmUsage);
    }
  }
  if (corpus.empty()) return fail(std::string("--corpus is required\n") + kLmUsage);

  std::string file_text;
  std::string_view text;
  const bool poems = corpus == "tang" || corpus == "song";
  if (poems) {
    text = corpus == "tang" ? io::tang_poems() : io::song_poems();
    if (text.empty())
      return fail("this build has no Chinese poems: install the Debian packages fortunes-zh and python3-jieba "
                  "(./lab deps) and reconfigure");
    // The lesson reads the poems by character whatever the setting: a couplet of 字.
    if (tokenize_given && cjk != text::CjkTokens::Char)
      std::fprintf(stderr, "latentlab lm: the poems are read by character; --tokenize %s ignored\n",
                   text::cjk_tokens_name(cjk));
    cjk = text::CjkTokens::Char;
  } else {
    std::ifstream in(corpus, std::ios::binary);
    if (!in) return fail("cannot read " + corpus);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    file_text = bytes.str();
    const text::TextReport report = text::decode_text(file_text);  // GB18030/GBK becomes UTF-8
    if (!report.problem.empty()) return fail(corpus + ": " + report.problem);
    if (!report.warning().empty()) std::fprintf(stderr, "latentlab lm: %s: %s\n", corpus.c_str(), report.warning().c_str());
    text = file_text;
  }

  const text::Sentences sentences = text::split_sentences(text, true, cjk);
  const text::TrainHeldOut split = text::split_train_held_out(sentences, kHeldOutEvery);
  if (split.held_out.empty() || split.train.empty())
    return fail("perplexity needs at least two sentences: one to train on, one held out");
  text::NgramModel model = text::build_ngram_model(split.train, 3, split.held_out);
  long held_out_tokens = 0;
  for (const auto& s : split.held_out) held_out_tokens += long(s.size()) + 1;
  std::printf("corpus %s (tokens: %s): %zu sentences, trained on %zu (%ld tokens), held out %zu (%ld tokens, "
              "words and </s>), |V| = %d\n",
              corpus.c_str(), text::cjk_tokens_name(cjk), sentences.size(), split.train.size(), model.predicted_tokens,
              split.held_out.size(), held_out_tokens, model.predictable_words());

  const text::Smoothing kinds[] = {text::Smoothing::MaximumLikelihood, text::Smoothing::AddK,
                                   text::Smoothing::KneserNey};
  std::printf("%-24s %10s %10s %10s\n", "held-out perplexity", "n=1", "n=2", "n=3");
  for (text::Smoothing kind : kinds) {
    char label[64];
    if (kind == text::Smoothing::AddK) std::snprintf(label, sizeof label, "add-k (k=%g)", options.k);
    else if (kind == text::Smoothing::KneserNey) std::snprintf(label, sizeof label, "Kneser-Ney (d=%g)", options.discount);
    else std::snprintf(label, sizeof label, "%s", text::smoothing_name(kind));
    std::printf("%-24s", label);
    options.kind = kind;
    for (int n = 1; n <= 3; ++n) {
      model.order = n;
      std::printf(" %10s", perplexity_text(text::perplexity(model, options, split.held_out).perplexity).c_str());
    }
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int run_lm(const Args& args) {
  if (!args.empty() && args[0] == "eval") return run_eval(Args(args.begin() + 1, args.end()));
  std::fputs(kLmUsage, args.empty() || args[0] != "help" ? stderr : stdout);
  return args.empty() || args[0] != "help" ? 2 : 0;
}

}  // namespace ll::cli
