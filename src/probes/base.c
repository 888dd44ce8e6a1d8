// SPDX-License-Identifier: GPL-2.0
/*
 * Must compile on every kernel: the headers the driver includes. If this
 * fails, the compiler or the kernel headers are broken and no probe result
 * could be trusted.
 */
#include <linux/clk.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/pwm.h>
#include <linux/regmap.h>

int pwm_imx_tpm_probe_base(struct pwm_chip *chip);

int pwm_imx_tpm_probe_base(struct pwm_chip *chip)
{
	return chip->npwm;
}
