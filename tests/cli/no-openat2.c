/* SPDX-License-Identifier: MIT */
/*
 * no-openat2 ERRNO CMD [ARG...]: run CMD under a seccomp filter that
 * answers openat2(2) with ERRNO (ENOSYS or EPERM), as container runtimes'
 * filters do and as kernels before 5.6 answer ENOSYS, so the CLI tests
 * can run sriovctl through the rooted layer's component walk.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int err = argc > 2 && strcmp(argv[1], "EPERM") == 0 ? EPERM :
		  argc > 2 && strcmp(argv[1], "ENOSYS") == 0 ? ENOSYS : 0;
	/* openat2 has the same number on every architecture (437) */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };

	if (!err) {
		fprintf(stderr, "usage: no-openat2 ENOSYS|EPERM CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("no-openat2: seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
