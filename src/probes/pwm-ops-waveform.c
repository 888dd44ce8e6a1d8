// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: struct pwm_ops has the waveform callbacks (6.13)
 * Absent if: (unknown field|no member named) '(sizeof_wfhw|[a-z_]*waveform[a-z_]*)'
 */
#include <linux/pwm.h>

static int pwm_imx_tpm_probe_tohw(struct pwm_chip *chip,
				  struct pwm_device *pwm,
				  const struct pwm_waveform *wf, void *wfhw)
{
	return 0;
}

static int pwm_imx_tpm_probe_fromhw(struct pwm_chip *chip,
				    struct pwm_device *pwm,
				    const void *wfhw, struct pwm_waveform *wf)
{
	return 0;
}

static int pwm_imx_tpm_probe_read(struct pwm_chip *chip,
				  struct pwm_device *pwm, void *wfhw)
{
	return 0;
}

static int pwm_imx_tpm_probe_write(struct pwm_chip *chip,
				   struct pwm_device *pwm, const void *wfhw)
{
	return 0;
}

const struct pwm_ops pwm_imx_tpm_probe_ops = {
	.sizeof_wfhw = 1,
	.round_waveform_tohw = pwm_imx_tpm_probe_tohw,
	.round_waveform_fromhw = pwm_imx_tpm_probe_fromhw,
	.read_waveform = pwm_imx_tpm_probe_read,
	.write_waveform = pwm_imx_tpm_probe_write,
};
