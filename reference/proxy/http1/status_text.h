// Standard reason phrases for status lines and the bodies of the codec's own replies.
// Unknown codes get "Unknown", as Envoy's CodeUtility does.
#pragma once

#include <string_view>

namespace ctplab::proxy::http1 {

std::string_view reasonPhrase(int status);

}  // namespace ctplab::proxy::http1
