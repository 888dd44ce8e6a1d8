/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/math64.h>, for core_test.c: the 64-bit
 * division helpers the model core uses, as plain C division.
 */
#ifndef _MODEL_TEST_LINUX_MATH64_H
#define _MODEL_TEST_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

#endif /* _MODEL_TEST_LINUX_MATH64_H */
