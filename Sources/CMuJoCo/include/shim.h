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
#endif
