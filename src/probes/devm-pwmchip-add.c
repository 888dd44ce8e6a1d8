// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: devm_pwmchip_add() exists, as a function or a macro (5.14)
 * Absent if: devm_pwmchip_add
 */
#include <linux/device.h>
#include <linux/pwm.h>

int pwm_imx_tpm_probe_add(struct device *dev, struct pwm_chip *chip);

int pwm_imx_tpm_probe_add(struct device *dev, struct pwm_chip *chip)
{
	return devm_pwmchip_add(dev, chip);
}
