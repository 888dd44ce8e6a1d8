// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only stand-in for a kernel with the in-tree i.MX TPM PWM driver built
 * in (CONFIG_PWM_IMX_TPM=y): registers a platform driver under that
 * driver's name, "imx7ulp-tpm-pwm", which binds to nothing. With it loaded,
 * pwm-imx-tpm must refuse to load (tests/deb/e2e-guest.sh).
 */
#include <linux/module.h>
#include <linux/platform_device.h>

static int builtin_standin_probe(struct platform_device *pdev)
{
	return -ENODEV;
}

static struct platform_driver builtin_standin_driver = {
	.driver = {
		.name = "imx7ulp-tpm-pwm",
	},
	.probe = builtin_standin_probe,
};
module_platform_driver(builtin_standin_driver);

MODULE_DESCRIPTION("stand-in for a built-in imx7ulp-tpm-pwm driver (test only)");
MODULE_LICENSE("GPL");
