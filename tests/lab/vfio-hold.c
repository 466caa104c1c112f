/* SPDX-License-Identifier: MIT */
/*
 * vfio-hold GROUP DEVICE: what a VM does with a VF passed through, and no
 * more: open the vfio container and the VF's group, attach the group to a
 * type 1 IOMMU, take the device fd, print "held" and sleep holding it until
 * killed. The lab's set-vfs scenario uses it as the holder that makes the
 * kernel block a write of 0 to sriov_numvfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

static int fail(const char *what)
{
	fprintf(stderr, "vfio-hold: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int container, group, device;

	if (argc != 3) {
		fputs("usage: vfio-hold /dev/vfio/GROUP DDDD:BB:DD.F\n", stderr);
		return 2;
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		return fail("/dev/vfio/vfio");
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return fail("VFIO_GET_API_VERSION");
	group = open(argv[1], O_RDWR);
	if (group < 0)
		return fail(argv[1]);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) < 0)
		return fail("VFIO_GROUP_GET_STATUS");
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EPERM;
		return fail("group not viable");
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0)
		return fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0 &&
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0)
		return fail("VFIO_SET_IOMMU");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
	if (device < 0)
		return fail("VFIO_GROUP_GET_DEVICE_FD");
	printf("held %s fd %d\n", argv[2], device);
	fflush(stdout);
	for (;;)
		pause();
}
