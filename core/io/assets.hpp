#pragma once
// Data assets (the MNIST digits, trained weights) by name. Front ends choose where bytes come
// from: the desktop and CLI read files from the build's asset directory (the default), the web
// page installs a loader over files it fetched. Errors are values: "" or what went wrong.
#include <functional>
#include <string>

namespace ll {

// loader(name, bytes) fills `bytes` and returns "" or an error message. A loader that fetches
// in the background (the web page) returns kAssetPending until the bytes have arrived.
using AssetLoader = std::function<std::string(const std::string& name, std::string& bytes)>;

// Replaces the loader; an empty function restores the default.
void set_asset_loader(AssetLoader loader);
std::string load_asset(const std::string& name, std::string& bytes);

// What load_asset returns while the asset is still on its way: ask again on a later frame.
constexpr const char* kAssetPending = "loading…";
inline bool asset_pending(const std::string& error) { return error == kAssetPending; }

// The default loader's directory: $LATENTLAB_ASSET_DIR if set, else the build's asset
// directory compiled in (where CMake writes the generated assets).
std::string default_asset_dir();

}  // namespace ll
