// portableLog: a port of fdlibm's e_log.c (notice below). Built with -ffp-contract=off, since a
// fused multiply-add would change the last bits on machines that have one.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
#include "ctplab/simulator/portable_log.h"

#include <bit>
#include <cstdint>

namespace ctplab::sim {

namespace {

constexpr double kLn2High = 6.93147180369123816490e-01;  // 3fe62e42 fee00000
constexpr double kLn2Low = 1.90821492927058770002e-10;   // 3dea39ef 35793c76
constexpr double kTwo54 = 1.80143985094819840000e+16;    // 43500000 00000000
// Remez coefficients for (log(1+f) - 2s)/s-ish on s = f/(2+f), |s| <= 0.1716.
constexpr double kLg1 = 6.666666666666735130e-01;  // 3FE55555 55555593
constexpr double kLg2 = 3.999999999940941908e-01;  // 3FD99999 9997FA04
constexpr double kLg3 = 2.857142874366239149e-01;  // 3FD24924 94229359
constexpr double kLg4 = 2.222219843214978396e-01;  // 3FCC71C5 1D8E78AF
constexpr double kLg5 = 1.818357216161805012e-01;  // 3FC74664 96CB03DE
constexpr double kLg6 = 1.531383769920937332e-01;  // 3FC39A09 D078C69F
constexpr double kLg7 = 1.479819860511658591e-01;  // 3FC2F112 DF3E5244

int32_t highWord(double x) { return static_cast<int32_t>(std::bit_cast<uint64_t>(x) >> 32); }

double withHighWord(double x, int32_t high) {
  const uint64_t low = std::bit_cast<uint64_t>(x) & 0xffffffffu;
  return std::bit_cast<double>((uint64_t{static_cast<uint32_t>(high)} << 32) | low);
}

}  // namespace

double portableLog(double x) {
  int32_t hx = highWord(x);
  int32_t k = 0;
  if (hx < 0x00100000) {  // Subnormal: scale into the normal range first.
    k -= 54;
    x *= kTwo54;
    hx = highWord(x);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // Normalize x to [sqrt(2)/2, sqrt(2)): halve it (and bump k) when the mantissa is past sqrt(2).
  const int32_t i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const double f = x - 1.0;
  const double dk = static_cast<double>(k);
  if ((0x000fffff & (2 + hx)) < 3) {  // |f| < 2^-20: two terms of the series suffice.
    if (f == 0.0) return k == 0 ? 0.0 : dk * kLn2High + dk * kLn2Low;
    const double r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * kLn2High - ((r - dk * kLn2Low) - f);
  }
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  // Even and odd coefficients in two chains: half the dependent latency of one Horner chain.
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const double hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + r))
                  : dk * kLn2High - ((hfsq - (s * (hfsq + r) + dk * kLn2Low)) - f);
  }
  return k == 0 ? f - s * (f - r) : dk * kLn2High - ((s * (f - r) - dk * kLn2Low) - f);
}

}  // namespace ctplab::sim
