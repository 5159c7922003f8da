// JSON scalar text: string escaping with UTF-8 repair, and locale-free number formatting.
// Output is a pure function of the input, so results files are byte-identical across runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ctplab::sim::results {

// Appends `text` quoted. Escapes '"' and '\\'; \b \f \n \r \t use their short forms and the other
// control characters (U+0000..U+001F) \u00xx with lowercase hex. Well-formed UTF-8 passes through
// unchanged; each ill-formed sequence (stray continuation byte, overlong form, surrogate, value
// past U+10FFFF, truncated sequence) becomes one U+FFFD per maximal subpart, as Unicode
// recommends, so the output is always valid UTF-8 and valid JSON.
void appendJsonString(std::string& out, std::string_view text);

void appendJsonInt(std::string& out, int64_t value);
void appendJsonUint(std::string& out, uint64_t value);

// The shortest digits that read back as the same double, laid out exactly as ECMAScript's
// Number::toString (what JSON.stringify prints): 0.1, 1e-7, 0.000001, 1e+21, 100, 1.5e+300.
// -0 prints as 0; NaN and infinities print as null, since JSON has no spelling for them.
void appendJsonDouble(std::string& out, double value);

// Fixed notation with `decimals` digits after the point (clamped to 0..20), rounded to nearest
// from the exact binary value: 2.5 with 0 decimals is "2", 0.125 with 2 is "0.12" (ties to even
// on the exact value). A result that is all zeros never carries a minus sign. NaN/Inf: null.
void appendJsonFixed(std::string& out, double value, int decimals);

}  // namespace ctplab::sim::results
