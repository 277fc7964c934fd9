#define _GNU_SOURCE  // dladdr
#include "shim.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void spo_ignore_warning(const char* message) { (void)message; }

static void spo_fatal_error(const char* message) {
  fprintf(stderr, "MuJoCo fatal error: %s\n", message ? message : "unknown error");
  exit(70);
}

void spo_mujoco_install_handlers(void) {
  mju_user_warning = spo_ignore_warning;
  mju_user_error = spo_fatal_error;
}

int spo_mujoco_library_path(char* buffer, int size) {
  Dl_info info;
  if (!dladdr((const void*)&mj_step, &info) || !info.dli_fname || !info.dli_fname[0]) return -1;
  char resolved[PATH_MAX];
  const char* path = realpath(info.dli_fname, resolved) ? resolved : info.dli_fname;
  if (size > 0) snprintf(buffer, (size_t)size, "%s", path);
  return (int)strlen(path);
}
