#!/bin/bash
# shellcheck shell=bash
#
# tests/vm/demo.sh - "make demo": boot Debian's armhf 6.12 kernel under QEMU
# with the TPM model and the driver, run a short PWM sysfs session in the
# guest (tests/vm/demo-guest.sh), and render the model's output logs of
# channels 0 and 1 as a timing diagram in the terminal and as an SVG file.
# Sourced by tests/vm/vm.sh (which provides prepare, boot and the rest);
# run it as "tests/vm/vm.sh demo [ARCH:SERIES]".

DEMO_TARGET=armhf:6.12
DEMO_PERIODS=3 # periods drawn per setting
DEMO_COLS=20   # terminal columns per period

# demo_extract LOG: one line per phase and channel,
# "PHASE<TAB>TITLE<TAB>CH<TAB>KIND<TAB>PERIOD_CYCLES<TAB>HIGH_CYCLES": the
# most frequent complete period of that channel in that phase.
demo_extract() {
	awk '
	/^demo-phase / { np++; title[np] = substr($0, 12); inph = 1; next }
	/^demo-end/ { inph = 0; next }
	inph && /^demo-pol ch[0-9]+ / { pol[np, substr($2, 3)] = $3; next }
	inph && /^demo-log ch[0-9]+ [0-9]+ [a-z]+ [0-9]+ [0-9]+/ {
		ch = substr($2, 3); cnt = $3; kind = $4
		if (kind != "full" && kind != "off") {
			if (!((np, ch) in best)) { bk[np, ch] = kind; bp[np, ch] = $5; bh[np, ch] = $6; best[np, ch] = 0 }
			next
		}
		if (!((np, ch) in best) || cnt > best[np, ch]) {
			best[np, ch] = cnt; bk[np, ch] = kind; bp[np, ch] = $5; bh[np, ch] = $6
		}
		chans[ch] = 1
	}
	END {
		for (p = 1; p <= np; p++)
			for (ch = 0; ch <= 7; ch++)
				if ((p, ch) in best)
					printf "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", p, title[p], ch, bk[p, ch], bp[p, ch], bh[p, ch], ((p, ch) in pol ? pol[p, ch] : "normal")
	}' "$1"
}

# demo_render_text RATE < extract: the terminal timing diagram
demo_render_text() {
	awk -F '\t' -v rate="$1" -v nper="$DEMO_PERIODS" -v cols="$DEMO_COLS" '
	function us(c) { return c * 1e6 / rate }
	function flush_axis(   i, s, lab, k, t) {
		if (lastp == "") return
		s = sprintf("%-8s", "")
		for (i = 0; i < nper * cols; i++) s = s (i % cols == 0 ? "╵" : " ")
		print s "╵"
		s = sprintf("%-8s", "")
		for (k = 0; k <= nper; k++) {
			t = sprintf("%g ms", k * us(axisp) / 1000)
			lab = (k < nper) ? sprintf("%-" cols "s", t) : t
			s = s lab
		}
		print s
		print ""
	}
	{
		if ($1 != lastp) {
			flush_axis()
			lastp = $1
			printf "setting %d: %s\n", $1, $2
		}
		ch = $3; kind = $4; p = $5; h = $6
		if (kind == "off") h = 0
		axisp = p
		n = nper * cols
		hc = int(h * cols / p + 0.5)
		if (h > 0 && hc == 0) hc = 1
		if (h < p && hc == cols) hc = cols - 1
		# inversed: the high part ends the period
		for (i = 0; i < n; i++)
			L[i] = ($7 == "inversed") ? (i % cols) >= cols - hc : (i % cols) < hc
		top = ""; bot = ""
		for (i = 0; i < n; i++) {
			prev = (i == 0) ? L[n - 1] : L[i - 1]
			if (L[i] != prev) {
				top = top (L[i] ? "┌" : "┐")
				bot = bot (L[i] ? "┘" : "└")
			} else {
				top = top (L[i] ? "─" : " ")
				bot = bot (L[i] ? " " : "─")
			}
		}
		printf "%-8s%s  %s\n", "", top, (kind == "off" ? "off" : sprintf("high %.1f us of %.1f us (%.1f %%)", us(h), us(p), 100 * h / p))
		printf "%-8s%s\n", "pwm" ch, bot
	}
	END { flush_axis() }'
}

# demo_render_svg RATE OUT < extract: the same as an SVG file
demo_render_svg() {
	awk -F '\t' -v rate="$1" -v nper="$DEMO_PERIODS" '
	function us(c) { return c * 1e6 / rate }
	{ n++; P[n] = $1; T[n] = $2; C[n] = $3; K[n] = $4; PP[n] = $5; H[n] = $6; INV[n] = ($7 == "inversed"); if (!($1 in seen)) { seen[$1] = 1; np++ } }
	END {
		x0 = 90; w = 600; rowh = 60; amp = 30
		y = 20
		# height: per phase a title, its rows and an axis
		hgt = 20
		for (i = 1; i <= n; i++) { hgt += rowh; if (i == 1 || P[i] != P[i - 1]) hgt += 70 }
		# width: the right-hand labels and the titles fit (13 px monospace:
		# at most 8 px a character)
		maxw = x0 + w
		for (i = 1; i <= n; i++) {
			L[i] = (K[i] == "off" ? "off" : sprintf("high %.1f us / %.1f us (%.1f %%)", us(H[i]), us(PP[i]), 100 * H[i] / PP[i]))
			if (x0 + w + 15 + 8 * length(L[i]) + 10 > maxw) maxw = x0 + w + 15 + 8 * length(L[i]) + 10
			if (10 + 8 * length("setting " P[i] ": " T[i]) + 10 > maxw) maxw = 10 + 8 * length("setting " P[i] ": " T[i]) + 10
		}
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"13\">\n", maxw, hgt
		printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		for (i = 1; i <= n; i++) {
			if (i == 1 || P[i] != P[i - 1]) {
				if (i > 1) y = axis(y, PP[i - 1])
				printf "<text x=\"10\" y=\"%d\" font-weight=\"bold\">setting %d: %s</text>\n", y + 15, P[i], esc(T[i])
				y += 30
			}
			p = PP[i]; h = (K[i] == "off") ? 0 : H[i]
			hi = y + 5; lo = y + 5 + amp
			pts = ""
			per = w / nper; hx = per * h / p
			for (k = 0; k < nper; k++) {
				xs = x0 + k * per
				if (h == 0) pts = pts sprintf(" %.1f,%d %.1f,%d", xs, lo, xs + per, lo)
				else if (h >= p) pts = pts sprintf(" %.1f,%d %.1f,%d", xs, hi, xs + per, hi)
				else if (INV[i]) pts = pts sprintf(" %.1f,%d %.1f,%d %.1f,%d %.1f,%d", xs, lo, xs + per - hx, lo, xs + per - hx, hi, xs + per, hi)
				else pts = pts sprintf(" %.1f,%d %.1f,%d %.1f,%d %.1f,%d %.1f,%d %.1f,%d", xs, lo, xs, hi, xs + hx, hi, xs + hx, lo, xs + per, lo, xs + per, lo)
			}
			printf "<text x=\"10\" y=\"%d\">pwm%d</text>\n", y + 25, C[i]
			printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", (C[i] == 0 ? "#1f77b4" : "#d62728"), pts
			printf "<text x=\"%d\" y=\"%d\">%s</text>\n", x0 + w + 15, y + 25, L[i]
			y += rowh
		}
		y = axis(y, PP[n])
		print "</svg>"
	}
	function axis(y, p,   k, x) {
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", x0, y, x0 + w, y
		for (k = 0; k <= nper; k++) {
			x = x0 + k * w / nper
			printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>\n", x, y - 4, x, y + 4
			printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%g ms</text>\n", x, y + 18, k * us(p) / 1000
		}
		return y + 40
	}
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
	' >"$2"
}

# Uses prepare, boot, summarize_run, here, top, LOGDIR and WORKROOT of vm.sh,
# and sets its TIMEOUT.
# shellcheck disable=SC2034,SC2154
demo_main() {
	local target=${1:-$DEMO_TARGET} name log svg status grc secs rate ex
	name=demo-${target/:/-}
	log=$LOGDIR/../demo.log
	svg=$LOGDIR/../demo.svg
	mkdir -p "$LOGDIR"
	log=$(realpath -m "$log")
	svg=$(realpath -m "$svg")
	TIMEOUT=${VM_TIMEOUT:-300}
	vm_log "demo: $target guest with the TPM model; downloads and builds are cached in $(deb_cache_dir)"
	prepare "$target" model "$name" "$here/demo-guest.sh"
	vm_log "demo: booting the guest under QEMU (TCG, about 15 s; log: ${log#"$top"/})"
	read -r status grc secs < <(boot "$name" "$log")
	if [[ $status != OK || $grc != 0 ]]; then
		summarize_run "$name" "$log" "$status" "$grc" "$secs"
		grep -E '^demo: ' "$log" >&2 || true
		vm_die "demo: the guest session failed (see $log)"
	fi
	vm_log "demo: guest finished after $secs s"
	rate=$(sed -n 's/^demo: rate \([0-9]*\) Hz.*/\1/p' "$log" | head -n1)
	[[ -n $rate ]] || vm_die "demo: no clock rate in $log"
	ex=$(demo_extract "$log")
	[[ -n $ex ]] || vm_die "demo: no model logs in $log"
	printf '\nThe session in the guest (%s, kernel %s):\n' "$target" "$(sed -n 's/^KREL=//p' "$WORKROOT/$name/boot.env")"
	grep -E '^guest# ' "$log" | sed 's/^guest# /  # /'
	printf '\nWhat the TPM model saw on its outputs (counter clock %s Hz):\n\n' "$rate"
	demo_render_text "$rate" <<<"$ex"
	demo_render_svg "$rate" "$svg" <<<"$ex"
	if [[ -s $log.problems ]]; then
		vm_log "demo: the kernel log has problems:"
		sed 's/^/    /' "$log.problems" >&2
	fi
	printf 'SVG: %s\n' "$svg"
}
