/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/kernel.h>, for core_test.c: snprintf(),
 * ARRAY_SIZE() and BIT().
 */
#ifndef _MODEL_TEST_LINUX_KERNEL_H
#define _MODEL_TEST_LINUX_KERNEL_H

#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))

#endif /* _MODEL_TEST_LINUX_KERNEL_H */
