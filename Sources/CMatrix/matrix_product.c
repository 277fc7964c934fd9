// The networks' matrix products (see CMatrix.h): one summation order, one fused multiply-add
// per term, on every machine. Each instruction set gets its own copy of the same template;
// they differ in how many elements of C they compute at once, never in any element's bits.
#include "CMatrix.h"
#include "kernel/kernel_choice.h"

#include <stdlib.h>

// Only the explicit fused multiply-adds of the template; never a contraction chosen by the
// compiler.
#pragma clang fp contract(off)

#define CONCAT_(a, b) a##_##b
#define CONCAT(a, b) CONCAT_(a, b)

// 64 terms of a 4-vector AVX-512 tile's B are 16 kB: a third to a half of an L1 data cache.
#define DEPTH_BLOCK 64
// Rows of C per pass over a single column (a value head's one output, a policy's few): that
// many independent sums keep both FMA units busy where one would wait on each FMA's latency.
#define COLUMN_ROWS 8

// Portable: the compiler's baseline for the target (NEON on ARM64; on x86-64, SSE2 with the
// C library's correctly rounded fma for each term, slow but the same bits, for CPUs older
// than AVX2).
#define TILE_ROWS 4
#define TILE_VECTORS 2
#define SCALAR float
#define LANES 4
#define NAME(x) CONCAT(x, portable_f32)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#define SCALAR double
#define LANES 2
#define NAME(x) CONCAT(x, portable_f64)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#undef TILE_ROWS
#undef TILE_VECTORS

#if defined(__x86_64__)
// AVX2 and AVX-512: 6 rows of C per tile, the most whose accumulators, B's vectors and A's
// broadcast fit the registers (12 + 2 + 1 of 16; 24 + 4 + 1 of 32).
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define TILE_ROWS 6
#define TILE_VECTORS 2
#define SCALAR float
#define LANES 8
#define NAME(x) CONCAT(x, avx2_f32)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#define SCALAR double
#define LANES 4
#define NAME(x) CONCAT(x, avx2_f64)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#undef TILE_ROWS
#undef TILE_VECTORS
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,fma"))), apply_to = function)
#define TILE_ROWS 6
#define TILE_VECTORS 4
#define SCALAR float
#define LANES 16
#define NAME(x) CONCAT(x, avx512_f32)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#define SCALAR double
#define LANES 8
#define NAME(x) CONCAT(x, avx512_f64)
#include "kernel/product_kernel.h"
#undef SCALAR
#undef LANES
#undef NAME
#undef TILE_ROWS
#undef TILE_VECTORS
#pragma clang attribute pop
#endif

// op(B) must have contiguous rows: a transposed B is first copied into a k × n buffer (the
// networks' weights, at most a few hundred kilobytes), which changes no arithmetic. The copy
// goes in square blocks so that neither its reads nor its writes stride through the cache.
#define TRANSPOSE_BLOCK 16
#define DEFINE_GEMM(PUBLIC_NAME, SCALAR_TYPE, SUFFIX)                                                              \
    void PUBLIC_NAME(int transpose_a, int transpose_b, int m, int n, int k, const SCALAR_TYPE *a, int lda,         \
                     const SCALAR_TYPE *b, int ldb, int accumulate, SCALAR_TYPE *c, int ldc) {                      \
        if (m <= 0 || n <= 0) return;                                                                              \
        SCALAR_TYPE *packed = NULL;                                                                                \
        long b_stride = ldb;                                                                                       \
        if (transpose_b && k > 0) {                                                                                \
            packed = malloc(sizeof(SCALAR_TYPE) * (size_t)k * (size_t)n);                                          \
            if (!packed) abort();                                                                                  \
            for (int j0 = 0; j0 < n; j0 += TRANSPOSE_BLOCK) {                                                      \
                int j1 = n - j0 < TRANSPOSE_BLOCK ? n : j0 + TRANSPOSE_BLOCK;                                      \
                for (int p0 = 0; p0 < k; p0 += TRANSPOSE_BLOCK) {                                                  \
                    int p1 = k - p0 < TRANSPOSE_BLOCK ? k : p0 + TRANSPOSE_BLOCK;                                  \
                    for (int j = j0; j < j1; j++)                                                                  \
                        for (int p = p0; p < p1; p++) packed[(long)p * n + j] = b[(long)j * ldb + p];              \
                }                                                                                                  \
            }                                                                                                      \
            b = packed;                                                                                            \
            b_stride = n;                                                                                          \
        }                                                                                                          \
        long a_row = transpose_a ? 1 : lda, a_column = transpose_a ? lda : 1;                                      \
        switch (spo_current_kernel()) {                                                                            \
        IF_X86(case KERNEL_AVX512: CONCAT(product, CONCAT(avx512, SUFFIX))(m, n, k, a, a_row, a_column, b,          \
                                                                           b_stride, accumulate, c, ldc); break;)  \
        IF_X86(case KERNEL_AVX2: CONCAT(product, CONCAT(avx2, SUFFIX))(m, n, k, a, a_row, a_column, b, b_stride,    \
                                                                       accumulate, c, ldc); break;)                \
        default: CONCAT(product, CONCAT(portable, SUFFIX))(m, n, k, a, a_row, a_column, b, b_stride, accumulate,    \
                                                           c, ldc);                                                \
        }                                                                                                          \
        free(packed);                                                                                              \
    }

#if defined(__x86_64__)
#define IF_X86(x) x
#else
#define IF_X86(x)
#endif

DEFINE_GEMM(spo_gemm_f32, float, f32)
DEFINE_GEMM(spo_gemm_f64, double, f64)
