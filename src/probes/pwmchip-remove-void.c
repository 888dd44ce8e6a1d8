// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: pwmchip_remove() returns void (5.15)
 * Absent if: pwmchip_remove returns a value
 *
 * Before, it returned -EBUSY while a PWM of the chip was requested, and
 * left the chip registered.
 */
#include <linux/build_bug.h>
#include <linux/pwm.h>

static_assert(__builtin_types_compatible_p(typeof(pwmchip_remove((struct pwm_chip *)0)),
					   void),
	      "pwmchip_remove returns a value");
