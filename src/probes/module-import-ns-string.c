// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: MODULE_IMPORT_NS() takes a string (6.13)
 * Absent if: MODULE_IMPORT_NS takes an identifier
 */
#include <linux/build_bug.h>
#include <linux/module.h>

#undef MODULE_INFO
#define MODULE_INFO(tag, info) \
	const char pwm_imx_tpm_probe_##tag[] = info

MODULE_IMPORT_NS("PWM");

static_assert(sizeof(pwm_imx_tpm_probe_import_ns) == sizeof("PWM"),
	      "MODULE_IMPORT_NS takes an identifier");
