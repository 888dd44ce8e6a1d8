// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: struct pwm_chip has "base" (until 6.8 replaced it by "id")
 * Absent if: no member named 'base'
 */
#include <linux/pwm.h>

int pwm_imx_tpm_probe_base(struct pwm_chip *chip);

int pwm_imx_tpm_probe_base(struct pwm_chip *chip)
{
	return chip->base;
}
