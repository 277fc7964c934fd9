#include "CProcess.h"
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int spo_exit_with_parent(void) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, SIGKILL);
#else
    return -1;
#endif
}
