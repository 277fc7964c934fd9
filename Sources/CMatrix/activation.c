// The networks' activation, tanh in single precision (see CMatrix.h): one function, compiled
// once per instruction set so that the loop runs on the widest vectors the CPU has. Every lane
// does the same IEEE operations in the same order, so every instruction set gives the same bits.
#include "CMatrix.h"
#include "kernel/kernel_choice.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

// Only the operations written; never a contraction chosen by the compiler.
#pragma clang fp contract(off)

/// Odd Taylor polynomial for |x| < 0.2; elsewhere 1 − 2/(e^{2|x|} + 1), with e^y = p(r)·2^k for
/// y = k·ln 2 + r and a degree-6 polynomial p; |x| clamped at 10, where tanh rounds to 1; the sign
/// restored last. Branch-free, so the loops below vectorise.
static inline __attribute__((always_inline)) float tanh_one(float x) {
    float magnitude = fabsf(x);
    float a = 10.0f < magnitude ? 10.0f : magnitude;  // NaN stays NaN
    float y = 2 * a;
    // Adding 1.5·2²³ rounds y·log₂e to an integer k held in the low bits (no conversion).
    float shifted = y * 1.44269504f + 12582912.0f;
    float k = shifted - 12582912.0f;
    float r = (y - k * 0.69314575f) - k * 1.4286068e-6f;  // y − k·ln 2 in two parts
    float p = 1 + r * (1 + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
    uint32_t shifted_bits;
    memcpy(&shifted_bits, &shifted, sizeof shifted);
    uint32_t power_bits = (shifted_bits - 0x4B400000u + 127u) << 23;  // 2^k
    float power;
    memcpy(&power, &power_bits, sizeof power);
    float large = 1 - 2 / (p * power + 1);
    float a2 = a * a;
    float small = a * (1 + a2 * (-1.0f / 3 + a2 * (2.0f / 15 + a2 * (-17.0f / 315))));
    return copysignf(a < 0.2f ? small : large, x);
}

#define DEFINE_TANH(NAME)                                                                                          \
    static void NAME(float *values, long count) {                                                                  \
        for (long i = 0; i < count; i++) values[i] = tanh_one(values[i]);                                          \
    }

DEFINE_TANH(tanh_portable)
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
DEFINE_TANH(tanh_avx2)
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,fma"))), apply_to = function)
DEFINE_TANH(tanh_avx512)
#pragma clang attribute pop
#endif

void spo_tanh_f32(float *values, long count) {
    switch (spo_current_kernel()) {
#if defined(__x86_64__)
    case KERNEL_AVX512: tanh_avx512(values, count); break;
    case KERNEL_AVX2: tanh_avx2(values, count); break;
#endif
    default: tanh_portable(values, count);
    }
}
