// The instruction set every kernel of CMatrix runs on: the best this CPU has, or a lower one
// named by SPO_MATRIX_KERNEL (so tests can show that all of them give the same bits).
#include "CMatrix.h"
#include "kernel/kernel_choice.h"

#include <stdlib.h>
#include <string.h>

static const char *const kernel_names[] = {"unset", "portable", "avx2", "avx512"};

static enum kernel choose_kernel(void) {
    enum kernel best = KERNEL_PORTABLE;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = KERNEL_AVX2;
    if (best == KERNEL_AVX2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl"))
        best = KERNEL_AVX512;
#endif
    const char *requested = getenv("SPO_MATRIX_KERNEL");
    if (requested)
        for (enum kernel kernel = KERNEL_PORTABLE; kernel < best; kernel++)
            if (strcmp(requested, kernel_names[kernel]) == 0) return kernel;
    return best;
}

enum kernel spo_current_kernel(void) {
    static enum kernel chosen = KERNEL_UNSET;
    enum kernel kernel = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (kernel == KERNEL_UNSET) {
        kernel = choose_kernel();
        __atomic_store_n(&chosen, kernel, __ATOMIC_RELAXED);
    }
    return kernel;
}

const char *spo_gemm_kernel_name(void) { return kernel_names[spo_current_kernel()]; }
