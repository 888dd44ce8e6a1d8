# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the i.MX TPM PWM driver, and the project's checks.
#
#   make                 build for the running kernel (or KDIR=/path/to/build)
#   make check           install what is needed, run every test tier
#   make lint | unit | model-core | matrix | vm
#   make shapes          build against the API shapes of kernels Debian does
#                        not ship (5.15, 6.6 to 6.11, 6.13 to 6.16, and point
#                        releases before a backport; tests/shapes/README.md)
#   make stress | stress-short   stress of the driver in a guest with the model
#   make dtbo            build the devicetree overlays (dts-overlays/*.dtbo)
#   make check-dtbo      apply them to the i.MX7ULP boards' DTBs and check them
#   make demo            boot a Debian kernel in QEMU with the TPM model and
#                        draw the PWM output (tests/vm/vm.sh)
#   make deb             build the Debian package pwm-imx-tpm-dkms into
#                        build/deb/ (dpkg-buildpackage -b, then lintian)
#   make check-deb       install, build (DKMS), upgrade, remove and purge it
#                        in Debian chroots (tests/deb/check-deb.sh)
#   make check-debian-tools  Debian's own tools on the packages: autopkgtest
#                        (the declared autopkgtest-pkg-dkms test) and piuparts
#                        (install, upgrade from 0.0.9, purge) on trixie
#                        (tests/deb/debian-tools.sh)
#   make check-e2e       the whole story on an emulated armhf board: Debian
#                        armhf images (bookworm, trixie), DKMS build of the
#                        package, boot with systemd (tests/deb/check-e2e.sh;
#                        CHECK_E2E_SUITES picks suites; make check runs it
#                        for trixie with CHECK_E2E_SELFTEST_ARGS=none)
#   make check-vendor-e2e  the user's path on a vendor-style BSP image: an
#                        armhf 6.1 kernel with the driver built in, its
#                        headers cross-built (make bindeb-pkg on amd64);
#                        apt install, the fix it prints, initcall_blacklist,
#                        remove and purge over four boots
#                        (tests/vendor/check-vendor-e2e.sh; .ci/run runs it
#                        after make check)
#   make upstream        the driver as a patch series for mainline's
#                        drivers/pwm/pwm-imx-tpm.c of Debian's newest
#                        linux-source (git format-patch, with a cover
#                        letter, into build/upstream/; tests/upstream/)
#   make check-upstream  write it, apply it with git am, checkpatch
#                        --strict, W=1 build of every patch for arm64,
#                        armhf and amd64 (COMPILE_TEST), and the kselftest
#                        in an arm64 kernel of the result (PWM_DEBUG, dt
#                        path) under QEMU (tests/upstream/upstream.sh)
#   make kselftest-install KSRC=<kernel tree>
#                        the selftest as the kselftest target drivers/pwm of
#                        that tree (tests/selftests/drivers/pwm)
#   make check-kselftest install it into the kselftest skeleton of Debian's
#                        linux-source-7.3 and run it with the kernel's own
#                        run_kselftest.sh in a guest (tests/selftests/check.sh)
#
# Downloads are cached in $(IMX_TPM_PWM_CACHE), outside the source tree.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# Where this source tree stays (DKMS builds in a copy and passes
# /usr/src/pwm-imx-tpm-VERSION): the fix messages name it.
SRCDIR ?= $(CURDIR)
IMX_TPM_PWM_CACHE ?= /var/cache/imx-tpm-pwm
export IMX_TPM_PWM_CACHE

# Two lanes at the same time (tests/run-tiers.sh: "," one after the
# other, "+" beside): most tiers keep one core busy (QEMU guests, qemu-user,
# one-threaded checks), so on a 2-core machine the second lane, check-e2e,
# check-debian-tools, check-upstream, then the 7.3 debug kernel's guests,
# runs beside the first. make vm-debug
# runs both debug kernels' parts on its own.
TIERS := lint,unit,model-core,matrix,shapes,check-dtbo,check-deb,vm,check-kselftest,faults,vm-debug-6.12+check-e2e,check-debian-tools,check-upstream,vm-debug-7.3

# make check runs the end-to-end check for one suite, and the packaged
# selftest there only as the README's example runs it (channel 3), to stay
# within CI's time: a run of its own on channels 0 and 5 took 289 s of the
# 824 s on an idle machine, and the same selftest runs against the model,
# whose counter runs, in every guest of make vm. "make check-e2e" on its own
# runs bookworm and trixie with the selftest on every channel.
check: export CHECK_E2E_SUITES ?= trixie
check: export CHECK_E2E_SELFTEST_ARGS ?= none

.PHONY: all modules clean deps check lint unit model-core matrix shapes vm vm-debug vm-debug-7.3 \
	vm-debug-6.12 stress faults bench kselftest-install check-kselftest \
	stress-short demo dtbo check-dtbo clean-dtbo kbuild-tools host-tools deb check-deb check-e2e check-vendor-e2e \
	check-debian-tools upstream check-upstream

all: modules

modules: kbuild-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The kernel tree's host tools must run here. Header packages built on
# another machine (vendor BSPs, "make bindeb-pkg" cross builds) can carry a
# fixdep and modpost for the build machine's architecture; Kbuild then stops
# half-way with "Exec format error" (or, under dash, a shell syntax error
# about the binary). Check fixdep first, and say how to fix it. DKMS builds
# through this target (dkms.conf MAKE).
kbuild-tools:
	@test -d "$(KDIR)" || { \
		echo "No kernel build tree at $(KDIR)."; \
		echo "Install the headers for $(KVER) (Debian: apt install linux-headers-$(KVER))"; \
		echo "or point KDIR at a configured kernel tree: make KDIR=/path/to/build"; \
		exit 1; }
	@out=$$("$(KDIR)/scripts/basic/fixdep" 2>&1 </dev/null); \
	case "$$out" in \
	*"Usage: fixdep"*) ;; \
	*)	echo "pwm-imx-tpm: $(KDIR)/scripts/basic/fixdep does not run on this machine ($$(uname -m)):"; \
		printf '    %s\n' "$$out" | head -n 3; \
		echo "The kernel headers' host tools (scripts/basic/fixdep, scripts/mod/modpost) were"; \
		echo "built for another architecture. Rebuild them with this machine's compiler (as"; \
		echo "root; needs gcc and libc6-dev), then build again:"; \
		echo "    make -C $(SRCDIR) host-tools KDIR=$$(readlink -f $(KDIR))"; \
		echo "If that fails, install headers built for $$(uname -m), or build against the"; \
		echo "full configured kernel source tree"; \
		echo "    make KDIR=/path/to/linux (after make -C /path/to/linux modules_prepare)"; \
		exit 1;; \
	esac

# Rebuild the host tools of KDIR with this machine's compiler, from the
# commands Kbuild recorded (src/host-tools.sh says why "make -C KDIR
# scripts" cannot do it for cross-built headers).
host-tools:
	@test -d "$(KDIR)" || { echo "No kernel build tree at $(KDIR)."; exit 1; }
	sh $(SRCDIR)/src/host-tools.sh "$$(readlink -f $(KDIR))"

clean: clean-dtbo
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/model clean KDIR=$(KDIR)

# Devicetree overlays: cpp (for the macros), then dtc -@.
DTC ?= dtc
DT_CPP ?= cpp
DTSO := $(wildcard dts-overlays/*.dtso)
DTBO := $(DTSO:.dtso=.dtbo)
DTC_CPP_FLAGS := -nostdinc -undef -D__DTS__ -x assembler-with-cpp -P

dtbo: $(DTBO)

# A failed dtc leaves no half-written overlay behind.
.DELETE_ON_ERROR:

dts-overlays/%.dtbo: dts-overlays/%.dtso dts-overlays/imx7ulp-tpm4-pads.h
	$(DT_CPP) $(DTC_CPP_FLAGS) -Idts-overlays -o $@.pre $<
	$(DTC) -@ -I dts -O dtb -o $@ $@.pre
	@rm -f $@.pre

clean-dtbo:
	rm -f dts-overlays/*.dtbo dts-overlays/*.dtbo.pre

check-dtbo: deps
	tests/dtbo/check-dtbo.sh

deps:
	tests/deps.sh

lint:
	tests/lint/lint.sh

unit:
	$(MAKE) -C tests/unit check CC=gcc

model-core:
	$(MAKE) -C tests/model check CC=gcc

matrix:
	tests/matrix/matrix.sh "$(CURDIR)"

shapes:
	tests/shapes/shapes.sh "$(CURDIR)"

vm:
	tests/vm/vm.sh matrix

stress:
	tests/vm/stress.sh

stress-short:
	tests/vm/stress.sh --short

faults:
	tests/vm/stress.sh --faults

vm-debug:
	tests/vm/stress.sh --debug

vm-debug-7.3:
	tests/vm/stress.sh --debug-7.3

vm-debug-6.12:
	tests/vm/stress.sh --debug-6.12

bench:
	tests/bench/bench.sh

check: deps
	tests/run-tiers.sh $(TIERS)

demo: deps
	tests/vm/vm.sh demo

# Only the package's Build-Depends (and lintian), not the test tools.
deb:
	tests/deps.sh deb
	tests/deb/build-deb.sh build/deb

check-deb: deps deb
	tests/deb/check-deb.sh build/deb

check-debian-tools: deps deb
	tests/deb/debian-tools.sh build/deb

check-e2e: deps deb
	tests/deb/check-e2e.sh build/deb $(CHECK_E2E_SUITES)

check-vendor-e2e: deps deb
	tests/vendor/check-vendor-e2e.sh build/deb

upstream: deps
	tests/upstream/upstream.sh write build/upstream

check-upstream: deps
	tests/upstream/upstream.sh check build/upstream

KSFT_DIR = $(KSRC)/tools/testing/selftests/drivers/pwm
kselftest-install:
	@test -n "$(KSRC)" || { echo "usage: make kselftest-install KSRC=<kernel source tree>"; exit 2; }
	@test -f "$(KSRC)/tools/testing/selftests/lib.mk" || { echo "$(KSRC): no tools/testing/selftests/lib.mk (not a kernel source tree)"; exit 2; }
	install -d $(KSFT_DIR)
	install -m 644 tests/selftests/drivers/pwm/Makefile tests/selftests/drivers/pwm/settings \
		tests/selftests/drivers/pwm/config tests/pwm-cdev.c $(KSFT_DIR)/
	install -m 755 tests/pwm-imx-tpm.sh $(KSFT_DIR)/

check-kselftest: deps
	tests/selftests/check.sh
