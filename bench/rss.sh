# SPDX-License-Identifier: MIT
# Sourced by bench scripts: peak resident memory of one run, for the report's last column.
# rss_mib CMD...: runs CMD once under GNU time and prints its peak RSS in MiB ("x.x");
# the last line of the file (GNU time puts a "non-zero status" line before it).
rss_mib() {
	_f=$(mktemp)
	/usr/bin/time -f %M -o "$_f" "$@" >/dev/null 2>&1 || true
	awk 'END { printf "%.1f", $1 / 1024 }' "$_f"
	rm -f "$_f"
}
