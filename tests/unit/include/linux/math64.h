/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/math64.h>: the kernel's 64-bit division
 * helpers as plain C division (same signatures and results; a zero divisor
 * is caught by UBSAN).
 */
#ifndef _UNIT_LINUX_MATH64_H
#define _UNIT_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

#endif /* _UNIT_LINUX_MATH64_H */
