// OpenBLAS's CBLAS interface from Debian's libopenblas-dev.
#ifndef SPO_CBLAS_SHIM_H
#define SPO_CBLAS_SHIM_H
#include <cblas.h>
#endif
