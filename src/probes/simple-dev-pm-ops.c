// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: DEFINE_SIMPLE_DEV_PM_OPS() defines a non-static dev_pm_ops (5.18)
 * Absent if: (DEFINE_SIMPLE_DEV_PM_OPS|pwm_imx_tpm_probe_pm)
 *
 * 5.17, and the stable kernels that took it from there, define it with
 * "static" inside, which clashes with the extern declaration below.
 */
#include <linux/pm.h>

#ifndef DEFINE_SIMPLE_DEV_PM_OPS
#error DEFINE_SIMPLE_DEV_PM_OPS is not defined
#endif

extern const struct dev_pm_ops pwm_imx_tpm_probe_pm;
DEFINE_SIMPLE_DEV_PM_OPS(pwm_imx_tpm_probe_pm, NULL, NULL);
