// portableLog: natural logarithm built from IEEE-754 +, -, *, / only, so random draws that need a
// logarithm give bit-identical results on every platform and libm (std::log does not promise that).
#pragma once

namespace ctplab::sim {

// fdlibm's __ieee754_log (the algorithm behind Java's StrictMath.log): error below 1 ulp.
// Precondition: x > 0 and finite.
double portableLog(double x);

}  // namespace ctplab::sim
