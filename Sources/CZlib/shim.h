// zlib from Debian's zlib1g-dev: deflate for PNG files.
#ifndef SPO_CZLIB_SHIM_H
#define SPO_CZLIB_SHIM_H
#include <zlib.h>
#endif
