/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Glue for building pwm-imx-tpm.c, written against the current PWM API,
 * on older kernels (5.10 and later). Nothing here is needed upstream.
 *
 * What a kernel has is decided by feature, never by its version number:
 * stable and vendor kernels backport APIs. Either a macro that the API
 * itself defines is tested, or src/probe.sh has compiled a probe
 * (src/probes/NAME.c) against the kernel's headers and recorded the result
 * as PWM_IMX_TPM_HAVE_NAME (0 or 1) in pwm-imx-tpm-features.h.
 */
#ifndef _PWM_IMX_TPM_COMPAT_H
#define _PWM_IMX_TPM_COMPAT_H

#include <linux/clk.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/pwm.h>
#include <linux/regmap.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "pwm-imx-tpm-features.h"

/*
 * Without regmap_config.use_raw_spinlock an MMIO regmap locks a spinlock_t,
 * which sleeps on PREEMPT_RT; the driver accesses registers with interrupts
 * disabled. Give regmap a raw spinlock through its lock callbacks instead:
 * the driver's ".use_raw_spinlock = true" becomes ".lock = ...,
 * .unlock = ..., .lock_arg = ..., .fast_io = true". All TPMs share the
 * lock; it is held for one register access at a time.
 */
#if !PWM_IMX_TPM_HAVE_REGMAP_RAW_SPINLOCK
struct compat_regmap_lock {
	raw_spinlock_t lock;
	unsigned long flags;
};

static struct compat_regmap_lock compat_regmap_lock_data = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(compat_regmap_lock_data.lock),
};

static void compat_regmap_lock(void *arg)
	__acquires(&compat_regmap_lock_data.lock)
{
	struct compat_regmap_lock *l = arg;
	unsigned long flags;

	raw_spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

static void compat_regmap_unlock(void *arg)
	__releases(&compat_regmap_lock_data.lock)
{
	struct compat_regmap_lock *l = arg;

	raw_spin_unlock_irqrestore(&l->lock, l->flags);
}

#define use_raw_spinlock						\
	lock = compat_regmap_lock,					\
	.unlock = compat_regmap_unlock,					\
	.lock_arg = &compat_regmap_lock_data,				\
	.fast_io
#endif

#if !PWM_IMX_TPM_HAVE_DEVM_CLK_GET_ENABLED
static void compat_clk_disable_unprepare(void *clk)
{
	clk_disable_unprepare(clk);
}

static inline struct clk *compat_devm_clk_get_enabled(struct device *dev,
						      const char *id)
{
	struct clk *clk = devm_clk_get(dev, id);
	int ret;

	if (IS_ERR(clk))
		return clk;

	ret = clk_prepare_enable(clk);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action_or_reset(dev, compat_clk_disable_unprepare, clk);
	if (ret)
		return ERR_PTR(ret);

	return clk;
}

#define devm_clk_get_enabled	compat_devm_clk_get_enabled
#endif

/* Before, MODULE_IMPORT_NS() took an identifier and made the string */
#if !PWM_IMX_TPM_HAVE_MODULE_IMPORT_NS_STRING
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)
#endif

/*
 * DEFINE_SIMPLE_DEV_PM_OPS first had a "static" inside (5.17, and the form
 * some stable kernels carry), and older kernels have none.
 */
#if !PWM_IMX_TPM_HAVE_SIMPLE_DEV_PM_OPS
#undef DEFINE_SIMPLE_DEV_PM_OPS
#define DEFINE_SIMPLE_DEV_PM_OPS(name, suspend_fn, resume_fn)		\
	const struct dev_pm_ops name = {				\
		SET_SYSTEM_SLEEP_PM_OPS(suspend_fn, resume_fn)		\
	}
#endif
#ifndef pm_sleep_ptr
#define pm_sleep_ptr(_ptr)	(IS_ENABLED(CONFIG_PM_SLEEP) ? (_ptr) : NULL)
#endif

/* Until pwmchip_add() recorded it, the owner was given in pwm_ops */
#if PWM_IMX_TPM_HAVE_PWM_OPS_OWNER
#define COMPAT_PWM_OPS_OWNER	.owner = THIS_MODULE,
#else
#define COMPAT_PWM_OPS_OWNER
#endif

/* .get_state used to return void */
#if PWM_IMX_TPM_HAVE_PWM_OPS_GET_STATE_INT
#define COMPAT_GET_STATE(fn)	fn
#define DEFINE_COMPAT_GET_STATE(fn)
#else
#define COMPAT_GET_STATE(fn)	fn##_void
#define DEFINE_COMPAT_GET_STATE(fn)					\
	static void fn##_void(struct pwm_chip *chip,			\
			      struct pwm_device *pwm,			\
			      struct pwm_state *state)			\
	{								\
		fn(chip, pwm, state);					\
	}
#endif

/*
 * The waveform callbacks came before their size limit was public: the
 * core of 6.13 to 6.16 refuses a chip whose sizeof_wfhw exceeds its
 * private WFHWSIZE, 20 bytes, the value PWM_WFHWSIZE has since.
 */
#if PWM_IMX_TPM_HAVE_PWM_OPS_WAVEFORM && !defined(PWM_WFHWSIZE)
#define PWM_WFHWSIZE	20
#endif

/*
 * Without devm_pwmchip_alloc() the driver embeds struct pwm_chip itself:
 * emulate it, with the private data placed behind the chip.
 */
#if !PWM_IMX_TPM_HAVE_DEVM_PWMCHIP_ALLOC
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
#if PWM_IMX_TPM_HAVE_PWM_CHIP_BASE
	c->chip.base = -1;
#endif
#if PWM_IMX_TPM_HAVE_PWM_CHIP_OF_PWM_N_CELLS
	/* the binding has three cells; 5.10 does not read #pwm-cells */
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

#if !PWM_IMX_TPM_HAVE_DEVM_PWMCHIP_ADD
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

#if !PWM_IMX_TPM_HAVE_PWMCHIP_REMOVE_VOID
	/*
	 * pwmchip_remove() refuses (-EBUSY) while a consumer holds a PWM,
	 * and the chip stays registered with its driver data freed. Such a
	 * consumer holds the module too, so only an unbind through sysfs
	 * gets there: do not offer it.
	 */
	drv->driver.suppress_bind_attrs = true;
#endif

	return platform_driver_register(drv);
}

#undef module_platform_driver
#define module_platform_driver(drv)					\
	module_driver(drv, compat_platform_driver_register,		\
		      platform_driver_unregister)

#endif /* _PWM_IMX_TPM_COMPAT_H */
