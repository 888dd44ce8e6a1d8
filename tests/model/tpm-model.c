// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only model of the NXP i.MX TPM (Timer/PWM Module) for the
 * pwm-imx-tpm driver, on machines without the hardware. See INTERFACE.md.
 *
 * The module registers a platform device "imx-tpm-model" whose driver
 * provides a regmap (the TPM registers, evaluated from ktime_get() on every
 * access), a fixed-rate clock and a child platform device "pwm-imx-tpm"
 * for the PWM driver to bind to. The register semantics and the log of
 * every channel's output live in tpm-model-core.h; this file holds the
 * kernel glue and the debugfs interface.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/clk-provider.h>
#include <linux/clkdev.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/regmap.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "tpm-model-core.h"

#define TPM_MODEL_NAME		"imx-tpm-model"
#define TPM_MODEL_CHILD		"pwm-imx-tpm"

static unsigned int rate = 24000000;
module_param(rate, uint, 0444);
MODULE_PARM_DESC(rate, "Counter clock in Hz, 1 to 1000000000 (default 24000000)");

static unsigned int channels = 6;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "Channels (PARAM.CHAN), 1 to 8 (default 6; with param: 8 if out of range)");

static unsigned int width = 16;
module_param(width, uint, 0444);
MODULE_PARM_DESC(width, "Counter width in bits (PARAM.WIDTH), 8 to 32 (default 16)");

static int param = -1;
module_param(param, int, 0444);
MODULE_PARM_DESC(param, "If >= 0: raw value that PARAM reads as (default -1)");

static unsigned int clk_delay_ms;
module_param(clk_delay_ms, uint, 0444);
MODULE_PARM_DESC(clk_delay_ms, "Add the clock lookup this long after the child device, in ms (default 0)");

/*
 * How strict the model is (INTERFACE.md, "Strict behaviours"). Each is off
 * by default until the driver has been made and shown correct under it;
 * VM_MODEL_PARAMS turns them on for a run.
 */
static bool cmod_ack;
module_param(cmod_ack, bool, 0444);
MODULE_PARM_DESC(cmod_ack, "A CMOD change takes effect and reads back at the 2nd counter clock edge after the write (1; default 0: at once)");

static bool write_latency;
module_param(write_latency, bool, 0444);
MODULE_PARM_DESC(write_latency, "MOD, CnV, CnSC writes reach the counter clock domain at the next counter clock edge (1; default 0: at once)");

static bool buffer_ignore;
module_param(buffer_ignore, bool, 0444);
MODULE_PARM_DESC(buffer_ignore, "A MOD/CnV write while an earlier one is not taken yet is ignored and recorded as an error (1; default 0: it replaces it)");

static unsigned int first_period;
module_param(first_period, uint, 0444);
MODULE_PARM_DESC(first_period, "Outputs after a start or CNT write until the first overflow: 0 set as at a wrap (default), 1 inactive level, 2 low until the match");

static bool suspend_resets;
module_param(suspend_resets, bool, 0444);
MODULE_PARM_DESC(suspend_resets, "System suspend/resume resets all registers to their reset values (1; default 0)");

/*
 * Registers as a bootloader left them (takeover tests): SC, MOD, and per
 * channel CnSC and CnV, in effect at load. A counting SC runs from load.
 */
static unsigned int init_sc;
module_param(init_sc, uint, 0444);
MODULE_PARM_DESC(init_sc, "SC at load (default 0; CMOD 01: counting from load)");

static unsigned int init_mod;
module_param(init_mod, uint, 0444);
MODULE_PARM_DESC(init_mod, "MOD at load (default 0)");

static unsigned int init_cnsc[TPM_MAX_CH];
module_param_array(init_cnsc, uint, NULL, 0444);
MODULE_PARM_DESC(init_cnsc, "CnSC of each channel at load, comma-separated (default 0)");

static unsigned int init_cnv[TPM_MAX_CH];
module_param_array(init_cnv, uint, NULL, 0444);
MODULE_PARM_DESC(init_cnv, "CnV of each channel at load, comma-separated (default 0)");

struct tpm_model;

/* What a ch<N> debugfs file refers to */
struct tpm_model_chan {
	struct tpm_model *model;
	unsigned int n;
};

struct tpm_model {
	struct device *dev;
	/*
	 * Protects core and fault_io. Raw: the PWM driver accesses the
	 * registers with interrupts disabled.
	 */
	raw_spinlock_t lock;
	struct tpm_core core;
	bool fault_io;
	/*
	 * debugfs fault_held_up_us: the next buffered CnV waits one wrap
	 * longer (core.fault_skip_latch), and the first read of it after that
	 * wrap, which still finds it buffered, holds the reader up this long,
	 * as if its CPU were taken away right after it saw "not yet". Cleared
	 * then; held_up counts the times it happened.
	 */
	u32 held_up_us;
	u64 held_up;
	/*
	 * debugfs fault_wrap_irq_us: an interrupt handler that runs at the
	 * same point of every period. A CNT read, made with interrupts
	 * enabled, that finds the counter running and the wrap at most this
	 * long away holds the reader until this long after the wrap, as if
	 * an interrupt had come right after the read. wrap_irqs counts them.
	 */
	u32 wrap_irq_us;
	u64 wrap_irqs;
	/* power-loss resets done (suspend_resets, debugfs suspend_reset) */
	u64 resets;
	struct tpm_run *runs;
	/* register accesses and the time spent emulating them (make bench) */
	atomic64_t io_count;
	atomic64_t io_ns;

	struct clk_hw *clk;
	struct clk_lookup *lookup;
	struct delayed_work clk_work;
	struct platform_device *child;

	struct dentry *debugfs;
	struct tpm_model_chan chan[TPM_MAX_CH];
};

/* A debugfs file's text, produced when the file is opened */
struct tpm_model_text {
	size_t len;
	char buf[];
};

/* Result of the last probe, for the module's init */
static int tpm_model_probe_ret;

static unsigned int tpm_model_channels(void)
{
	/* with a raw PARAM, channels need not be valid: emulate all then */
	if (channels >= 1 && channels <= TPM_MAX_CH)
		return channels;

	return TPM_MAX_CH;
}

/* Bring the model up to now; called with the lock held */
static void tpm_model_update(struct tpm_model *m)
{
	tpm_core_advance_to(&m->core, ktime_get_ns());
}

/*
 * Count an access that started at @t0: make bench takes the time spent in
 * the model out of the driver's CPU time (a real register access is one bus
 * cycle, not this code).
 */
static void tpm_model_io_done(struct tpm_model *m, u64 t0)
{
	atomic64_inc(&m->io_count);
	atomic64_add(ktime_get_ns() - t0, &m->io_ns);
}

/*
 * regmap's own lock, held around each access and read-modify-write. With
 * just .fast_io it would be a spinlock_t, which sleeps on PREEMPT_RT, and
 * the driver takes it with interrupts disabled: a raw spinlock, as the
 * driver gives its own MMIO regmap (.use_raw_spinlock, which 5.10 lacks;
 * these callbacks work on every kernel). One model device, one lock.
 */
static struct {
	raw_spinlock_t lock;
	unsigned long flags;
} tpm_model_map_lock = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(tpm_model_map_lock.lock),
};

/*
 * fault_held_up_us: on a read of a CnV still buffered after its skipped
 * wrap, return how long to hold the reader up (and disarm); 0 otherwise.
 * Called with m->lock held.
 */
static u32 tpm_model_held_up(struct tpm_model *m, unsigned int reg)
{
	unsigned int n;
	u32 us;

	if (!m->held_up_us || m->core.fault_skip_latch || reg < TPM_CNSC(0))
		return 0;
	n = (reg - TPM_CNSC(0)) / TPM_CH_STRIDE;
	if (n >= m->core.nch || reg != TPM_CNV(n) || !m->core.ch[n].cnv_pending)
		return 0;
	us = m->held_up_us;
	m->held_up_us = 0;
	m->held_up++;

	return us;
}

/*
 * fault_wrap_irq_us: on a CNT read of @cnt made with interrupts enabled
 * (@irqs_on), the time in ns to hold the reader up; 0 if none. Called with
 * m->lock held.
 */
static u64 tpm_model_wrap_irq(struct tpm_model *m, unsigned int reg, u32 cnt,
			      bool irqs_on)
{
	struct tpm_core *c = &m->core;
	u64 irq_ns = (u64)m->wrap_irq_us * NSEC_PER_USEC;
	u64 ticks, left;

	if (!irq_ns || reg != TPM_CNT || !irqs_on ||
	    !(c->sc & TPM_SC_CMOD) || cnt > c->mod)
		return 0;
	/* the wrap comes after the tick of c->mod: whole ticks, rounded up */
	ticks = (u64)c->mod - cnt + 1;
	left = div_u64((ticks << (c->sc & TPM_SC_PS)) * NSEC_PER_SEC +
		       c->rate - 1, c->rate);
	if (left > irq_ns)
		return 0;
	m->wrap_irqs++;

	return left + irq_ns;
}

/*
 * regmap callbacks. The PWM driver calls them with interrupts disabled:
 * they must not sleep.
 */
static int tpm_model_reg_read(void *context, unsigned int reg,
			      unsigned int *val)
{
	struct tpm_model *m = context;
	u64 t0 = ktime_get_ns();
	unsigned long flags;
	int ret = 0;

	u32 stall_us = 0;
	u64 irq_ns = 0;
	/* the caller's interrupt state, saved by tpm_model_regmap_lock() */
	bool irqs_on = !irqs_disabled_flags(tpm_model_map_lock.flags);

	raw_spin_lock_irqsave(&m->lock, flags);
	if (m->fault_io) {
		ret = -EIO;
	} else {
		tpm_model_update(m);
		*val = tpm_core_read(&m->core, reg);
		tpm_core_note_read(&m->core, reg);
		stall_us = tpm_model_held_up(m, reg);
		irq_ns = tpm_model_wrap_irq(m, reg, *val, irqs_on);
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
	tpm_model_io_done(m, t0);
	if (stall_us)
		mdelay(DIV_ROUND_UP(stall_us, 1000));
	if (irq_ns)
		udelay((unsigned long)DIV_ROUND_UP_ULL(irq_ns, NSEC_PER_USEC));

	return ret;
}

static int tpm_model_reg_write(void *context, unsigned int reg,
			       unsigned int val)
{
	struct tpm_model *m = context;
	u64 t0 = ktime_get_ns();
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&m->lock, flags);
	if (m->fault_io) {
		ret = -EIO;
	} else {
		tpm_model_update(m);
		tpm_core_write(&m->core, reg, val);
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
	tpm_model_io_done(m, t0);

	return ret;
}

static void tpm_model_regmap_lock(void *arg)
	__acquires(&tpm_model_map_lock.lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&tpm_model_map_lock.lock, flags);
	tpm_model_map_lock.flags = flags;
}

static void tpm_model_regmap_unlock(void *arg)
	__releases(&tpm_model_map_lock.lock)
{
	raw_spin_unlock_irqrestore(&tpm_model_map_lock.lock,
				   tpm_model_map_lock.flags);
}

static const struct regmap_config tpm_model_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = TPM_REG_MAX,
	.reg_read = tpm_model_reg_read,
	.reg_write = tpm_model_reg_write,
	.lock = tpm_model_regmap_lock,
	.unlock = tpm_model_regmap_unlock,
	.fast_io = true,
	.cache_type = REGCACHE_NONE,
};

/* debugfs: files whose text is made at open and read like a plain file */

static struct tpm_model_text *tpm_model_text_alloc(size_t size)
{
	return kvmalloc(sizeof(struct tpm_model_text) + size, GFP_KERNEL);
}

static ssize_t tpm_model_text_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct tpm_model_text *t = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, t->buf, t->len);
}

static int tpm_model_text_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);

	return 0;
}

static int tpm_model_ch_open(struct inode *inode, struct file *file)
{
	struct tpm_model_chan *mc = inode->i_private;
	struct tpm_model *m = mc->model;
	struct tpm_log_snap snap = { };
	struct tpm_model_text *t;
	unsigned long flags;
	size_t size;

	snap.runs = kvmalloc_array(TPM_LOG_RUNS, sizeof(*snap.runs),
				   GFP_KERNEL);
	if (!snap.runs)
		return -ENOMEM;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	tpm_core_snap_log(&m->core, mc->n, &snap);
	raw_spin_unlock_irqrestore(&m->lock, flags);

	size = tpm_core_log_size(&snap);
	t = tpm_model_text_alloc(size);
	if (t)
		t->len = tpm_core_format_log(&snap, t->buf, size);
	kvfree(snap.runs);
	if (!t)
		return -ENOMEM;

	file->private_data = t;

	return 0;
}

static const struct file_operations tpm_model_ch_fops = {
	.owner = THIS_MODULE,
	.open = tpm_model_ch_open,
	.read = tpm_model_text_read,
	.release = tpm_model_text_release,
	.llseek = default_llseek,
};

static int tpm_model_open_text(struct inode *inode, struct file *file,
			       size_t size,
			       size_t (*format)(const struct tpm_core *c,
						char *buf, size_t size))
{
	struct tpm_model *m = inode->i_private;
	struct tpm_model_text *t;
	unsigned long flags;

	t = tpm_model_text_alloc(size);
	if (!t)
		return -ENOMEM;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	t->len = format(&m->core, t->buf, size);
	raw_spin_unlock_irqrestore(&m->lock, flags);

	file->private_data = t;

	return 0;
}

/* A read-only debugfs file with the text that @format gives at open */
#define TPM_MODEL_TEXT_FILE(name, size, format)				\
static int tpm_model_##name##_open(struct inode *inode, struct file *file) \
{									\
	return tpm_model_open_text(inode, file, size, format);		\
}									\
									\
static const struct file_operations tpm_model_##name##_fops = {		\
	.owner = THIS_MODULE,						\
	.open = tpm_model_##name##_open,				\
	.read = tpm_model_text_read,					\
	.release = tpm_model_text_release,				\
	.llseek = default_llseek,					\
}

TPM_MODEL_TEXT_FILE(errors, TPM_ERRORS_SIZE, tpm_core_format_errors);
TPM_MODEL_TEXT_FILE(cuts, TPM_CUTS_SIZE, tpm_core_format_cuts);
TPM_MODEL_TEXT_FILE(stops, TPM_STOPS_SIZE, tpm_core_format_stops);
TPM_MODEL_TEXT_FILE(now, TPM_LINE_MAX, tpm_core_format_now);
TPM_MODEL_TEXT_FILE(next, TPM_NEXT_SIZE, tpm_core_format_next);

static int tpm_model_io_show(struct seq_file *sf, void *unused)
{
	struct tpm_model *m = sf->private;

	seq_printf(sf, "%lld %lld\n", (long long)atomic64_read(&m->io_count),
		   (long long)atomic64_read(&m->io_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tpm_model_io);

static ssize_t tpm_model_clear_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	struct tpm_model *m = file->private_data;
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	tpm_core_clear(&m->core);
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return count;
}

static const struct file_operations tpm_model_clear_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tpm_model_clear_write,
	.llseek = default_llseek,
};

/* The fault knobs: a 0/1 flag of the model, read and set under its lock */
static int tpm_model_flag_get(struct tpm_model *m, const bool *flag, u64 *val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	*val = *flag;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return 0;
}

static int tpm_model_flag_set(struct tpm_model *m, bool *flag, u64 val)
{
	unsigned long flags;

	if (val > 1)
		return -EINVAL;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	*flag = val;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return 0;
}

static int tpm_model_fault_io_get(void *data, u64 *val)
{
	struct tpm_model *m = data;

	return tpm_model_flag_get(m, &m->fault_io, val);
}

static int tpm_model_fault_io_set(void *data, u64 val)
{
	struct tpm_model *m = data;

	return tpm_model_flag_set(m, &m->fault_io, val);
}

DEFINE_DEBUGFS_ATTRIBUTE(tpm_model_fault_io_fops, tpm_model_fault_io_get,
			 tpm_model_fault_io_set, "%llu\n");

static int tpm_model_no_latch_get(void *data, u64 *val)
{
	struct tpm_model *m = data;

	return tpm_model_flag_get(m, &m->core.fault_no_latch, val);
}

static int tpm_model_no_latch_set(void *data, u64 val)
{
	struct tpm_model *m = data;

	return tpm_model_flag_set(m, &m->core.fault_no_latch, val);
}

DEFINE_DEBUGFS_ATTRIBUTE(tpm_model_no_latch_fops, tpm_model_no_latch_get,
			 tpm_model_no_latch_set, "%llu\n");

/* A counter of @m, read under its lock */
static int tpm_model_count_get(struct tpm_model *m, const u64 *count,
			       u64 *val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	*val = *count;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return 0;
}

static int tpm_model_held_up_get(void *data, u64 *val)
{
	struct tpm_model *m = data;

	return tpm_model_count_get(m, &m->held_up, val);
}

/*
 * Arm: the next buffered CnV waits a wrap longer, and the first reader
 * that finds it still buffered after that is held up @val us (at most
 * 1 s); 0 disarms.
 */
static int tpm_model_held_up_set(void *data, u64 val)
{
	struct tpm_model *m = data;
	unsigned long flags;

	if (val > USEC_PER_SEC)
		return -EINVAL;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	m->held_up_us = val;
	m->core.fault_skip_latch = val ? 1 : 0;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(tpm_model_held_up_fops, tpm_model_held_up_get,
			 tpm_model_held_up_set, "%llu\n");

static int tpm_model_wrap_irq_get(void *data, u64 *val)
{
	struct tpm_model *m = data;

	return tpm_model_count_get(m, &m->wrap_irqs, val);
}

/* Arm (@val us, at most 1 ms) or, with 0, disarm fault_wrap_irq_us */
static int tpm_model_wrap_irq_set(void *data, u64 val)
{
	struct tpm_model *m = data;
	unsigned long flags;

	if (val > USEC_PER_MSEC)
		return -EINVAL;

	raw_spin_lock_irqsave(&m->lock, flags);
	m->wrap_irq_us = val;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(tpm_model_wrap_irq_fops, tpm_model_wrap_irq_get,
			 tpm_model_wrap_irq_set, "%llu\n");

/* Power loss: every register to its reset value */
static void tpm_model_reset(struct tpm_model *m)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	tpm_model_update(m);
	tpm_core_reset(&m->core);
	m->resets++;
	raw_spin_unlock_irqrestore(&m->lock, flags);
}

static int tpm_model_suspend_reset_get(void *data, u64 *val)
{
	struct tpm_model *m = data;

	return tpm_model_count_get(m, &m->resets, val);
}

static int tpm_model_suspend_reset_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;

	tpm_model_reset(data);

	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(tpm_model_suspend_reset_fops,
			 tpm_model_suspend_reset_get,
			 tpm_model_suspend_reset_set, "%llu\n");

static void tpm_model_debugfs_init(struct tpm_model *m)
{
	char name[16];
	unsigned int i;

	m->debugfs = debugfs_create_dir(TPM_MODEL_NAME, NULL);

	for (i = 0; i < m->core.nch; i++) {
		m->chan[i].model = m;
		m->chan[i].n = i;
		snprintf(name, sizeof(name), "ch%u", i);
		debugfs_create_file(name, 0444, m->debugfs, &m->chan[i],
				    &tpm_model_ch_fops);
	}
	debugfs_create_file("clear", 0200, m->debugfs, m,
			    &tpm_model_clear_fops);
	debugfs_create_file("errors", 0444, m->debugfs, m,
			    &tpm_model_errors_fops);
	debugfs_create_file("now", 0444, m->debugfs, m, &tpm_model_now_fops);
	debugfs_create_file("next", 0444, m->debugfs, m, &tpm_model_next_fops);
	debugfs_create_file("cuts", 0444, m->debugfs, m, &tpm_model_cuts_fops);
	debugfs_create_file("stops", 0444, m->debugfs, m, &tpm_model_stops_fops);
	debugfs_create_file("io", 0444, m->debugfs, m, &tpm_model_io_fops);
	debugfs_create_file_unsafe("fault_no_latch", 0644, m->debugfs, m,
				   &tpm_model_no_latch_fops);
	debugfs_create_file_unsafe("fault_io", 0644, m->debugfs, m,
				   &tpm_model_fault_io_fops);
	debugfs_create_file_unsafe("suspend_reset", 0644, m->debugfs, m,
				   &tpm_model_suspend_reset_fops);
	debugfs_create_file_unsafe("fault_held_up_us", 0644, m->debugfs, m,
				   &tpm_model_held_up_fops);
	debugfs_create_file_unsafe("fault_wrap_irq_us", 0644, m->debugfs, m,
				   &tpm_model_wrap_irq_fops);
}

/*
 * clk_delay_ms: the clock becomes visible to the child only now. Without
 * a devicetree a missing clkdev lookup fails the child's probe (-ENOENT
 * from clk_get(), or -EPROBE_DEFER where it is deferred), and adding a
 * lookup retriggers nothing, so attach the child here.
 */
static void tpm_model_clk_work(struct work_struct *work)
{
	struct tpm_model *m = container_of(to_delayed_work(work),
					   struct tpm_model, clk_work);
	int ret;

	m->lookup = clkdev_hw_create(m->clk, NULL, "%s", TPM_MODEL_CHILD);
	if (!m->lookup) {
		dev_err(m->dev, "failed to add the clock lookup\n");
		return;
	}

	ret = device_attach(&m->child->dev);
	if (ret < 0)
		dev_err(m->dev, "failed to attach %s: %d\n", TPM_MODEL_CHILD,
			ret);
}

/*
 * Everything is undone by devres, in reverse order: the work, the child
 * (unbinding the PWM driver, which releases the clock), debugfs, the
 * clock lookup, the clock, the regmap, the logs.
 */
static void tpm_model_free_runs(void *runs)
{
	kvfree(runs);
}

static void tpm_model_clk_unregister(void *clk)
{
	clk_hw_unregister_fixed_rate(clk);
}

static void tpm_model_lookup_drop(void *data)
{
	struct tpm_model *m = data;

	/* added by the probe, by the work or not at all */
	if (m->lookup)
		clkdev_drop(m->lookup);
}

static void tpm_model_debugfs_remove(void *dentry)
{
	debugfs_remove_recursive(dentry);
}

static void tpm_model_child_unregister(void *child)
{
	platform_device_unregister(child);
}

static void tpm_model_cancel_work(void *data)
{
	struct tpm_model *m = data;

	cancel_delayed_work_sync(&m->clk_work);
}

static int __tpm_model_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	unsigned int nch = tpm_model_channels();
	struct platform_device *child;
	struct tpm_model *m;
	struct regmap *map;
	int ret;

	m = devm_kzalloc(dev, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;

	m->dev = dev;
	raw_spin_lock_init(&m->lock);
	INIT_DELAYED_WORK(&m->clk_work, tpm_model_clk_work);

	/* freed after the regmap is gone: a regmap access logs periods */
	m->runs = kvcalloc((size_t)nch * TPM_LOG_RUNS, sizeof(*m->runs),
			   GFP_KERNEL);
	if (!m->runs)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, tpm_model_free_runs, m->runs);
	if (ret)
		return ret;

	if (tpm_core_init(&m->core, rate, width, nch, param >= 0, (u32)param,
			  m->runs, ktime_get_ns()) ||
	    tpm_core_set_strict(&m->core, cmod_ack, write_latency,
				buffer_ignore, first_period))
		return -EINVAL;
	tpm_core_preset(&m->core, init_sc, init_mod, init_cnsc, init_cnv);
	platform_set_drvdata(pdev, m);

	map = devm_regmap_init(dev, NULL, m, &tpm_model_regmap_config);
	if (IS_ERR(map))
		return dev_err_probe(dev, PTR_ERR(map),
				     "failed to register the regmap\n");

	/*
	 * Not devm_clk_hw_register_fixed_rate(): a clock registered for a
	 * device pins the device driver's module while a consumer holds
	 * the clock, and unloading the model must unbind the PWM driver.
	 */
	m->clk = clk_hw_register_fixed_rate(NULL, TPM_MODEL_NAME, NULL, 0,
					    rate);
	if (IS_ERR(m->clk))
		return dev_err_probe(dev, PTR_ERR(m->clk),
				     "failed to register the clock\n");
	ret = devm_add_action_or_reset(dev, tpm_model_clk_unregister, m->clk);
	if (ret)
		return ret;

	if (!clk_delay_ms) {
		m->lookup = clkdev_hw_create(m->clk, NULL, "%s",
					     TPM_MODEL_CHILD);
		if (!m->lookup)
			return -ENOMEM;
	}
	ret = devm_add_action_or_reset(dev, tpm_model_lookup_drop, m);
	if (ret)
		return ret;

	tpm_model_debugfs_init(m);
	ret = devm_add_action_or_reset(dev, tpm_model_debugfs_remove,
				       m->debugfs);
	if (ret)
		return ret;

	child = platform_device_alloc(TPM_MODEL_CHILD, PLATFORM_DEVID_NONE);
	if (!child)
		return -ENOMEM;
	child->dev.parent = dev;
	ret = platform_device_add(child);
	if (ret) {
		platform_device_put(child);
		return ret;
	}
	ret = devm_add_action_or_reset(dev, tpm_model_child_unregister,
				       child);
	if (ret)
		return ret;
	m->child = child;

	ret = devm_add_action_or_reset(dev, tpm_model_cancel_work, m);
	if (ret)
		return ret;
	if (clk_delay_ms)
		schedule_delayed_work(&m->clk_work,
				      msecs_to_jiffies(clk_delay_ms));

	return 0;
}

static int tpm_model_probe(struct platform_device *pdev)
{
	tpm_model_probe_ret = __tpm_model_probe(pdev);

	return tpm_model_probe_ret;
}

/*
 * The TPM loses its registers in system suspend (suspend_resets). The
 * reset is made at resume, in the normal phase that pm_test=devices runs
 * too: the model device resumes before its child, so the PWM driver's
 * resume sees the reset values.
 */
static int tpm_model_resume(struct device *dev)
{
	struct tpm_model *m = dev_get_drvdata(dev);

	if (suspend_resets && m)
		tpm_model_reset(m);

	return 0;
}

static const struct dev_pm_ops tpm_model_pm = {
	.resume = tpm_model_resume,
	.restore = tpm_model_resume,
};

static struct platform_driver tpm_model_driver = {
	.driver = {
		.name = TPM_MODEL_NAME,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
		.pm = &tpm_model_pm,
	},
	.probe = tpm_model_probe,
};

static struct platform_device *tpm_model_pdev;

static int __init tpm_model_init(void)
{
	struct platform_device *pdev;
	int ret;

	if (!rate || rate > TPM_RATE_MAX) {
		pr_err("rate %u Hz out of range 1..%u\n",
		       rate, TPM_RATE_MAX);
		return -EINVAL;
	}
	if (width < TPM_WIDTH_MIN || width > TPM_WIDTH_MAX) {
		pr_err("width %u out of range %u..%u\n",
		       width, TPM_WIDTH_MIN, TPM_WIDTH_MAX);
		return -EINVAL;
	}
	if (param < 0 && (!channels || channels > TPM_MAX_CH)) {
		pr_err("channels %u out of range 1..%u\n",
		       channels, TPM_MAX_CH);
		return -EINVAL;
	}
	if (first_period > TPM_FIRST_MAX) {
		pr_err("first_period %u out of range 0..%u\n",
		       first_period, TPM_FIRST_MAX);
		return -EINVAL;
	}

	ret = platform_driver_register(&tpm_model_driver);
	if (ret)
		return ret;

	tpm_model_probe_ret = -ENODEV;
	pdev = platform_device_register_simple(TPM_MODEL_NAME,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto err_driver;
	}

	/* the probe ran synchronously: fail the load if it failed */
	if (tpm_model_probe_ret) {
		ret = tpm_model_probe_ret;
		platform_device_unregister(pdev);
		goto err_driver;
	}

	tpm_model_pdev = pdev;

	return 0;

err_driver:
	platform_driver_unregister(&tpm_model_driver);
	return ret;
}
module_init(tpm_model_init);

static void __exit tpm_model_exit(void)
{
	platform_device_unregister(tpm_model_pdev);
	platform_driver_unregister(&tpm_model_driver);
}
module_exit(tpm_model_exit);

MODULE_DESCRIPTION("Test-only model of the NXP i.MX TPM for pwm-imx-tpm");
MODULE_LICENSE("GPL");
