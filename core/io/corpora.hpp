#pragma once
// Texts compiled into the lab at build time (cmake/TextCorpora.cmake), for the lessons and the
// CLI alike. Each is empty when the build machine lacked its Debian package.
#include <string_view>

namespace ll::io {

// The Book of Genesis (KJV, public domain) from bible-kjv-text.
std::string_view genesis_corpus();
// Tang poems (唐诗三百首, 313) and Song poems (宋诗一百首, 95) from fortunes-zh
// (assets/prepare_zh_corpus.py): one poem a paragraph, one verse line a line.
std::string_view tang_poems();
std::string_view song_poems();

}  // namespace ll::io
