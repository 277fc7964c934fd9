#ifndef SPO_CMATRIX_H
#define SPO_CMATRIX_H

/// The networks' matrix products, with one summation order on every machine.
///
/// C = op(A)·op(B) (+ C when `accumulate`), row-major: op(A) is m × k, op(B) is k × n, C is
/// m × n; op(X) is X or its transpose. Every element of C is computed as
///
///     c = accumulate ? C[i][j] : 0;  for p in 0 ..< k: c = fma(op(A)[i][p], op(B)[p][j], c)
///
/// with one correctly rounded fused multiply-add per term, in that order. Vector width,
/// blocking and the CPU's instruction set change only how many elements are computed at once,
/// never the bits of any of them: AVX-512, AVX2+FMA, NEON and the portable C path agree exactly.
void spo_gemm_f32(int transpose_a, int transpose_b, int m, int n, int k,
                  const float *a, int lda, const float *b, int ldb,
                  int accumulate, float *c, int ldc);

/// The same in double precision (gradient checks).
void spo_gemm_f64(int transpose_a, int transpose_b, int m, int n, int k,
                  const double *a, int lda, const double *b, int ldb,
                  int accumulate, double *c, int ldc);

/// values[i] = tanh(values[i]) for i in 0 ..< count, in single precision: a branch-free
/// polynomial approximation (relative error about 1e-7, within a few float ulps) that gives the
/// same bits on every instruction set. glibc's tanhf took most of an update's time.
void spo_tanh_f32(float *values, long count);

/// The instruction set the products and the activation run on here: "avx512", "avx2" or
/// "portable". The environment variable SPO_MATRIX_KERNEL (one of those names) chooses a lower
/// one, so tests can show that every kernel gives the same bits.
const char *spo_gemm_kernel_name(void);

#endif
