#include "shim.h"
#include <stdio.h>
#include <stdlib.h>

static void spo_ignore_warning(const char* message) { (void)message; }

static void spo_fatal_error(const char* message) {
  fprintf(stderr, "MuJoCo fatal error: %s\n", message ? message : "unknown error");
  exit(70);
}

void spo_mujoco_install_handlers(void) {
  mju_user_warning = spo_ignore_warning;
  mju_user_error = spo_fatal_error;
}
