/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>, for core_test.c */
#ifndef _MODEL_TEST_LINUX_STRING_H
#define _MODEL_TEST_LINUX_STRING_H

#include <string.h>

#endif /* _MODEL_TEST_LINUX_STRING_H */
