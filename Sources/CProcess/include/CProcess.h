#ifndef SPO_CPROCESS_H
#define SPO_CPROCESS_H

/// Asks the kernel to send SIGKILL to this process when its parent exits (Linux
/// prctl(PR_SET_PDEATHSIG)); returns 0 on success. Worker processes of `spo run --jobs N`
/// use it so that they never outlive the command that started them.
int spo_exit_with_parent(void);

#endif
