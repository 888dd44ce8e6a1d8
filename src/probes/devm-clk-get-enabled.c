// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: devm_clk_get_enabled() exists (6.0; stable 5.10.166, 5.15.83)
 * Absent if: devm_clk_get_enabled
 */
#include <linux/clk.h>

struct clk *(*pwm_imx_tpm_probe_fn)(struct device *, const char *) =
	devm_clk_get_enabled;
