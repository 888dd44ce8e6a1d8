// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: struct regmap_config has "use_raw_spinlock"
 * Absent if: (unknown field|no member named) 'use_raw_spinlock'
 */
#include <linux/regmap.h>

const struct regmap_config pwm_imx_tpm_probe_config = {
	.use_raw_spinlock = true,
};
