/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/types.h>: just the fixed-width integer types
 * the rounding core uses, with the kernel's definitions (u64 is unsigned long
 * long on every architecture, as in asm-generic/int-ll64.h).
 */
#ifndef _UNIT_LINUX_TYPES_H
#define _UNIT_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>

typedef signed char s8;
typedef unsigned char u8;
typedef signed short s16;
typedef unsigned short u16;
typedef signed int s32;
typedef unsigned int u32;
typedef signed long long s64;
typedef unsigned long long u64;

#endif /* _UNIT_LINUX_TYPES_H */
