// The word2vec lesson's data and files: the count-based PPMI+SVD job, the default-corpus and
// pretrained-vector assets, the side-by-side answers, and vectors downloaded and uploaded
// through the front end's file hooks.
#include <catch2/catch.hpp>

#include <Eigen/SVD>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "headless_imgui.hpp"
#include "io/assets.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/i18n.hpp"
#include "lessons/lesson_list.hpp"
#include "ml/rng.hpp"
#include "ml/text/cooccurrence.hpp"
#include "ml/text/ppmi_svd.hpp"
#include "ml/text/tokenize.hpp"
#include "ml/word2vec/formats.hpp"
#include "ml/word2vec/vectors.hpp"

using namespace ll;

namespace {

// Two planted topics: animals share their context words, vehicles theirs; one sentence each.
std::string planted_corpus(int sentences, uint64_t seed) {
  const char* animals[] = {"cat", "dog", "mouse", "horse"};
  const char* animal_context[] = {"fur", "tail", "paw", "pet", "barn"};
  const char* vehicles[] = {"car", "bus", "truck", "tram"};
  const char* vehicle_context[] = {"road", "wheel", "engine", "fuel", "garage"};
  Rng rng(seed);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const bool animal = rng.below(2) == 0;
    for (int i = 0; i < 6; ++i) {
      const bool centre = i % 3 == 0;
      const char* word = animal ? (centre ? animals[rng.below(4)] : animal_context[rng.below(5)])
                                : (centre ? vehicles[rng.below(4)] : vehicle_context[rng.below(5)]);
      text += word;
      text += ' ';
    }
    text += "the\n";
  }
  return text;
}

// Runs a lesson's frames until `done` holds (at most `limit` frames).
template <class Done>
void frames_until(HeadlessImGui& imgui, ui::App& app, Done done, int limit = 2000) {
  for (int i = 0; i < limit && !done(); ++i) imgui.frames(app, 1);
}

std::vector<std::string> words_of(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& n : list) out.push_back(n["word"]);
  return out;
}

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

struct EnglishAfterwards {
  ~EnglishAfterwards() { ui::set_language("en"); }
};

}  // namespace

TEST_CASE("ppmi+svd: the sliced job matches the dense PPMI, its top singular values and one whole run", "[text]") {
  const std::string text = planted_corpus(600, 7);
  text::PpmiSvdConfig config;
  config.dim = 6;
  config.window = 2;
  text::PpmiSvdJob whole, sliced;
  REQUIRE(text::start_ppmi_svd(text, 1, config, whole) == "");
  REQUIRE(text::start_ppmi_svd(text, 1, config, sliced) == "");
  CHECK(whole.vocab == 19);  // 4 + 5 + 4 + 5 words and "the"
  CHECK(whole.dim == 6);
  CHECK(sliced.X.size() == 0);  // the first unit of work allocates the matrix, not the caller

  // Unit by unit up to the PPMI matrix, then compare with the dense reference.
  int units = 0;
  while (sliced.stage == text::PpmiSvdStage::Count || sliced.stage == text::PpmiSvdStage::Weight) {
    text::step_ppmi_svd(sliced, 0);
    ++units;
  }
  CHECK(units > 1);
  std::vector<std::vector<int>> sentences;
  const w2v::Corpus& c = *sliced.corpus;
  for (size_t s = 0, begin = 0; s < c.sentence_end.size(); begin = c.sentence_end[s], ++s)
    sentences.emplace_back(c.ids.begin() + long(begin), c.ids.begin() + long(c.sentence_end[s]));
  const Eigen::MatrixXd reference = text::ppmi(text::cooccurrence_matrix(sentences, sliced.vocab, config.window));
  REQUIRE(sliced.X.rows() == sliced.vocab);
  CHECK((sliced.X.cast<double>() - reference).cwiseAbs().maxCoeff() < 1e-4);
  CHECK(reference.maxCoeff() > 0.5);

  while (!text::step_ppmi_svd(sliced, 0)) ++units;
  CHECK(text::ppmi_svd_progress(sliced) == 1.0);
  CHECK(text::step_ppmi_svd(whole, 1e9));
  REQUIRE(sliced.vectors.size() == whole.vectors.size());
  CHECK(sliced.vectors.data == whole.vectors.data);  // slicing changes nothing
  CHECK(sliced.vectors.dim == 6);

  // From a corpus already built (the lesson reuses its trainer's) the job is the same, and
  // the job and a trainer share that corpus instead of copying it.
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(text, 1, corpus).empty());
  const w2v::CorpusPtr shared = std::make_shared<const w2v::Corpus>(std::move(corpus));
  std::string error;
  const w2v::TrainerPtr trainer = w2v::make_trainer(shared, w2v::Config{}, error);
  REQUIRE(trainer);
  CHECK(w2v::shared_corpus(*trainer) == shared);
  text::PpmiSvdJob from_corpus;
  REQUIRE(text::start_ppmi_svd(w2v::shared_corpus(*trainer), config, from_corpus) == "");
  CHECK(from_corpus.corpus == shared);
  CHECK(text::step_ppmi_svd(from_corpus, 1e9));
  CHECK(from_corpus.vectors.data == whole.vectors.data);

  // The range finder's singular values are the matrix's (symmetric: |eigenvalues|).
  Eigen::JacobiSVD<Eigen::MatrixXd> exact(reference);
  for (int k = 0; k < 6; ++k) CHECK(double(whole.sigma(k)) == Approx(exact.singularValues()(k)).epsilon(1e-3));

  // The planted structure: every animal's nearest neighbour is an animal-topic word.
  const w2v::UnitVectors u = w2v::unit_vectors(whole.vectors);
  const std::vector<std::string> animal_side = {"cat", "dog", "mouse", "horse", "fur", "tail", "paw", "pet", "barn"};
  for (const char* animal : {"cat", "dog", "mouse", "horse"}) {
    std::string error;
    const auto near = w2v::nearest_words(u, animal, 1, error);
    REQUIRE(near.size() == 1);
    CHECK(std::find(animal_side.begin(), animal_side.end(), near[0].word) != animal_side.end());
  }
}

TEST_CASE("ppmi+svd: the vocabulary cap keeps the most frequent words; bad input is explained", "[text]") {
  text::PpmiSvdConfig config;
  config.max_vocab = 8;
  config.dim = 50;
  text::PpmiSvdJob job;
  REQUIRE(text::start_ppmi_svd(planted_corpus(200, 3), 1, config, job) == "");
  CHECK(job.vocab == 8);
  CHECK(job.dim == 4);  // at most half the words
  CHECK(text::step_ppmi_svd(job, 1e9));
  CHECK(job.vectors.size() == 8);
  CHECK(job.vectors.words[0] == "the");
  CHECK(job.X.size() == 0);  // the big matrix is freed

  text::PpmiSvdJob untouched = std::move(job);
  CHECK_THAT(text::start_ppmi_svd("", 1, config, job), Catch::Contains("empty"));
  CHECK_THAT(text::start_ppmi_svd("one two three", 1, config, job), Catch::Contains("4"));
  config.max_vocab = 1;
  CHECK_THAT(text::start_ppmi_svd(planted_corpus(10, 1), 1, config, job), Catch::Contains("cap"));
}

#ifdef LATENTLAB_HAVE_WORDNET_ASSET
TEST_CASE("word2vec assets: the default corpus is a few MB of WordNet glosses", "[word2vec]") {
  std::string bytes;
  REQUIRE(load_asset("wordnet-glosses.txt", bytes) == "");
  CHECK(bytes.size() > 1000000);
  CHECK(bytes.size() <= 3000000);
  CHECK(text::check_text(bytes) == "");
  // One gloss per line, already in the tokenizer's alphabet.
  CHECK(bytes.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789' \n") == std::string::npos);
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(bytes, 5, corpus) == "");
  CHECK(corpus.raw_tokens > 400000);
  CHECK(corpus.raw_tokens < 3000000);
  for (const char* common : {"a", "the", "of", "or"}) CHECK(corpus.vocab.id(common) < 6);
  CHECK(corpus.vocab.id("plant") >= 0);
}
#endif

TEST_CASE("word2vec assets: the pretrained vectors load and know their analogies", "[word2vec]") {
  std::string bytes;
  REQUIRE(load_asset("word2vec-wordnet-gcide.bin", bytes) == "");
  w2v::WordVectors v;
  REQUIRE(w2v::read_word2vec_binary(bytes, v) == "");
  CHECK(v.size() == 19500);
  CHECK(v.dim == 100);
  CHECK(bytes.size() <= 8000000);
  const w2v::UnitVectors u = w2v::unit_vectors(v);
  std::string error;
  const auto queen = w2v::analogy(u, "man", "king", "woman", 1, w2v::AnalogyMethod::Add, error);
  REQUIRE(error == "");
  REQUIRE(queen.size() == 1);
  CHECK(queen[0].word == "queen");
  const auto mother = w2v::analogy(u, "brother", "sister", "father", 1, w2v::AnalogyMethod::Add, error);
  REQUIRE(mother.size() == 1);
  CHECK(mother[0].word == "mother");
  const auto queen_mul = w2v::analogy(u, "man", "king", "woman", 5, w2v::AnalogyMethod::Mul, error);
  REQUIRE(queen_mul.size() == 5);
  CHECK(std::any_of(queen_mul.begin(), queen_mul.end(), [](const w2v::Neighbour& n) { return n.word == "queen"; }));
  const auto near = w2v::nearest_words(u, "dog", 10, error);
  std::vector<std::string> words;
  for (const auto& n : near) words.push_back(n.word);
  CHECK(std::find(words.begin(), words.end(), "dogs") != words.end());
}

TEST_CASE("word2vec lesson: pretrained vectors answer at once; PPMI+SVD answers beside them", "[word2vec]") {
  HeadlessImGui imgui;
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    imgui.frames(app, 2);
    auto s = app.state()["lesson"];
    REQUIRE(s["pretrained"]["status"] == "loaded");
    CHECK(s["vectors"]["set"] == "pretrained");
    CHECK(app.command("w2v nearest queen").ok);
    CHECK(app.state()["lesson"]["nearest"]["neighbours"].size() == 10);
    CHECK(app.state()["lesson"]["nearest"]["ppmi_neighbours"].size() == 0);  // not computed yet
    CHECK_FALSE(app.command("w2v vectors trained").ok);

    // PPMI+SVD of the travel passage, in frames, beside the pretrained vectors.
    CHECK(app.command("w2v corpus passage").ok);
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v ppmi").ok);
    frames_until(imgui, app, [&] { return app.state()["lesson"]["ppmi"]["stage"] == "done"; });
    s = app.state()["lesson"];
    REQUIRE(s["ppmi"]["stage"] == "done");
    CHECK(s["ppmi"]["words"].get<int>() > 50);
    CHECK(app.command("w2v nearest hotel").ok);
    s = app.state()["lesson"];
    CHECK(s["nearest"]["neighbours"].size() == 10);
    CHECK(s["nearest"]["ppmi_neighbours"].size() == 10);
    CHECK(words_of(s["nearest"]["neighbours"]) != words_of(s["nearest"]["ppmi_neighbours"]));
    // A word only one side knows: the other side says so, the query still answers.
    CHECK(app.command("w2v nearest queen").ok);
    s = app.state()["lesson"];
    CHECK(s["nearest"]["neighbours"].size() == 10);
    CHECK(s["nearest"]["ppmi_neighbours"].size() == 0);
    CHECK_THAT(s["nearest"]["ppmi_problem"].get<std::string>(), Catch::Contains("not in the vocabulary"));
    CHECK(app.command("w2v analogy cat dog hotel").ok);
    s = app.state()["lesson"];
    CHECK(s["analogy"]["answers"].size() == 5);
    CHECK(s["analogy"]["ppmi_answers"].size() == 5);

    // Training switches the queries to the trained vectors and reports the epoch timing.
    CHECK(app.command("w2v set epochs 2").ok);
    CHECK(app.command("w2v set dim 20").ok);
    CHECK(app.command("train step").ok);
    for (int i = 0; i < 200 && !app.state()["lesson"]["finished"].get<bool>(); ++i) app.command("train step");
    s = app.state()["lesson"];
    REQUIRE(s["finished"] == true);
    CHECK(s["vectors"]["set"] == "trained");
    CHECK(s["vectors"]["dim"] == 20);
    CHECK(s["corpus_tokens"].get<long>() > 150);
    CHECK(s["epochs"] == 2);
    CHECK(s["threads"].get<int>() >= 1);
    CHECK(s["epoch_seconds"].get<double>() > 0);
    CHECK(s["epoch_seconds"].get<double>() <= s["seconds"].get<double>());
    // The end of the run starts PPMI+SVD of the trained corpus again (its settings may differ).
    CHECK(s["ppmi"]["running"] == true);
    frames_until(imgui, app, [&] { return app.state()["lesson"]["ppmi"]["stage"] == "done"; });
    CHECK(app.state()["lesson"]["ppmi"]["corpus"] == "Travel passage");
    CHECK(app.command("w2v vectors pretrained").ok);
    CHECK(app.state()["lesson"]["vectors"]["words"] == 19500);
  }
}

TEST_CASE("word2vec lesson: the default corpus loads through the asset loader; a missing one is explained", "[word2vec]") {
  HeadlessImGui imgui;
  bool arrived = false, serve_corpus = true;
  set_asset_loader([&](const std::string& name, std::string& bytes) -> std::string {
    if (name != "wordnet-glosses.txt") return "no such asset here";
    if (!arrived) return kAssetPending;
    if (!serve_corpus) return "could not fetch assets/wordnet-glosses.txt";
    bytes.clear();
    for (int i = 0; i < 30; ++i) bytes += "a small plant with green leaves\na large animal with brown fur\n";
    return "";
  });
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    CHECK(app.state()["lesson"]["corpus"] == "WordNet glosses");
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v set window 2").ok);
    const auto train = app.command("w2v train");
    CHECK(train.ok);
    CHECK_THAT(train.message, Catch::Contains("when the corpus has loaded"));
    CHECK(app.state()["lesson"]["default_corpus"] == "loading");
    imgui.frames(app, 3);
    CHECK_FALSE(app.state()["lesson"].contains("words_done"));
    arrived = true;
    frames_until(imgui, app, [&] { return app.state()["lesson"].contains("words_done"); }, 20);
    auto s = app.state()["lesson"];
    CHECK(s["default_corpus"] == "loaded");
    CHECK(s["trained_corpus"] == "WordNet glosses");
    CHECK(s["vocab"] == 10);
    CHECK(s["pretrained"]["status"] == "missing");
    CHECK_THAT(s["pretrained"]["problem"].get<std::string>(), Catch::Contains("no such asset"));
    CHECK(app.command("w2v stop").ok);
    // A min-count set after the corpus arrived is honoured: neither the corpus read in the
    // background nor the last run's (both at min-count 1) stand in for it.
    CHECK(app.command("w2v set min-count 31").ok);  // leaves "a" and "with"
    const auto rare = app.command("w2v train");
    CHECK_FALSE(rare.ok);
    CHECK_THAT(rare.message, Catch::Contains("vocabulary of 2 words"));
  }
  arrived = false;
  serve_corpus = false;
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    imgui.frames(app, 2);
    CHECK(app.state()["lesson"]["default_corpus"] == "loading");
    CHECK(app.command("w2v train").ok);  // waits for the corpus…
    CHECK(app.state()["lesson"]["train_when_loaded"] == true);
    arrived = true;
    imgui.frames(app, 2);
    auto s = app.state()["lesson"];
    CHECK(s["default_corpus"] == "missing");
    CHECK(s["train_when_loaded"] == false);  // …which never comes: explained, not waited for
    CHECK_THAT(s["problem"].get<std::string>(), Catch::Contains("could not fetch"));
    CHECK_FALSE(s.contains("words_done"));
    const auto train = app.command("w2v train");
    CHECK_FALSE(train.ok);
    CHECK_THAT(train.message, Catch::Contains("missing") && Catch::Contains("wordnet-base"));
    CHECK(app.command("w2v corpus passage").ok);  // the other corpora still work
    CHECK(app.command("w2v train").ok);
    CHECK(app.command("w2v stop").ok);
  }
  set_asset_loader({});
}

TEST_CASE("word2vec lesson: download then upload gives the same vectors; a bad upload keeps them", "[word2vec]") {
  HeadlessImGui imgui;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> downloads;
  std::pair<std::string, std::vector<uint8_t>> next_upload;
  ui::set_file_hooks(
      [&](const std::string& name, const std::vector<uint8_t>& bytes) {
        downloads.push_back({name, bytes});
        return std::string();
      },
      [&](const std::string&, ui::OpenedFileFn on_open) { on_open(next_upload.first, next_upload.second); });
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    CHECK(app.command("w2v corpus passage").ok);
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v set dim 12").ok);
    CHECK(app.command("w2v set epochs 2").ok);
    for (int i = 0; i < 200 && !(app.state()["lesson"].value("finished", false)); ++i) app.command("train step");
    REQUIRE(app.state()["lesson"]["vectors"]["set"] == "trained");
    CHECK(app.command("w2v nearest hotel").ok);
    const auto trained_neighbours = words_of(app.state()["lesson"]["nearest"]["neighbours"]);
    const int words = app.state()["lesson"]["vectors"]["words"];

    CHECK(app.command("w2v save vec").ok);
    CHECK(app.command("w2v save bin").ok);
    CHECK(app.command("w2v save tsv").ok);
    CHECK_FALSE(app.command("w2v save npy").ok);
    REQUIRE(downloads.size() == 4);
    CHECK(downloads[0].first == "word2vec-trained.vec");
    CHECK(downloads[1].first == "word2vec-trained.bin");
    CHECK(downloads[2].first == "word2vec-trained-vectors.tsv");
    CHECK(downloads[3].first == "word2vec-trained-metadata.tsv");
    auto as_text = [](const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); };
    w2v::WordVectors from_tsv;
    REQUIRE(w2v::read_projector_tsv(as_text(downloads[2].second), as_text(downloads[3].second), from_tsv) == "");
    CHECK(from_tsv.size() == words);
    CHECK(from_tsv.dim == 12);

    for (int file : {1, 0}) {  // binary (exact), then text
      next_upload = downloads[size_t(file)];
      CHECK(app.command("w2v upload").ok);
      auto s = app.state()["lesson"];
      REQUIRE(s["vectors"]["set"] == "uploaded");
      CHECK(s["vectors"]["uploaded"] == downloads[size_t(file)].first);
      CHECK(s["vectors"]["words"] == words);
      CHECK(words_of(s["nearest"]["neighbours"]) == trained_neighbours);
    }

    // A file with a short row: explained, and the uploaded vectors stay in use.
    next_upload = {"broken.vec", {}};
    const std::string broken = "3 2\nhotel 0.1 0.2\nmotel 0.3\ncat 0.5 0.6\n";
    next_upload.second.assign(broken.begin(), broken.end());
    CHECK(app.command("w2v upload").ok);
    auto s = app.state()["lesson"];
    CHECK(s["vectors"]["set"] == "uploaded");
    CHECK(s["vectors"]["uploaded"] == "word2vec-trained.vec");
    CHECK(s["vectors"]["words"] == words);
    CHECK_THAT(s["file_message"].get<std::string>(), Catch::Contains("broken.vec") && Catch::Contains("kept"));
    CHECK(words_of(s["nearest"]["neighbours"]) == trained_neighbours);
    // Garbage called .bin: the same.
    next_upload = {"noise.bin", std::vector<uint8_t>(64, 0xff)};
    CHECK(app.command("w2v upload").ok);
    CHECK(app.state()["lesson"]["vectors"]["words"] == words);
    CHECK_THAT(app.state()["lesson"]["file_message"].get<std::string>(), Catch::Contains("kept"));
  }
  ui::set_file_hooks({}, {});
}

TEST_CASE("word2vec lesson: a corpus file uploads and trains; one that is not text keeps the corpus", "[word2vec]") {
  HeadlessImGui imgui;
  std::pair<std::string, std::string> next_upload;
  ui::set_file_hooks([](const std::string&, const std::vector<uint8_t>&) { return std::string(); },
                     [&](const std::string& accept, ui::OpenedFileFn on_open) {
                       CHECK_THAT(accept, Catch::Contains(".txt"));
                       on_open(next_upload.first, std::vector<uint8_t>(next_upload.second.begin(), next_upload.second.end()));
                     });
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    const auto none = app.command("w2v corpus file");
    CHECK_FALSE(none.ok);
    CHECK_THAT(none.message, Catch::Contains("no file yet"));
    CHECK(app.command("w2v corpus passage").ok);
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v set dim 12").ok);
    CHECK(app.command("w2v set epochs 2").ok);

    const std::string text = planted_corpus(300, 5);
    next_upload = {"animals-and-vehicles.txt", text};
    CHECK(app.command("w2v corpus upload").ok);
    auto s = app.state()["lesson"];
    CHECK(s["corpus"] == "Your file");
    CHECK(s["corpus_file"]["name"] == "animals-and-vehicles.txt");
    CHECK(s["corpus_file"]["bytes"] == text.size());
    CHECK_THAT(s["corpus_message"].get<std::string>(), Catch::Contains("animals-and-vehicles.txt"));
    for (int i = 0; i < 400 && !(app.state()["lesson"].value("finished", false)); ++i) app.command("train step");
    s = app.state()["lesson"];
    REQUIRE(s["finished"] == true);
    CHECK(s["trained_corpus"] == "Your file");
    CHECK(s["vocab"] == 19);  // 4 animals, 5 of their context words, 4 vehicles, 5 of theirs, "the"
    CHECK(s["corpus_tokens"] == 300 * 7);
    CHECK(app.command("w2v nearest engine").ok);

    // Not text: explained, and the file trained on stays the corpus.
    const std::pair<std::string, std::string> bad[] = {
        {"picture.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)},
        {"records.dat", std::string("words\0and\0zeros", 15)},
        {"latin1.txt", std::string(30, ' ') + [] {
           std::string t;
           for (int i = 0; i < 20; ++i) t += "caf\xe9 \xe0 la cr\xe8me\n";
           return t;
         }()},
        {"empty.txt", ""},
    };
    const char* why[] = {"NUL byte", "NUL byte", "mostly not UTF-8", "empty"};
    for (int k = 0; k < 4; ++k) {
      next_upload = bad[k];
      CHECK(app.command("w2v corpus upload").ok);  // the picker opened
      s = app.state()["lesson"];
      CHECK(s["corpus"] == "Your file");
      CHECK(s["corpus_file"]["name"] == "animals-and-vehicles.txt");
      CHECK_THAT(s["corpus_message"].get<std::string>(),
                 Catch::Contains(bad[k].first) && Catch::Contains(why[k]) &&
                     Catch::Contains("the corpus is still animals-and-vehicles.txt"));
    }
    // UTF-8 but for one stray Windows-1252 quote: taken, the skipped byte said.
    next_upload = {"dictionary.txt", text + "the cat\x92s engine\n"};
    CHECK(app.command("w2v corpus upload").ok);
    s = app.state()["lesson"];
    CHECK(s["corpus_file"]["name"] == "dictionary.txt");
    CHECK_THAT(s["corpus_message"].get<std::string>(), Catch::Contains("1 invalid UTF-8 sequence") && Catch::Contains("skipped"));
    // Chinese saved as GBK (Windows): converted to UTF-8, said, and trained on by 字 or 词.
    std::string gbk;
    for (int i = 0; i < 20; ++i) gbk += "\xCE\xD2 \xCF\xB2\xBB\xB6 \xC9\xEE\xB6\xC8 \xD1\xA7\xCF\xB0\xA1\xA3\n";  // 我 喜欢 深度 学习。
    next_upload = {"gbk.txt", gbk};
    CHECK(app.command("w2v corpus upload").ok);
    s = app.state()["lesson"];
    CHECK(s["corpus_file"]["name"] == "gbk.txt");
    CHECK(s["corpus_file"]["bytes"] == 20 * 28);  // 8 hanzi and 。 of three bytes, 3 spaces, \n
    CHECK_THAT(s["corpus_message"].get<std::string>(), Catch::Contains("converted from GB18030"));
    CHECK(app.command("w2v tokens space").ok);
    CHECK(app.command("w2v set negative 2").ok);  // 4 words leave room for 2 negatives
    const auto trained = app.command("w2v train");
    INFO(trained.message);
    CHECK(trained.ok);
    for (int i = 0; i < 400 && !(app.state()["lesson"].value("finished", false)); ++i) app.command("train step");
    CHECK(app.state()["lesson"]["vocab"] == 4);  // 我 喜欢 深度 学习
    CHECK(app.command("w2v nearest 深度").ok);
    // The same from a path, as the desktop's command line gives it.
    const std::string path = "w2v-corpus-file-test.txt";
    REQUIRE(w2v::write_file(path, "one two three\nthree two one\n").empty());
    const auto from_path = app.command("w2v corpus file " + path);
    CHECK(from_path.ok);
    CHECK(app.state()["lesson"]["corpus_file"]["name"] == path);
    std::remove(path.c_str());
    const auto missing = app.command("w2v corpus file no-such-corpus.txt");
    CHECK_FALSE(missing.ok);
    CHECK_THAT(missing.message, Catch::Contains("could not read no-such-corpus.txt"));
    CHECK(app.state()["lesson"]["corpus_file"]["name"] == path);
  }
  ui::set_file_hooks({}, {});
}

TEST_CASE("word2vec lesson: a large corpus is read off the UI thread; Train then starts, Pause cancels", "[word2vec]") {
  HeadlessImGui imgui;
  std::string next_upload;
  ui::set_file_hooks([](const std::string&, const std::vector<uint8_t>&) { return std::string(); },
                     [&](const std::string&, ui::OpenedFileFn on_open) {
                       on_open("large.txt", std::vector<uint8_t>(next_upload.begin(), next_upload.end()));
                     });
  constexpr int kSentences = 130000;  // about 4.5 MB: over the 4 MB read off the UI thread
  next_upload = planted_corpus(kSentences, 9);
  REQUIRE(next_upload.size() > (size_t(4) << 20));
  {
    ui::App app({"native", 2}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    for (const char* c : {"w2v set min-count 1", "w2v set dim 8", "w2v set epochs 1", "w2v corpus upload"})
      REQUIRE(app.command(c).ok);
    // Frames (and a little time) until `done`, at most 2 minutes.
    auto wait_until = [&](auto done) {
      for (int i = 0; i < 120000 && !done(); ++i) {
        imgui.frames(app, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      return done();
    };
    auto lesson = [&] { return app.state()["lesson"]; };

    const auto train = app.command("w2v train");
    CHECK(train.ok);
    if (LATENTLAB_THREADS) {
      CHECK_THAT(train.message, Catch::Contains("when the corpus has been read"));
      CHECK(lesson()["reading_corpus"] == true);
    }
    REQUIRE(wait_until([&] { return lesson().value("finished", false); }));
    CHECK(lesson()["trained_corpus"] == "Your file");
    CHECK(lesson()["corpus_tokens"] == kSentences * 7);
    CHECK(lesson()["reading_corpus"] == false);

    // A min-count that leaves one word: the problem shows once the text is read, and the
    // trained model stays.
    CHECK(app.command("w2v set min-count 100000").ok);  // only "the" occurs that often
    const auto rare = app.command("w2v train");
    if (LATENTLAB_THREADS) {
      CHECK(rare.ok);
      REQUIRE(wait_until([&] { return !lesson()["reading_corpus"].get<bool>(); }));
    } else {
      CHECK_FALSE(rare.ok);
    }
    CHECK_THAT(lesson()["problem"].get<std::string>(), Catch::Contains("only 1 distinct word"));
    CHECK(lesson()["corpus_tokens"] == kSentences * 7);
    CHECK(lesson()["vectors"]["set"] == "trained");

    if (LATENTLAB_THREADS) {  // Pause while the text is read: no run starts
      const long words_total = lesson()["words_total"];
      CHECK(app.command("w2v set min-count 1").ok);
      CHECK(app.command("w2v set epochs 50").ok);
      CHECK(app.command("w2v train").ok);
      CHECK(app.command("w2v stop").ok);
      CHECK(lesson()["reading_corpus"] == false);
      for (int i = 0; i < 2000; ++i) {
        imgui.frames(app, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      CHECK(lesson()["running"] == false);
      CHECK(lesson()["words_total"] == words_total);  // still the first run's trainer, not a 50-epoch one

      // Another file uploaded while a read is under way, then Train: the run is of that file.
      CHECK(app.command("w2v set epochs 1").ok);
      CHECK(app.command("w2v train").ok);
      next_upload = planted_corpus(kSentences + 2000, 11);
      CHECK(app.command("w2v corpus upload").ok);
      CHECK(app.command("w2v train").ok);
      REQUIRE(wait_until([&] { return !lesson()["reading_corpus"].get<bool>() && lesson().value("finished", false); }));
      CHECK(lesson()["corpus_tokens"] == (kSentences + 2000) * 7);
    }
  }
  ui::set_file_hooks({}, {});
}

TEST_CASE("word2vec config: the negative-sampling power is checked and shapes the trainer's table", "[word2vec]") {
  w2v::Config config;
  CHECK(config.negative_power == 0.75);
  config.negative_power = 1.5;
  CHECK_THAT(w2v::check_config(config), Catch::Contains("power"));
  config.negative_power = 0.5;  // fastText's
  CHECK(w2v::check_config(config) == "");
  // With power 0 every word is drawn equally often, with 1 in proportion to its count.
  const std::vector<long> counts = {900, 90, 9, 1};
  for (double power : {0.0, 0.5, 1.0}) {
    const w2v::NegativeTable table = w2v::make_negative_table(counts, power);
    Rng rng(5);
    std::vector<int> drawn(4, 0);
    const int n = 200000;
    for (int i = 0; i < n; ++i) ++drawn[size_t(table.draw(rng))];
    double z = 0;
    for (long c : counts) z += std::pow(double(c), power);
    for (size_t w = 0; w < 4; ++w) CHECK(drawn[w] / double(n) == Approx(std::pow(double(counts[w]), power) / z).margin(0.005));
  }
}

TEST_CASE("word2vec assets: the Chinese pretrained vectors load and answer in Chinese", "[word2vec][zh]") {
  std::string bytes;
  REQUIRE(load_asset("word2vec-zh-prose.bin", bytes) == "");
  CHECK(bytes.size() <= 8000000);
  w2v::WordVectors v;
  REQUIRE(w2v::read_word2vec_binary(bytes, v) == "");
  CHECK(v.size() == 8602);
  CHECK(v.dim == 100);
  // Most frequent first: the prose's commonest words lead (的 is the most frequent of all).
  CHECK(v.words[0] == "的");
  CHECK(v.find("北京") >= 0);
  CHECK(v.find("东京") == -1);  // the corpus has no Tokyo: the map says so
  const w2v::UnitVectors u = w2v::unit_vectors(v);
  std::string error;
  const auto near = w2v::nearest_words(u, "目录", 10, error);
  REQUIRE(error == "");
  std::vector<std::string> words;
  for (const auto& n : near) words.push_back(n.word);
  CHECK(contains(words, "子目录"));
  CHECK(contains(words, "根目录"));
  const auto name = w2v::analogy(u, "文件", "文件名", "用户", 1, w2v::AnalogyMethod::Add, error);
  REQUIRE(name.size() == 1);
  CHECK(name[0].word == "用户名");
}

TEST_CASE("word2vec lesson: in 中文 it starts on the Chinese prose and answers Chinese queries", "[word2vec][zh][i18n]") {
  EnglishAfterwards english;
  HeadlessImGui imgui;
  REQUIRE(ui::set_language("zh"));
  auto lesson = ui::make_lesson_word2vec();
  CHECK(lesson->state()["corpus"] == "Chinese prose");
  CHECK(lesson->state()["nearest"]["word"] == "目录");
  CHECK(lesson->state()["pairs"]["preset"] == "zh-course");
  REQUIRE(ui::set_language("en"));
  lesson->language_changed();  // as App::set_language does
  CHECK(lesson->state()["corpus"] == "WordNet glosses");
  CHECK(lesson->state()["nearest"]["word"] == "king");
  REQUIRE(ui::set_language("zh"));
  lesson->language_changed();
  CHECK(lesson->state()["corpus"] == "Chinese prose");
  // Set by command (which opens it), it keeps what the user chose.
  REQUIRE(lesson->command({"w2v", "corpus", "passage"}).ok);
  REQUIRE(ui::set_language("en"));
  lesson->language_changed();
  CHECK(lesson->state()["corpus"] == "Travel passage");
  CHECK(lesson->state()["nearest"]["word"] == "目录");

  // In the app, in 中文: the Chinese vectors answer at once, the English ones are not fetched.
  ui::App app({"native", 1}, ui::make_lessons());
  REQUIRE(app.command("lang zh").ok);
  REQUIRE(app.open("word2vec"));
  imgui.frames(app, 2);
  auto s = app.state()["lesson"];
  REQUIRE(s["pretrained_zh"]["status"] == "loaded");
  CHECK(s["pretrained"]["status"] == "not requested");
  CHECK(s["vectors"]["set"] == "pretrained-zh");
  CHECK(s["nearest"]["neighbours"].size() == 10);
  CHECK(contains(words_of(s["nearest"]["neighbours"]), "子目录"));
  CHECK(words_of(s["analogy"]["answers"])[0] == "用户名");
  // The course's pairs where the vectors have them; the others named as missing.
  CHECK(contains(s["pairs"]["words"], "北京"));
  CHECK_THAT(s["pairs"]["missing"].get<std::string>(), Catch::Contains("日本/东京") && Catch::Contains("国王/王后"));
  CHECK(app.command("w2v pairs zh-names").ok);
  CHECK(app.state()["lesson"]["pairs"]["words"].size() == 16);  // all eight X → X名 pairs
  CHECK_FALSE(app.command("w2v pairs nonsense").ok);
  CHECK(app.command("w2v analogy 上传 下载 发送").ok);
  CHECK(contains(words_of(app.state()["lesson"]["analogy"]["answers"]), "接收"));
  const auto unknown = app.command("w2v nearest 东京");
  CHECK_FALSE(unknown.ok);
  CHECK_THAT(unknown.message, Catch::Contains("not in the vocabulary"));
  // The English vectors are fetched when chosen, and then answer.
  CHECK(app.command("w2v vectors pretrained").ok);
  imgui.frames(app, 1);
  s = app.state()["lesson"];
  CHECK(s["pretrained"]["status"] == "loaded");
  CHECK(s["vectors"]["set"] == "pretrained");
  CHECK(app.command("w2v vectors pretrained-zh").ok);
  CHECK(app.state()["lesson"]["vectors"]["words"] == 8602);
}

TEST_CASE("word2vec lesson: the Chinese prose is fetched when chosen and trains by 词 or 字", "[word2vec][zh]") {
  HeadlessImGui imgui;
  bool serve = true;
  set_asset_loader([&](const std::string& name, std::string& bytes) -> std::string {
    if (name != "zh-prose.txt") return "no such asset here";
    if (!serve) return "could not fetch assets/zh-prose.txt";
    bytes.clear();
    for (int i = 0; i < 20; ++i) bytes += "我们 安装 软件包 。\n用户 打开 文件 目录 。\n";
    return "";
  });
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    imgui.frames(app, 1);
    CHECK(app.state()["lesson"]["zh_prose"] == "not requested");  // English: fetched only when chosen
    CHECK(app.command("w2v corpus zh-prose").ok);
    CHECK(app.state()["lesson"]["zh_prose"] == "loaded");
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v set epochs 1").ok);
    CHECK(app.command("w2v set dim 10").ok);
    // 词: the segmented words (我们 安装 软件包 用户 打开 文件 目录).
    CHECK(app.command("train step").ok);
    auto s = app.state()["lesson"];
    CHECK(s["trained_corpus"] == "Chinese prose");
    CHECK(s["tokens"] == "auto");
    CHECK(s["vocab"] == 7);
    // 字: every hanzi a token (我 们 安 装 软 件 包 用 户 打 开 文 目 录; 件 twice).
    CHECK(app.command("w2v tokens char").ok);
    CHECK(app.command("w2v train").ok);
    s = app.state()["lesson"];
    CHECK(s["tokens"] == "char");
    CHECK(s["vocab"] == 14);
    CHECK(app.command("w2v stop").ok);
    CHECK_FALSE(app.command("w2v tokens words").ok);
  }
  serve = false;
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    CHECK(app.command("w2v corpus zh-prose").ok);
    const auto train = app.command("w2v train");
    CHECK_FALSE(train.ok);
    CHECK_THAT(train.message, Catch::Contains("Chinese prose corpus is missing") && Catch::Contains("fortunes-zh"));
    CHECK(app.state()["lesson"]["zh_prose"] == "missing");
  }
  set_asset_loader({});
}
