// Glue for model links (model_link_js.h): argument checks only the boundary can make, then
// the engine (engine/model_share.h), then conversions.
#include "wasm/model_link_js.h"

#include <string>

#include "engine/model_file.h"
#include "engine/model_share.h"
#include "wasm/convert.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

val link_to_js(const nn::OpenedLink& link) {
  val out = val::object();
  out.set("bytes", uint8_array(link.model_file.data(), link.model_file.size()));
  out.set("architecture", link.architecture);
  out.set("checksum", static_cast<double>(link.checksum));
  out.set("payloadBytes", static_cast<double>(link.payload_bytes));
  return out;
}

}  // namespace

val share_model_js(const val& bytes) {
  return guard([&] {
    const std::vector<uint8_t> file = bytes_from_js(bytes, "shareModel", nn::kMaxModelFileBytes);
    if (file.empty()) throw nn::Error("shareModel: the model file is empty (0 bytes)");
    nn::Sequential model = nn::load_model(file.data(), file.size());
    const std::string text = nn::share_model(model);
    // The sender's side reads the link back exactly as a receiver will.
    val out = link_to_js(nn::open_model_link(text));
    out.set("text", text);
    return out;
  });
}

val open_model_link_js(const val& text) {
  return guard([&] {
    if (!text.isString()) throw nn::Error("openModelLink: expected the link's text (a string)");
    // Measured before the copy into the wasm heap, so a huge text costs nothing.
    const double length = text["length"].as<double>();
    if (length > static_cast<double>(nn::kMaxModelLinkChars)) {
      throw nn::Error("the model link is " + std::to_string(static_cast<uint64_t>(length)) +
                      " characters long; a model link holds at most " + std::to_string(nn::kMaxModelLinkChars) +
                      ", so it was not read");
    }
    return link_to_js(nn::open_model_link(text.as<std::string>()));
  });
}

}  // namespace digitlab_wasm
