// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: the core allocates the chip and private data, devm_pwmchip_alloc() (6.9)
 * Absent if: devm_pwmchip_alloc
 */
#include <linux/device.h>
#include <linux/pwm.h>

struct pwm_chip *(*pwm_imx_tpm_probe_fn)(struct device *, unsigned int,
					 size_t) = devm_pwmchip_alloc;
