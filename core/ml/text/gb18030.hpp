#pragma once
// GB18030 (and its subsets GBK and GB2312), the encoding of much Chinese text saved on
// Windows, decoded to UTF-8 by tables made at build time from Python's codec
// (cmake/gb18030_table.py), so every target decodes the same way without iconv.
#include <string>
#include <string_view>

namespace ll::text {

// bytes → out as UTF-8. False, with `error` naming the byte offset, at the first sequence that
// is not GB18030 (a NUL byte counts as one: binary data is not text).
bool gb18030_to_utf8(std::string_view bytes, std::string& out, std::string& error);

}  // namespace ll::text
