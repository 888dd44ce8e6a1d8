// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: pwm_ops.get_state returns int (6.2; stable 6.1.24)
 * Absent if: get_state does not return int
 *
 * It returned void before; NXP's lf-6.1.1 and lf-6.1.22 have that form.
 */
#include <linux/build_bug.h>
#include <linux/pwm.h>

static_assert(__builtin_types_compatible_p(typeof(((const struct pwm_ops *)0)->get_state),
					   int (*)(struct pwm_chip *,
						   struct pwm_device *,
						   struct pwm_state *)),
	      "get_state does not return int");
