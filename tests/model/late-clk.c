// SPDX-License-Identifier: GPL-2.0
/*
 * late-clk - test-only clock provider that arrives late (never shipped)
 *
 * A platform driver for devicetree nodes compatible with
 * "imx-tpm-pwm-test,late-clock" (#clock-cells = <0>, clock-frequency):
 * its probe registers a fixed-rate clock and the node's clock provider.
 * Loaded after pwm-imx-tpm, it lets the bench show that a TPM whose clock
 * is not there yet defers its probe and binds once the clock appears (the
 * successful probe here retriggers deferred probes).
 */
#include <linux/clk-provider.h>
#include <linux/err.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

static void late_clk_unregister(void *hw)
{
	clk_hw_unregister_fixed_rate(hw);
}

static void late_clk_del_provider(void *np)
{
	of_clk_del_provider(np);
}

static int late_clk_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np = dev->of_node;
	struct clk_hw *hw;
	u32 rate;
	int ret;

	ret = of_property_read_u32(np, "clock-frequency", &rate);
	if (ret)
		return dev_err_probe(dev, ret, "no clock-frequency\n");

	hw = clk_hw_register_fixed_rate(NULL, dev_name(dev), NULL, 0, rate);
	if (IS_ERR(hw))
		return dev_err_probe(dev, PTR_ERR(hw), "cannot register the clock\n");
	ret = devm_add_action_or_reset(dev, late_clk_unregister, hw);
	if (ret)
		return ret;

	ret = of_clk_add_hw_provider(np, of_clk_hw_simple_get, hw);
	if (ret)
		return dev_err_probe(dev, ret, "cannot add the clock provider\n");
	ret = devm_add_action_or_reset(dev, late_clk_del_provider, np);
	if (ret)
		return ret;

	dev_info(dev, "clock provider of %u Hz registered\n", rate);

	return 0;
}

static const struct of_device_id late_clk_ids[] = {
	{ .compatible = "imx-tpm-pwm-test,late-clock" },
	{ }
};
MODULE_DEVICE_TABLE(of, late_clk_ids);

static struct platform_driver late_clk_driver = {
	.driver = {
		.name = "imx-tpm-pwm-late-clk",
		.of_match_table = late_clk_ids,
	},
	.probe = late_clk_probe,
};
module_platform_driver(late_clk_driver);

MODULE_DESCRIPTION("Test-only late clock provider for the pwm-imx-tpm bench");
MODULE_LICENSE("GPL");
