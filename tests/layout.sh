#!/bin/sh
# SPDX-License-Identifier: MIT
# make layout (part of make check): the rules of the source layout (README, Layout),
# proven on the built objects and on a scratch copy of the tree.
#   1. wslctl does not link libcurl, libarchive or libcrypto (its dynamic section);
#   2. a network, archive or crypto header, or a cli/net/ header, included in code that
#      wslctl links (or a face header in cli/core/), however spelt, stops make, naming
#      the rule;
#   3. no two C files call each other (nm of the objects);
#   4. no function is longer than 150 lines;
#   5. plain make installs nothing: with a package missing it names it and stops.
# usage: layout.sh BUILD
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$top" && cd "${1:?build dir}" && pwd)
TESTS_DIR="$top/tests"
WSLCTL=/nonexistent
. "$TESTS_DIR/lib.sh"
results="$T/results"

linked_libs() {
	if readelf -d "$build/wslctl" | grep -E 'NEEDED.*lib(curl|archive|crypto|ssl)'; then
		not_ok "wslctl links a network or archive library"
	else
		ok "wslctl links no network, archive or crypto library"
	fi
	if readelf -d "$build/wslctl-net" | grep -q 'NEEDED.*libcurl'; then
		ok "wslctl-net links libcurl"
	else
		not_ok "wslctl-net does not link libcurl: is the line drawn in the wrong place?"
	fi
}

# A scratch copy of what make reads, built with one bad include added; make must fail
# and say which rule, where.
# LINK=name:target first puts a symbolic link cli/core/NAME -> TARGET in the copy.
crossing() {
	file=$1 inc=$2 want=$3
	rm -rf "$T/tree" "$T/b" && mkdir "$T/tree"
	cp -a "$top/Makefile" "$top/cli" "$top/packaging" "$T/tree/"
	[ -n "${LINK:-}" ] && ln -s "${LINK#*:}" "$T/tree/cli/core/${LINK%%:*}"
	sed -i "1i #include $inc" "$T/tree/$file"
	if (cd "$T/tree" && make --no-print-directory BUILD="$T/b" ${MAKEARGS:-} \
		"$T/b/obj/${file%.c}.o") >"$T/make.out" 2>&1; then
		not_ok "$file with #include $inc: make succeeded"
	elif grep -q "$want" "$T/make.out" && grep -q "README, Layout" "$T/make.out"; then
		ok "$file with #include $inc: make fails naming the rule"
	else
		not_ok "$file with #include $inc: make failed without the rule: $(cat "$T/make.out")"
	fi
}

# Object A calls B when A has an undefined symbol that B defines; a pair that calls
# both ways is one module in two files (or a circle to break with a parameter).
no_mutual_calls() {
	# The objects of today's sources only: a build folder may hold those of removed ones.
	for src in $(cd "$top" && find cli -name '*.c' | sort); do
		n=${src%.c}.o o="$build/obj/$n"
		nm -g --defined-only "$o" | awk -v f="$n" 'NF == 3 { print "D", $3, f }'
		nm -g --undefined-only "$o" | awk -v f="$n" '{ print "U", $NF, f }'
	done >"$T/syms"
	awk '$1 == "D" { def[$2] = $3 } $1 == "U" { use[NR] = $2; by[NR] = $3 }
	     END { for (i in use) if ((use[i] in def) && def[use[i]] != by[i])
	               print by[i], def[use[i]] }' "$T/syms" | sort -u >"$T/edges"
	awk 'NR == FNR { e[$1 " " $2] = 1; next } ($2 " " $1) in e && $1 < $2' \
		"$T/edges" "$T/edges" >"$T/mutual"
	if [ -s "$T/edges" ] && [ ! -s "$T/mutual" ]; then
		ok "no two C files call each other ($(wc -l <"$T/edges") calls between files)"
	else
		not_ok "files that call each other: $(cat "$T/mutual")"
	fi
}

# A function starts at a line that opens with a letter and ends with ')' (or ',': a
# signature on several lines) followed, later, by a line holding only '{'; it ends at the
# first line holding only '}'.
long_functions() {
	find "$top/cli" -name '*.c' | sort | xargs awk '
		FNR == 1 { sig = ""; start = 0 }
		/^[a-z].*[),]$/ { sig = $0; sigline = FNR; next }
		/^\{$/ && sig != "" { start = sigline; name = sig; next }
		/^\}/ && start { n = FNR - start + 1; if (n > 150) print FILENAME ": " n " lines: " name
		                 start = 0; sig = "" }' >"$T/long"
	if [ -s "$T/long" ]; then
		not_ok "functions over 150 lines: $(cat "$T/long")"
	else
		ok "no function over 150 lines"
	fi
}

# dpkg-query that reports libcurl's -dev package missing; apt-get and sudo that record
# being run. make must stop before compiling, name the package and how to get it.
make_installs_nothing() {
	mkdir -p "$T/fake"
	cat >"$T/fake/dpkg-query" <<-'EOF'
	#!/bin/sh
	for a; do p=$a; done
	[ "$p" = libcurl4-openssl-dev ] && exit 1
	echo "install ok installed"
	EOF
	printf '#!/bin/sh\necho "$0 $*" >>"%s/ran"\n' "$T" >"$T/fake/apt-get"
	cp "$T/fake/apt-get" "$T/fake/sudo"
	chmod +x "$T/fake/"*
	if (cd "$top" && PATH="$T/fake:$PATH" make --no-print-directory BUILD="$T/nb") \
		>"$T/make.out" 2>&1; then
		not_ok "make with libcurl4-openssl-dev missing succeeded"
	elif [ -e "$T/ran" ]; then
		not_ok "plain make ran $(cat "$T/ran")"
	elif grep -q 'missing Debian packages: libcurl4-openssl-dev$' "$T/make.out" &&
		grep -q "make deps" "$T/make.out" && [ ! -e "$T/nb/obj" ]; then
		ok "plain make names the missing package and how to get it, installs and compiles nothing"
	else
		not_ok "plain make with a package missing said: $(cat "$T/make.out")"
	fi
}

{
	make_installs_nothing
	linked_libs
	crossing cli/core/wslconfig.c '<curl/curl.h>' 'core/network line'
	crossing cli/core/safefile.c '<archive.h>' 'core/network line'
	crossing cli/cmd_check.c '<openssl/evp.h>' 'core/network line'
	crossing cli/core/checks.c '"../net/store.h"' 'core/network line'
	crossing cli/core/winpath.c '"../output.h"' 'must not include the face'
	# Other spellings of the same files.
	crossing cli/core/hex.c '"..//net/store.h"' 'core/network line'
	crossing cli/core/hex.c '".././net/digest.h"' 'core/network line'
	crossing cli/core/hex.c '"./../output.h"' 'must not include the face'
	LINK=netstore.h:../net/store.h crossing cli/core/hex.c '"netstore.h"' 'core/network line'
	MAKEARGS="CPPFLAGS=-Icli//net" crossing cli/core/hex.c '"store.h"' 'core/network line'
	# No dependency list to check: make stops rather than pass unchecked.
	MAKEARGS="CFLAGS=-MF/dev/null" crossing cli/core/hex.c '<curl/curl.h>' 'no dependency list'
	no_mutual_calls
	long_functions
} >"$results" 2>&1
cat "$results"
pass=$(grep -c '^ok ' "$results")
fail=$(grep -c '^not ok ' "$results")
echo "layout: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
