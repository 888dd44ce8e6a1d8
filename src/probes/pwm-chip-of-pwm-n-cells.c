// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: struct pwm_chip has "of_xlate" and "of_pwm_n_cells"
 * Absent if: no member named 'of_(xlate|pwm_n_cells)'
 */
#include <linux/pwm.h>

void pwm_imx_tpm_probe_cells(struct pwm_chip *chip);

void pwm_imx_tpm_probe_cells(struct pwm_chip *chip)
{
	chip->of_xlate = of_pwm_xlate_with_flags;
	chip->of_pwm_n_cells = 3;
}
