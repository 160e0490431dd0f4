#pragma once
// Small helpers shared by the CLI's subcommands: strict number parsing, clocks, files and
// the progress bar.
#include <cstdint>
#include <string>
#include <vector>

namespace ll::cli {

// The whole string must be a number within [lo, hi].
bool parse_long(const std::string& s, long lo, long hi, long& out);
bool parse_double(const std::string& s, double lo, double hi, double& out);

double wall_seconds();
double cpu_seconds();  // process CPU time, all threads
bool file_exists(const std::string& path);
// Writes to PATH.tmp, then renames it over PATH, so an interrupted save never destroys the
// last checkpoint. "" or what went wrong.
std::string save_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// "[=====>    ]  42.0%" for a fraction in [0, 1].
std::string progress_bar(double fraction);

}  // namespace ll::cli
