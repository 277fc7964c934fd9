// Which instruction set the networks' kernels run on (kernel_choice.c). Internal to CMatrix.
#ifndef SPO_KERNEL_CHOICE_H
#define SPO_KERNEL_CHOICE_H

enum kernel { KERNEL_UNSET, KERNEL_PORTABLE, KERNEL_AVX2, KERNEL_AVX512 };

/// The best kernel this CPU runs, lowered by SPO_MATRIX_KERNEL; chosen once per process.
enum kernel spo_current_kernel(void);

#endif
