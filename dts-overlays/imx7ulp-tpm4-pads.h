/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i.MX7ULP IOMUXC1 values for the TPM4 channel pads, written for the
 * imx-tpm-pwm overlays from the pin function facts of the i.MX7ULP:
 *
 *   - an fsl,pins entry of the i.MX7ULP IOMUXC1 is five cells:
 *     <pad register offset, input select register offset, mux mode,
 *      input select value, pad configuration>;
 *   - pad registers: port C pad n at 0x000 + 4n, port D at 0x080 + 4n,
 *     port F at 0x180 + 4n;
 *   - TPM4 is mux mode 6 on its pads; the input select register of TPM4
 *     channel ch is at 0x280 + 4 * ch, and its value names the pad:
 *     channels 0..2: PTC 1, PTD 2, PTF 3; channels 3..5: PTC 1, PTF 2.
 *
 * Each IMX7ULP_TPM4_CHx_PADy macro gives the first four cells; the pad
 * configuration follows it in the fsl,pins list.
 */
#ifndef IMX7ULP_TPM4_PADS_H
#define IMX7ULP_TPM4_PADS_H

#define IMX7ULP_PTC_PAD(n)		(0x000 + 4 * (n))
#define IMX7ULP_PTD_PAD(n)		(0x080 + 4 * (n))
#define IMX7ULP_PTF_PAD(n)		(0x180 + 4 * (n))

#define IMX7ULP_TPM4_MUX		6
#define IMX7ULP_TPM4_CH_SELECT(ch)	(0x280 + 4 * (ch))

#define IMX7ULP_TPM4(pad, ch, sel) \
	pad IMX7ULP_TPM4_CH_SELECT(ch) IMX7ULP_TPM4_MUX sel

#define IMX7ULP_TPM4_CH0_PTC1	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(1), 0, 1)
#define IMX7ULP_TPM4_CH1_PTC2	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(2), 1, 1)
#define IMX7ULP_TPM4_CH2_PTC3	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(3), 2, 1)
#define IMX7ULP_TPM4_CH3_PTC4	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(4), 3, 1)
#define IMX7ULP_TPM4_CH4_PTC5	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(5), 4, 1)
#define IMX7ULP_TPM4_CH5_PTC6	IMX7ULP_TPM4(IMX7ULP_PTC_PAD(6), 5, 1)

#define IMX7ULP_TPM4_CH0_PTD9	IMX7ULP_TPM4(IMX7ULP_PTD_PAD(9), 0, 2)
#define IMX7ULP_TPM4_CH1_PTD10	IMX7ULP_TPM4(IMX7ULP_PTD_PAD(10), 1, 2)
#define IMX7ULP_TPM4_CH2_PTD11	IMX7ULP_TPM4(IMX7ULP_PTD_PAD(11), 2, 2)

#define IMX7ULP_TPM4_CH0_PTF1	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(1), 0, 3)
#define IMX7ULP_TPM4_CH1_PTF2	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(2), 1, 3)
#define IMX7ULP_TPM4_CH2_PTF3	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(3), 2, 3)
#define IMX7ULP_TPM4_CH3_PTF4	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(4), 3, 2)
#define IMX7ULP_TPM4_CH4_PTF5	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(5), 4, 2)
#define IMX7ULP_TPM4_CH5_PTF6	IMX7ULP_TPM4(IMX7ULP_PTF_PAD(6), 5, 2)

/* Pad configuration: pull enabled, pull-down (the line rests low). */
#define IMX7ULP_TPM4_PAD_CFG	0x2

/* Node paths in the i.MX7ULP devicetrees (Linux 5.10 ... 7.x). */
#define IMX7ULP_TPM4_PATH	"/bus@40000000/pwm@40250000"
#define IMX7ULP_IOMUXC1_PATH	"/bus@40800000/pinctrl@40ac0000"
/* the carrier board's pin function of Embedded Artists' uCOM kit trees */
#define IMX7ULPEA_KIT_PINS_PATH	"/bus@40800000/pinctrl@40ac0000/imx7ulpea-ucom-kit"

#endif
