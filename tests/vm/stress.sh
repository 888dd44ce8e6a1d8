#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/stress.sh [--short | --faults | --debug[-7.3|-6.12]]: guest runs of tests/vm/vm.sh
# that stress the driver or inject faults.
#   (default) tests/vm/stress-guest.sh with the TPM model on amd64 7.3:
#             4 writers for 60 s, 200 unbind/bind, 200 rmmod/insmod, 20
#             suspend/resume cycles
#   --short   the same with 4 writers for 20 s, 20 of each cycle, 5
#             suspend/resume
#   --faults  tests/vm/faults-guest.sh with the model on amd64 7.3 (latch
#             never happens, register access fails, bad PARAM), and
#             tests/vm/late-clock-guest.sh on arm64 7.3's dt-late path
#             (the clock provider arrives after the driver), and
#             tests/vm/takeover-guest.sh on arm64 7.3 (the model loaded with
#             the states a bootloader may leave: channels in other modes,
#             a centre-aligned or stopped counter; duty changes at a 1 kHz
#             counter clock), and tests/vm/jiffies-guest.sh on amd64 7.3
#             booted with clocksource=jiffies (time stands still with
#             interrupts disabled: prescaler changes of a running channel
#             must still return)
#   --debug   the debug kernels of tests/vm/debug-kernel.sh: on 7.3
#             (PREEMPT_RT, PWM_DEBUG, KASAN, lockdep, DEBUG_ATOMIC_SLEEP,
#             kmemleak, ODEBUG, irqsoff tracer; the driver's waveform path)
#             the quick kselftest and the short stress (which reports the
#             longest interrupts-off section of its writers); on 6.12
#             (PWM_DEBUG, DEBUG_ATOMIC_SLEEP, irqsoff tracer; the driver's
#             .apply path) the quick kselftest, and
#             tests/vm/irqsoff-guest.sh timed by instruction count (QEMU
#             -icount shift=1, as make bench's board-like guest): at most
#             50 us with interrupts disabled, also when the driver's sleeps
#             wake up late, and again with the model at a 32768 Hz counter
#             clock (prescaler changes with periods of seconds; the stop
#             acknowledgement takes up to 61 us there). Any report of the
#             checkers fails the run, and so
#             does a 7.3 kernel that is not PREEMPT_RT (stress-guest.sh -R:
#             one test point)
#   --debug-7.3, --debug-6.12  the 7.3 part or the 6.12 part of --debug
#             alone (make check runs them in two lanes), the 6.12 part
#             without the 32768 Hz run
# Ends with "stress: N passed, M failed" (or "faults: ...", "vm-debug:
# ...", "vm-debug-7.3: ..."); a guest that
# crashes, hangs or logs a kernel problem (vm.sh) counts as one more
# failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=guest-run.sh source-path=SCRIPTDIR
. "$here/guest-run.sh"

case ${1:-} in
--debug | --debug-7.3 | --debug-6.12)
	tier=vm${1#-}
	logs=${VM_LOGDIR:-$top/tests/logs/vm-debug}
	if [[ $1 != --debug-6.12 ]]; then
		export VM_LOGDIR=$logs/kselftest
		run_guest kselftest amd64:7.3-debug model - 1800 -q -n 60 -C 0,1,5
		# the model's registers reset at every resume, as the TPM's do
		export VM_LOGDIR=$logs/stress
		VM_MODEL_PARAMS="rate=24000000 channels=6 width=16 suspend_resets=1" \
			VM_EXTRA_SRC=$here/fifo.c \
			run_guest stress amd64:7.3-debug model "$here/stress-guest.sh" 1800 \
			-t 12 -w 4 -b 10 -m 10 -p 3 -K -R -C 0,5
	fi
	if [[ $1 != --debug-7.3 ]]; then
		export VM_LOGDIR=$logs/kselftest-6.12
		run_guest kselftest amd64:6.12-debug model - 1800 -q -n 60 -C 0,1,5
		export VM_LOGDIR=$logs/irqsoff
		VM_EXTRA_SRC=$here/late-wake.c VM_QEMU_ARGS="-icount shift=1,sleep=off" \
			run_guest irqsoff amd64:6.12-debug model "$here/irqsoff-guest.sh" 1800 \
			-T 50
	fi
	if [[ $1 == --debug ]]; then
		# the same at a 32768 Hz counter clock, the model as strict as the
		# silicon: prescaler changes need periods of seconds there, and the
		# stop's acknowledgement takes up to 61 us (make bench adds late
		# wake-ups). Not in make check's --debug-6.12, for time: make bench
		# measures the 32768 Hz case too.
		export VM_LOGDIR=$logs/irqsoff-32k
		VM_MODEL_PARAMS=32k VM_QEMU_ARGS="-icount shift=1,sleep=off" \
			run_guest irqsoff amd64:6.12-debug model "$here/irqsoff-guest.sh" 1800 \
			-n 30 -l 0 -T 50
	fi
	;;
--faults)
	tier=faults
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/faults}
	run_guest faults amd64:7.3 model "$here/faults-guest.sh" 600
	run_guest late-clock arm64:7.3 dt-late "$here/late-clock-guest.sh" 600
	run_guest takeover arm64:7.3 model "$here/takeover-guest.sh" 600
	VM_KERNEL_ARGS=clocksource=jiffies \
		run_guest jiffies amd64:7.3 model "$here/jiffies-guest.sh" 600
	;;
--short)
	tier=stress
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/stress}
	run_guest stress amd64:7.3 model "$here/stress-guest.sh" 600 \
		-t 20 -w 4 -b 20 -m 20 -p 5
	;;
'')
	tier=stress
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/stress}
	run_guest stress amd64:7.3 model "$here/stress-guest.sh" 1800 \
		-t 60 -w 4 -b 200 -m 200 -p 20
	;;
*)
	echo "usage: $0 [--short | --faults | --debug | --debug-7.3 | --debug-6.12]" >&2
	exit 2
	;;
esac
guest_totals "$tier"
