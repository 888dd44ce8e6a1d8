// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: struct pwm_ops has "owner" (until 6.7)
 * Absent if: (unknown field|no member named) 'owner'
 */
#include <linux/module.h>
#include <linux/pwm.h>

const struct pwm_ops pwm_imx_tpm_probe_ops = {
	.owner = THIS_MODULE,
};
