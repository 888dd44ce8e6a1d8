# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # IO_*: read by the scripts that source it
#
# tests/vm/guest-irqsoff.sh - the kernel's irqsoff tracer, for the guest
# scripts of tests/vm/ (irqsoff-guest.sh, stress-guest.sh). tests/vm/vm.sh
# puts it into the initramfs as /vm/tests/guest-irqsoff.sh.
#
# The tracer (CONFIG_IRQSOFF_TRACER; the debug kernels of
# tests/vm/debug-kernel.sh have it, Debian's kernels do not) keeps the
# longest section with interrupts disabled since tracing_max_latency was
# last set to 0: its length in us there, and in the trace file where it
# began and ended ("=> started at: FUNC", "=> ended at: FUNC"). Sampled
# after each small piece of work (one sysfs change), the longest section of
# each piece is most often the driver's own: each sample is put down to
# the driver (a pwm_imx_tpm_* function), the TPM model (tpm_model_* and
# imx_tpm_model*, test code standing in for the registers), or the rest of
# the kernel.
#
#   irqsoff_start        tracer on; status 1 (and IRQSOFF_WHY) if there is none
#   irqsoff_sample       take the longest section since the last sample
#   irqsoff_report NAME  a "# NAME: ..." line with the longest of each kind,
#                        then the tracer's own output for the driver's
#                        longest ("# trace: " lines)
#   irqsoff_stop         tracer off
#
# After irqsoff_sample: IO_US IO_FROM IO_TO (this sample); the maxima
# IO_DRV_US IO_DRV_AT, IO_MODEL_US IO_MODEL_AT, IO_OTHER_US IO_OTHER_AT, the
# number of samples IO_N and those put down to the driver IO_DRV_N.

IO_T=

irqsoff_reset() {
	IO_N=0
	IO_DRV_N=0
	IO_DRV_US=0
	IO_DRV_AT=-
	IO_MODEL_US=0
	IO_MODEL_AT=-
	IO_OTHER_US=0
	IO_OTHER_AT=-
	rm -f /tmp/irqsoff.drv
}

irqsoff_start() {
	irqsoff_reset
	IO_T=
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -e "$d/current_tracer" ]; then
			IO_T=$d
			break
		fi
	done
	if [ -z "$IO_T" ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null; then
		IO_T=/sys/kernel/tracing
	fi
	if [ -z "$IO_T" ] || [ ! -e "$IO_T/current_tracer" ]; then
		IO_WHY="no tracefs"
		IO_T=
		return 1
	fi
	if ! grep -qw irqsoff "$IO_T/available_tracers"; then
		IO_WHY="no irqsoff tracer (available: $(cat "$IO_T/available_tracers"))"
		IO_T=
		return 1
	fi
	echo 0 >"$IO_T/tracing_thresh"
	echo irqsoff >"$IO_T/current_tracer" || {
		IO_WHY="cannot select the irqsoff tracer"
		IO_T=
		return 1
	}
	echo 0 >"$IO_T/tracing_max_latency"
	echo 1 >"$IO_T/tracing_on"
}

irqsoff_stop() {
	[ -n "$IO_T" ] && echo nop >"$IO_T/current_tracer"
	IO_T=
}

# The trace file holds the longest section's own record: its "latency: N
# us" line and the functions it "started at" and "ended at". Read once per
# sample, with shell builtins only (no process to start: the sampler must
# keep up on a busy guest), so that length and functions are of the same
# section; its first 60 lines are kept in IO_REC.
irqsoff_sample() {
	IO_US=0
	IO_FROM=-
	IO_TO=-
	IO_REC=
	_io_n=0
	while [ "$_io_n" -lt 60 ] && IFS= read -r _io_l; do
		_io_n=$((_io_n + 1))
		IO_REC="$IO_REC$_io_l
"
		case $_io_l in
		"# latency: "*)
			_io_x=${_io_l#"# latency: "}
			IO_US=${_io_x%% *}
			;;
		"#  => started at:"*)
			if [ "$IO_FROM" = - ]; then
				_io_x=${_io_l#*started at:}
				_io_x=${_io_x#"${_io_x%%[! ]*}"}
				IO_FROM=${_io_x%%[+ ]*}
			fi
			;;
		"#  => ended at:"*)
			if [ "$IO_TO" = - ]; then
				_io_x=${_io_l#*ended at:}
				_io_x=${_io_x#"${_io_x%%[! ]*}"}
				IO_TO=${_io_x%%[+ ]*}
			fi
			;;
		esac
	done <"$IO_T/trace"
	case $IO_US in
	'' | *[!0-9]*) IO_US=0 ;;
	esac
	echo 0 >"$IO_T/tracing_max_latency"
	[ "$IO_US" -gt 0 ] || return 0
	IO_N=$((IO_N + 1))
	case $IO_FROM in
	pwm_imx_tpm*)
		IO_DRV_N=$((IO_DRV_N + 1))
		if [ "$IO_US" -gt "$IO_DRV_US" ]; then
			IO_DRV_US=$IO_US
			IO_DRV_AT="$IO_FROM -> $IO_TO"
			printf '%s' "$IO_REC" >/tmp/irqsoff.drv
		fi
		;;
	tpm_model* | imx_tpm_model*)
		if [ "$IO_US" -gt "$IO_MODEL_US" ]; then
			IO_MODEL_US=$IO_US
			IO_MODEL_AT="$IO_FROM -> $IO_TO"
		fi
		;;
	*)
		if [ "$IO_US" -gt "$IO_OTHER_US" ]; then
			IO_OTHER_US=$IO_US
			IO_OTHER_AT="$IO_FROM -> $IO_TO"
		fi
		;;
	esac
}

irqsoff_report() {
	echo "# $1: longest interrupts-off section in $IO_N samples: driver $IO_DRV_US us ($IO_DRV_N samples; $IO_DRV_AT), TPM model $IO_MODEL_US us ($IO_MODEL_AT), rest of the kernel $IO_OTHER_US us ($IO_OTHER_AT)"
	[ -s /tmp/irqsoff.drv ] && grep -E '^#|=>' /tmp/irqsoff.drv | head -n 40 | sed 's/^/# trace: /'
	return 0
}
