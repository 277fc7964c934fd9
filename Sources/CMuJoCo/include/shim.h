// MuJoCo's C API from Debian's libmujoco-dev (MuJoCo 2.2.2), plus the few helpers
// that Swift cannot express itself.
#ifndef SPO_CMUJOCO_SHIM_H
#define SPO_CMUJOCO_SHIM_H
#include <mujoco/mujoco.h>

// Silences MuJoCo's global warning handler (which prints to stdout and appends to
// MUJOCO_LOG.TXT); warnings are read per mjData from d->warning instead. Fatal
// MuJoCo errors are printed to stderr before the process exits with status 70.
// Idempotent; call before the first model is loaded.
void spo_mujoco_install_handlers(void);

// The file of the MuJoCo shared library this process runs (the one that provides mj_step, found
// with dladdr), with symbolic links resolved, copied into buffer (NUL-terminated, truncated to
// size - 1 bytes). Returns the full path's length, or -1 when it cannot be told (a static
// build, or no dladdr).
int spo_mujoco_library_path(char* buffer, int size);
#endif
