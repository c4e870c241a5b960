// Base64url (RFC 4648 section 5: A-Z a-z 0-9 - _), without padding: the alphabet a URL
// fragment carries unescaped. Decoding is strict, so every text has one meaning and a
// changed character can never decode to the same bytes: any byte outside the alphabet, a
// length that leaves a lone character (length % 4 == 1), or a last character whose unused
// low bits are not zero is refused with nn::Error naming the position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

std::string base64url_encode(const uint8_t* data, size_t size);
// what: how the text is named in errors ("the model link").
std::vector<uint8_t> base64url_decode(const std::string& text, const std::string& what);

}  // namespace nn
