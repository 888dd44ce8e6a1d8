/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/types.h>, for core_test.c: the fixed-width
 * types of the model core, defined as in asm-generic/int-ll64.h.
 */
#ifndef _MODEL_TEST_LINUX_TYPES_H
#define _MODEL_TEST_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef signed long long s64;
typedef unsigned long long u64;

#endif /* _MODEL_TEST_LINUX_TYPES_H */
