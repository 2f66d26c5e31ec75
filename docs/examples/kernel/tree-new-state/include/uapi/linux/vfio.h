/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vfio-mc test fixture: the parts of include/uapi/linux/vfio.h that `vfio-mc kernel` reads.
 */
#ifndef _UAPIVFIO_H
#define _UAPIVFIO_H

struct vfio_device_feature_migration {
	__aligned_u64 flags;
#define VFIO_MIGRATION_STOP_COPY	(1 << 0)
#define VFIO_MIGRATION_P2P		(1 << 1)
#define VFIO_MIGRATION_PRE_COPY		(1 << 2)
#define VFIO_MIGRATION_QUIESCE		(1 << 3)
};

/* The device states; ERROR is 0, so a left-out table entry means ERROR. */
enum vfio_device_mig_state {
	VFIO_DEVICE_STATE_ERROR = 0,
	VFIO_DEVICE_STATE_STOP = 1,
	VFIO_DEVICE_STATE_RUNNING = 2,
	VFIO_DEVICE_STATE_STOP_COPY = 3,
	VFIO_DEVICE_STATE_RESUMING = 4,
	VFIO_DEVICE_STATE_RUNNING_P2P = 5,
	VFIO_DEVICE_STATE_PRE_COPY = 6,
	VFIO_DEVICE_STATE_PRE_COPY_P2P = 7,
	VFIO_DEVICE_STATE_QUIESCED = 8,
	VFIO_DEVICE_STATE_NR,
};

#endif /* _UAPIVFIO_H */
