/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Glue for building pwm-imx-tpm.c, written against the current PWM API,
 * on older kernels (5.10 and later). Nothing here is needed upstream.
 *
 * Kernel version tests belong here and nowhere else; where a feature can be
 * tested directly (a macro the newer API defines), that is done instead.
 */
#ifndef _PWM_IMX_TPM_COMPAT_H
#define _PWM_IMX_TPM_COMPAT_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/pwm.h>
#include <linux/slab.h>
#include <linux/version.h>

/*
 * regmap_config.use_raw_spinlock arrived in 5.17. Before, MMIO regmaps use
 * a spinlock_t (fast_io), which does not sleep except on PREEMPT_RT.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define use_raw_spinlock	fast_io
#endif

/* 6.13 takes the namespace as a string; earlier kernels stringify it */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)
#endif

/*
 * DEFINE_SIMPLE_DEV_PM_OPS arrived in 5.17 with a "static" inside, which
 * 5.18 dropped; some 5.10 LTS kernels have the 5.17 form, others none.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 18, 0)
#undef DEFINE_SIMPLE_DEV_PM_OPS
#define DEFINE_SIMPLE_DEV_PM_OPS(name, suspend_fn, resume_fn)		\
	const struct dev_pm_ops name = {				\
		SET_SYSTEM_SLEEP_PM_OPS(suspend_fn, resume_fn)		\
	}
#endif
#ifndef pm_sleep_ptr
#define pm_sleep_ptr(_ptr)	(IS_ENABLED(CONFIG_PM_SLEEP) ? (_ptr) : NULL)
#endif

/*
 * Since 6.7 pwmchip_add() is a macro that records THIS_MODULE as the
 * chip's owner; before, the owner was given in pwm_ops.
 */
#ifdef pwmchip_add
#define COMPAT_PWM_OPS_OWNER
#else
#define COMPAT_PWM_OPS_OWNER	.owner = THIS_MODULE,
#endif

/* Before 6.1 .get_state returned void */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#define COMPAT_GET_STATE(fn)	fn##_void
#define DEFINE_COMPAT_GET_STATE(fn)					\
	static void fn##_void(struct pwm_chip *chip,			\
			      struct pwm_device *pwm,			\
			      struct pwm_state *state)			\
	{								\
		fn(chip, pwm, state);					\
	}
#else
#define COMPAT_GET_STATE(fn)	fn
#define DEFINE_COMPAT_GET_STATE(fn)
#endif

/*
 * Before 6.9 the driver embedded struct pwm_chip itself. Emulate
 * devm_pwmchip_alloc() with the private data placed behind the chip.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
struct compat_pwm_chip {
	struct pwm_chip chip;
	unsigned long priv[] __aligned(ARCH_KMALLOC_MINALIGN);
};

static inline struct pwm_chip *
compat_devm_pwmchip_alloc(struct device *parent, unsigned int npwm,
			  size_t sizeof_priv)
{
	struct compat_pwm_chip *c;

	c = devm_kzalloc(parent, sizeof(*c) + sizeof_priv, GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);

	c->chip.dev = parent;
	c->chip.npwm = npwm;
	c->chip.base = -1;
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
	/* 5.10 does not read #pwm-cells itself */
	c->chip.of_xlate = of_pwm_xlate_with_flags;
	c->chip.of_pwm_n_cells = 3;
#endif
	return &c->chip;
}

#define devm_pwmchip_alloc compat_devm_pwmchip_alloc

static inline void *compat_pwmchip_get_drvdata(struct pwm_chip *chip)
{
	return container_of(chip, struct compat_pwm_chip, chip)->priv;
}

#define pwmchip_get_drvdata compat_pwmchip_get_drvdata

static inline struct device *compat_pwmchip_parent(const struct pwm_chip *chip)
{
	return chip->dev;
}

#define pwmchip_parent compat_pwmchip_parent
#endif

/* devm_pwmchip_add() arrived in 5.14 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
static void compat_pwmchip_remove(void *chip)
{
	pwmchip_remove(chip);
}

static inline int compat_devm_pwmchip_add(struct device *dev,
					  struct pwm_chip *chip)
{
	int ret = pwmchip_add(chip);

	if (ret)
		return ret;

	return devm_add_action_or_reset(dev, compat_pwmchip_remove, chip);
}

#define devm_pwmchip_add compat_devm_pwmchip_add
#endif

/*
 * Out of tree only. The kernel's own driver for this block registers as
 * "imx7ulp-tpm-pwm". Built as a module (CONFIG_PWM_IMX_TPM=m) it has this
 * module's name and is replaced by it; built in (=y) it has taken the TPMs
 * at boot, and a second driver must not be registered next to it. -EBUSY,
 * not -EEXIST: modprobe reports -EEXIST as "already loaded" and succeeds.
 */
static inline int compat_platform_driver_register(struct platform_driver *drv)
{
	if (driver_find("imx7ulp-tpm-pwm", &platform_bus_type)) {
		pr_err("pwm-imx-tpm: the kernel has the driver built in (CONFIG_PWM_IMX_TPM=y); boot with initcall_blacklist=imx_tpm_pwm_driver_init to use this module\n");
		return -EBUSY;
	}

	return platform_driver_register(drv);
}

#undef module_platform_driver
#define module_platform_driver(drv)					\
	module_driver(drv, compat_platform_driver_register,		\
		      platform_driver_unregister)

#endif /* _PWM_IMX_TPM_COMPAT_H */
